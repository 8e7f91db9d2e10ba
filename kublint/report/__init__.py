"""Reporters: each renders a Report to a text stream."""

from __future__ import annotations

FORMATS = ("text", "concise", "json", "sarif", "github")
