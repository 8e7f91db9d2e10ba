"""Node facts as single inputs state them, before the builder joins them into cluster nodes."""

from __future__ import annotations

from kublint.model.types import Hardware, Sourced
from kublint.source import Span


class NodeFact:
    __slots__ = (
        "addresses", "extra", "from_inventory", "hardware", "label", "name", "network", "roles", "span",
        "zone"
    )

    name: Sourced[str] | None
    addresses: list[Sourced[str]]
    roles: set[str]
    span: Span
    label: str  # how the evidence reads: "inventory node", "InitConfiguration", ...
    zone: Sourced[str] | None
    hardware: Hardware | None
    from_inventory: bool
    network: Sourced[str] | None
    extra: dict[str, object]

    def __init__(
        self,
        name: Sourced[str] | None,
        addresses: list[Sourced[str]],
        roles: set[str],
        span: Span,
        label: str,
        zone: Sourced[str] | None = None,
        hardware: Hardware | None = None,
        from_inventory: bool = False,
        network: Sourced[str] | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        self.name = name
        self.addresses = addresses
        self.roles = roles
        self.span = span
        self.label = label
        self.zone = zone
        self.hardware = hardware
        self.from_inventory = from_inventory
        self.network = network
        self.extra = {} if extra is None else extra
