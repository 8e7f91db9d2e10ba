"""Finding a node by what other inputs call it: an address, a DNS name or a short host name. The index is
built once by the assembler; rules ask ``cluster.find_node(host)``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import kublint.net as net
from kublint.model.types import Node


def short(name: str) -> str:
    return name.strip().rstrip(".").lower().split(".", 1)[0]


def same_name(a: str, b: str) -> bool:
    """Host names, exactly or by their first label when one of them is a short name (``cp1`` and
    ``cp1.example.com``); IP addresses never match here."""
    if net.ip(a) is not None or net.ip(b) is not None:
        return False
    x, y = a.strip().rstrip(".").lower(), b.strip().rstrip(".").lower()
    if not x or not y:
        return False
    return x == y or (("." not in x or "." not in y) and short(x) == short(y))


def node_has_address(node: Node, host: str) -> bool:
    key = net.normalise_host(host)
    return any(net.normalise_host(a.value) == key for a in node.addresses)


def node_is_named(node: Node, host: str) -> bool:
    return same_name(node.name, host)


class NodeIndex(NamedTuple):
    by_address: dict[str, Node]  # normalised address -> the first node that has it
    by_name: dict[str, Node]  # lower-case name (not an IP) -> node
    by_short: dict[str, list[Node]]  # first label -> nodes

    def find(self, host: str) -> Node | None:
        """The node (any role) whose address or name (or short name) is ``host``; addresses first."""
        found = self.by_address.get(net.normalise_host(host))
        if found is not None or net.ip(host) is not None:
            return found
        name = host.strip().rstrip(".").lower()
        if name in self.by_name:
            return self.by_name[name]
        for n in self.by_short.get(short(name), ()):
            if same_name(n.name, host):
                return n
        return None


def index_nodes(nodes: Iterable[Node]) -> NodeIndex:
    by_address: dict[str, Node] = {}
    by_name: dict[str, Node] = {}
    by_short: dict[str, list[Node]] = {}
    for n in nodes:
        for a in n.addresses:
            by_address.setdefault(net.normalise_host(a.value), n)
        if net.ip(n.name) is None:
            by_name.setdefault(n.name.strip().rstrip(".").lower(), n)
            by_short.setdefault(short(n.name), []).append(n)
    return NodeIndex(by_address, by_name, by_short)


EMPTY_INDEX = NodeIndex({}, {}, {})
