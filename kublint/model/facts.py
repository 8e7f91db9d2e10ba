"""Node facts as single inputs state them, before the builder joins them into cluster nodes."""

from __future__ import annotations

from dataclasses import dataclass, field

from kublint.model.cluster import Hardware, Sourced
from kublint.source import Span


@dataclass(slots=True)
class NodeFact:
    name: Sourced[str] | None
    addresses: list[Sourced[str]]
    roles: set[str]
    span: Span
    label: str  # how the evidence reads: "inventory node", "InitConfiguration", ...
    zone: Sourced[str] | None = None
    hardware: Hardware | None = None
    from_inventory: bool = False
    network: Sourced[str] | None = None
    extra: dict[str, object] = field(default_factory=dict)
