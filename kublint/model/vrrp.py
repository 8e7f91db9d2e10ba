"""VRRP as keepalived 2.2.7 runs it: each instance's values as keepalived reads them, the checks it tracks,
the host each instance runs on, and the peer groups of instances across the cluster's keepalived files.

Peers are the instances with the same ``virtual_router_id`` (or the same VIPs) across the cluster's keepalived
files (RULES.md), grouped by what VRRP itself pairs, not by the instances' names: two instances are peers
when they run on different hosts and either share a VIP, or use the same VRID and unicast to each other, or
use the same VRID with the same instance name on one network. Files tied to nodes (by the inventory, a
directory or file name, or an address) run on those nodes; for files tied to no node, kublint needs evidence
that they belong together before it compares them: a unicast peer list naming the other file's source
address, an instance of each that is the same virtual router (the same VRID on the same interface with a
common VIP, whatever the two are named: ``VI_1`` on one host and ``VI_2`` on the other), or the same set of
instance names (copies of one template). A single file tied to no node,
when it is the only keepalived file, runs on every ``lb`` node of the inventory, all with the same settings.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import kublint.net as net
from kublint.model.files import ParsedFile
from kublint.model.inventory import native_nodes
from kublint.model.keepalived import VrrpInstance
from kublint.model.loadbalancer import Vrrp
from kublint.model.types import Node, Sourced
from kublint.model.vrrp_values import (
    header_span,
    instance_name,
    ip_of,
    is_config,
    source_ip,
    unicast_peers,
    vip_addresses,
    vip_network,
    vip_set,
    vrid,
)
from kublint.parsers.keepalived import KeepalivedConfig
from kublint.source import Span

# --- members and peer groups


class Member(NamedTuple):
    """One VRRP instance on one host (``host`` None when the file is tied to no node)."""

    vrrp: Vrrp
    host: str | None
    spread: bool = False  # the only keepalived file, tied to no node: it runs on every lb node

    @property
    def inst(self) -> VrrpInstance:
        return self.vrrp.instance

    @property
    def config(self) -> KeepalivedConfig:
        return self.vrrp.config

    @property
    def path(self) -> str:
        return self.vrrp.file.path

    @property
    def name(self) -> str:
        return instance_name(self.inst)

    @property
    def span(self) -> Span:
        return header_span(self.inst.block)

    @property
    def key(self) -> tuple[str, int]:
        """The instance (a spread file gives one instance several members)."""
        return (self.path, self.inst.block.span.start.line)

    def label(self) -> str:
        where = f"{self.name} in {self.path}"
        return f"{where} on {self.host}" if self.spread and self.host else where

    def anchor(self, what: str) -> str:
        return f"vrrp_instance:{self.name}/{what}"


def _node_addresses(node_of: Callable[[str], Node | None], host: str | None) -> list[Sourced[str]]:
    if host is None:
        return []
    node = node_of(host)
    return [a for a in node.addresses if ip_of(a.value) is not None] if node else []


def own_addresses(node_of: Callable[[str], Node | None], m: Member) -> list[Sourced[str]]:
    """The member's own addresses: its unicast/multicast source address and its node's addresses."""
    out: list[Sourced[str]] = []
    src = source_ip(m.inst)
    if src is not None and not m.spread:
        out.append(src)
    out.extend(_node_addresses(node_of, m.host))
    return out


def node_networks(files: Sequence[ParsedFile]) -> dict[str, list[Sourced[str]]]:
    """The native inventory's per-node ``network`` (the joined model does not carry it)."""
    out: dict[str, list[Sourced[str]]] = {}
    for n in native_nodes(files):
        v = n.get("network")
        if isinstance(v, str) and v.strip():
            out.setdefault(n.name, []).append(Sourced(v.strip(), n.loc("network")))
    return out


def parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _key(text: str) -> str:
    return net.normalise_host(text)


class _Facts:
    __slots__ = ("addrs", "nets", "own", "unicast", "vips")

    vips: frozenset[str]
    unicast: frozenset[str]
    own: frozenset[str]
    nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network]
    addrs: frozenset[str]

    def __init__(
        self,
        vips: frozenset[str],
        unicast: frozenset[str],
        own: frozenset[str],
        nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network],
        addrs: frozenset[str],
    ) -> None:
        self.vips = vips
        self.unicast = unicast
        self.own = own
        self.nets = nets
        self.addrs = addrs


def _facts(
    node_of: Callable[[str], Node | None], m: Member, networks: dict[str, list[Sourced[str]]]
) -> _Facts:
    vips = vip_set(m.inst)
    uni = frozenset(_key(p.value) for p in unicast_peers(m.inst))
    own = frozenset(_key(a.value) for a in own_addresses(node_of, m))
    nets = [n for v in vip_addresses(m.inst) if (n := vip_network(v)) is not None]
    if m.host is not None:
        nets += [n for s in networks.get(m.host, []) if (n := parse_network(s.value)) is not None]
    return _Facts(vips, uni, own, nets, vips | uni | own)


