"""Template placeholders (``{{ x }}``, ``${VAR}``, ``<token>``, ``K8SHA_...``): values no program will read
as written. SY007 reports them; the model leaves them out of the facts it joins."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(
    r"\{\{|\{%|\$\{[A-Za-z_]|\$[A-Z_][A-Z0-9_]*\b|<[A-Za-z][A-Za-z0-9_.:/-]*>|K8SHA_[A-Z0-9_]+"
)
# an opener followed by what starts an expression or a statement: a run of '{' alone is no template
_TEMPLATE_SYNTAX = re.compile(r"\{\{[\s\w.$\-\"'(!]|\{%[\s\w\-+]|\{#[\s\w\-]")


def has_placeholder(text: str) -> bool:
    return _PLACEHOLDER.search(text) is not None


def has_template_syntax(text: str) -> bool:
    """Jinja or Go template markup in a file: a YAML error there is the template's, not the YAML's."""
    return _TEMPLATE_SYNTAX.search(text) is not None
