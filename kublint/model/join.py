"""Joining node facts: a node named by several inputs (the inventory's ``cp1`` at 10.0.0.11 and an
InitConfiguration advertising 10.0.0.11) becomes one, matched by name or address."""

from __future__ import annotations

from collections.abc import Sequence

import kublint.net as net
from kublint.findings import Related
from kublint.model.facts import NodeFact
from kublint.model.inventory import InventoryFacts
from kublint.model.kubeadm import node_fact
from kublint.model.types import CONTROL_PLANE, Hardware, Node, Sourced
from kublint.parsers.yaml import YamlDocument
from kublint.source import Span


class _NodeAcc:
    __slots__ = (
        "addresses",
        "defined",
        "evidence",
        "hardware",
        "in_inventory",
        "inferred",
        "keys",
        "names",
        "roles",
        "span",
        "zone",
    )

    names: list[Sourced[str]]
    addresses: list[Sourced[str]]
    keys: set[str]  # normalised addresses
    roles: set[str]
    span: Span | None
    evidence: list[Related]
    zone: Sourced[str] | None
    hardware: Hardware | None
    in_inventory: bool
    inferred: str | None  # the first evidence the node is inferred from (NodeFact.extra["inferred_from"])
    defined: bool  # some fact states the node rather than infers it

    def __init__(
        self,
        names: list[Sourced[str]] | None = None,
        addresses: list[Sourced[str]] | None = None,
        keys: set[str] | None = None,
        roles: set[str] | None = None,
        span: Span | None = None,
        evidence: list[Related] | None = None,
        zone: Sourced[str] | None = None,
        hardware: Hardware | None = None,
        in_inventory: bool = False,
    ) -> None:
        self.names = [] if names is None else names
        self.addresses = [] if addresses is None else addresses
        self.keys = set() if keys is None else keys
        self.roles = set() if roles is None else roles
        self.span = span
        self.evidence = [] if evidence is None else evidence
        self.zone = zone
        self.hardware = hardware
        self.in_inventory = in_inventory
        self.inferred = None
        self.defined = False

    def add(self, fact: NodeFact) -> None:
        inferred = fact.extra.get("inferred_from")
        if isinstance(inferred, str):
            self.inferred = self.inferred or inferred
        else:
            self.defined = True
        if fact.name and all(n.value != fact.name.value for n in self.names):
            self.names.append(fact.name)
        for a in fact.addresses:
            key = net.normalise_host(a.value)
            if key not in self.keys:
                self.addresses.append(a)
                self.keys.add(key)
        self.roles |= fact.roles
        if self.span is None or (fact.from_inventory and not self.in_inventory):
            self.span = fact.span
        self.evidence.append(Related(fact.span, fact.label))
        self.zone = self.zone or fact.zone
        self.hardware = self.hardware or fact.hardware
        self.in_inventory = self.in_inventory or fact.from_inventory

    def absorb(self, other: _NodeAcc) -> None:
        for n in other.names:
            if all(n.value != m.value for m in self.names):
                self.names.append(n)
        for a in other.addresses:
            key = net.normalise_host(a.value)
            if key not in self.keys:
                self.addresses.append(a)
                self.keys.add(key)
        self.roles |= other.roles
        self.evidence.extend(other.evidence)
        self.zone = self.zone or other.zone
        self.hardware = self.hardware or other.hardware
        self.inferred = self.inferred or other.inferred
        self.defined = self.defined or other.defined
        if other.in_inventory and not self.in_inventory:
            self.span, self.in_inventory = other.span, True

    def freeze(self) -> Node:
        name = self.names[0].value if self.names else (self.addresses[0].value if self.addresses else "?")
        assert self.span is not None
        return Node(
            name,
            tuple(self.addresses),
            frozenset(self.roles),
            self.span,
            tuple(self.evidence),
            self.zone,
            self.hardware,
            self.in_inventory,
            None if self.defined else self.inferred,
        )


def _join_nodes(facts: list[NodeFact]) -> list[_NodeAcc]:
    """Union the facts by name or address, with indexes so that 50,000 nodes stay linear."""
    accs: list[_NodeAcc] = []
    by_name: dict[str, _NodeAcc] = {}
    by_addr: dict[str, _NodeAcc] = {}
    for fact in facts:
        if fact.name is None and not fact.addresses:
            continue
        keys = [net.normalise_host(a.value) for a in fact.addresses]
        hits: list[_NodeAcc] = []
        for cand in ([by_name.get(fact.name.value)] if fact.name else []) + [by_addr.get(k) for k in keys]:
            if cand is not None and all(cand is not h for h in hits):
                hits.append(cand)
        if hits:
            target = hits[0]
            for other in hits[1:]:  # the fact links two nodes known so far: they are one
                target.absorb(other)
                accs.remove(other)
        else:
            target = _NodeAcc()
            accs.append(target)
        target.add(fact)
        for n in target.names:
            by_name[n.value] = target
        for k in target.keys:
            by_addr[k] = target
    return accs


def join_nodes(
    inventories: Sequence[InventoryFacts],
    kubeadm_docs: Sequence[YamlDocument],
    inferred: Sequence[NodeFact] = (),
) -> tuple[tuple[Node, ...], tuple[Span, ...]]:
    """The cluster's nodes, and the control-plane JoinConfigurations that name no node. ``inferred`` facts
    (``extra["inferred_from"]``) join last: they add a node only where no input names it."""
    facts: list[NodeFact] = [nf for i in inventories for nf in i.nodes]
    anonymous: list[Span] = []
    for d in kubeadm_docs:
        nf = node_fact(d)
        if nf is None:
            continue
        if nf.name is None and not nf.addresses:
            if CONTROL_PLANE in nf.roles and d.kind == "JoinConfiguration":
                anonymous.append(nf.span)
            continue
        facts.append(nf)
    facts.extend(inferred)
    return tuple(a.freeze() for a in _join_nodes(facts)), tuple(anonymous)