def _in_nets(addrs: Iterable[str], nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    for a in addrs:
        ip = net.ip(a)
        if ip is not None and any(ip.version == n.version and ip in n for n in nets):
            return True
    return False


def _same_network(a: _Facts, b: _Facts, strict: bool) -> bool:
    if a.addrs & b.addrs:
        return True
    if a.nets or b.nets:
        return _in_nets(a.addrs, b.nets) or _in_nets(b.addrs, a.nets)
    return not strict


def _xref(a: _Facts, b: _Facts) -> bool:
    return bool(a.own & b.unicast) or bool(b.own & a.unicast)


def members(all_vrrps: Iterable[Vrrp]) -> list[Member]:
    vrrps = [v for v in all_vrrps if is_config(v.file)]
    files = {v.file.path for v in vrrps}
    out: list[Member] = []
    for v in vrrps:
        if len(v.hosts) == 1:
            out.append(Member(v, v.hosts[0]))
        elif len(v.hosts) > 1 and len(files) == 1:
            out.extend(Member(v, h, spread=True) for h in v.hosts)
        else:
            out.append(Member(v, None))
    return out


class Peering(NamedTuple):
    """The cluster's members, their peer groups, and which files may be compared at all."""

    members: tuple[Member, ...]
    groups: tuple[tuple[Member, ...], ...]
    facts: dict[int, _Facts]
    related_files: frozenset[tuple[str, str]]

    def facts_of(self, m: Member) -> _Facts:
        return self.facts[id(m)]

    def group_of(self, m: Member) -> tuple[Member, ...]:
        return next(g for g in self.groups if any(x is m for x in g))

    def files_related(self, a: Member, b: Member) -> bool:
        return (a.path, b.path) in self.related_files

    def same_network(self, a: Member, b: Member) -> bool:
        strict = a.host is None or b.host is None
        return _same_network(self.facts_of(a), self.facts_of(b), strict)


def _interface(m: Member) -> str | None:
    i = m.inst.interface
    return i.value.strip() if i is not None and i.value.strip() else None


def _same_router(a: Member, b: Member, fa: _Facts, fb: _Facts) -> bool:
    """One virtual router seen from two hosts, whatever the instances are called: the same
    virtual_router_id on the same interface (when both name one) carrying a common VIP."""
    va = vrid(a.inst)
    if va is None or va != vrid(b.inst) or not fa.vips & fb.vips:
        return False
    ia, ib = _interface(a), _interface(b)
    return ia is None or ib is None or ia == ib


def _file_related(a: Member, b: Member, all_members: list[Member], facts: dict[int, _Facts]) -> bool:
    if a.path == b.path:
        return False
    if a.host is not None and b.host is not None:
        return a.host != b.host
    in_a = [m for m in all_members if m.path == a.path]
    in_b = [m for m in all_members if m.path == b.path]
    for x in in_a:
        fx = facts[id(x)]
        for y in in_b:
            fy = facts[id(y)]
            if _xref(fx, fy) or _same_router(x, y, fx, fy):
                return True
    names_a = {m.name for m in in_a}
    return bool(names_a) and names_a == {m.name for m in in_b}


def _peers(a: Member, b: Member, fa: _Facts, fb: _Facts, related: bool) -> bool:
    if a.vrrp is b.vrrp:
        return a.spread and a.host != b.host
    if not related:
        return False
    if fa.vips & fb.vips:
        return True
    va, vb = vrid(a.inst), vrid(b.inst)
    if va is None or va != vb:
        return False
    if _xref(fa, fb):
        return True
    strict = a.host is None or b.host is None
    return a.name == b.name and _same_network(fa, fb, strict)


def peering(vrrps: Sequence[Vrrp], nodes: Sequence[Node], files: Sequence[ParsedFile]) -> Peering:
    ms = members(vrrps)
    networks = node_networks(files)
    by_name = {n.name: n for n in reversed(nodes)}  # the first node of a name, as Cluster.node
    facts = {id(m): _facts(by_name.get, m, networks) for m in ms}
    parent = list(range(len(ms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    related: set[tuple[str, str]] = set()
    known: dict[tuple[str, str], bool] = {}
    for i, a in enumerate(ms):
        for j in range(i + 1, len(ms)):
            b = ms[j]
            pair = (a.path, b.path)
            if pair not in known:
                known[pair] = known[(b.path, a.path)] = _file_related(a, b, ms, facts)
            rel = known[pair]
            if rel:
                related.update({pair, (b.path, a.path)})
            if _peers(a, b, facts[id(a)], facts[id(b)], rel):
                parent[find(i)] = find(j)
    comps: dict[int, list[Member]] = {}
    for i, m in enumerate(ms):
        comps.setdefault(find(i), []).append(m)
    return Peering(tuple(ms), tuple(tuple(g) for g in comps.values()), facts, frozenset(related))


NO_PEERS = Peering((), (), {}, frozenset())
