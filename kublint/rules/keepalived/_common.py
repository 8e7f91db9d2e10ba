"""What the keepalived rules share: the cluster's keepalived files, values as keepalived 2.2.7 reads them, and
the peer groups of VRRP instances.

Peers are the instances with the same ``virtual_router_id`` (or the same VIPs) across the cluster's keepalived
files (RULES.md). Two instances are peers when they run on different hosts and either share a VIP, or use the
same VRID with the same instance name (or unicast to each other) on one network. Files tied to nodes (by the
inventory, a directory or file name, or an address) run on those nodes; for files tied to no node, kublint
needs evidence that they belong together before it compares them: a unicast peer list naming the other file's
source address, or the same set of instance names (copies of one template). A single file tied to no node,
when it is the only keepalived file, runs on every ``lb`` node of the inventory, all with the same settings.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from pathlib import PurePosixPath
from typing import NamedTuple, TypeVar

import kublint.net as net
from kublint.findings import Related
from kublint.model.cluster import Cluster, Sourced
from kublint.model.files import Kind, ParsedFile
from kublint.model.inventory import native_nodes
from kublint.model.keepalived import TrackRef, Vip, VrrpInstance, VrrpScript, vrrp_instances, vrrp_scripts
from kublint.model.loadbalancer import Vrrp
from kublint.parsers.keepalived import Block, KeepalivedConfig, Stmt
from kublint.source import Span

DEFAULT_PRIORITY = 100  # keepalived's VRRP_PRIO_DFL, also what it uses for an invalid priority
DEFAULT_ADVERT = 1.0
OWNER_PRIORITY = 255  # the address owner: keepalived ignores weighted tracking
STATES = ("MASTER", "BACKUP")

_PLACEHOLDER = re.compile(
    r"\{\{|\{%|\$\{[A-Za-z_][^}]*\}|\$[A-Za-z_]|<-*[A-Za-z][A-Za-z0-9_.:/-]*>|K8SHA_[A-Z0-9_]+"
    r"|(?<![\w.])(?=[\d.x]*x)(?:\d{1,3}|x{1,3})(?:\.(?:\d{1,3}|x{1,3})){3}(?![\w.])"
)


def is_placeholder(text: str) -> bool:
    """A template placeholder left in a value (SY007 reports it; the KP rules leave such values alone)."""
    return _PLACEHOLDER.search(text) is not None


# ------------------------------------------------------------------ files


def included_paths(cluster: Cluster) -> set[str]:
    return {p for f in cluster.files if isinstance(f.content, KeepalivedConfig)
            for inc in f.content.includes for p in inc.files}


DOC_SUFFIXES = (".txt", ".md", ".rst", ".adoc")


def is_config(f: ParsedFile) -> bool:
    """Not documentation: a README.txt that quotes keepalived blocks is sniffed as keepalived by the loader,
    but nobody runs it (unless it is named on the command line)."""
    return f.explicit or not f.path.lower().endswith(DOC_SUFFIXES)


def keepalived_files(cluster: Cluster) -> list[tuple[ParsedFile, KeepalivedConfig]]:
    """Keepalived configurations as keepalived reads them: a file included by another one is part of the
    including file's stream, not a configuration of its own."""
    included = included_paths(cluster)
    return [(f, f.content) for f in cluster.files
            if f.kind is Kind.KEEPALIVED and isinstance(f.content, KeepalivedConfig)
            and f.path not in included and is_config(f)]


def header_span(block: Block) -> Span:
    """``vrrp_instance VI_1`` (the keyword and its name), where KP1xx findings sit."""
    return block.header.span if block.header is not None else block.open


def instance_name(inst: VrrpInstance) -> str:
    name = inst.name
    return name.value if name is not None else "(unnamed)"


def sourced_int(value: Sourced[str] | None) -> int | None:
    """An integer as keepalived reads it; None for no value, a placeholder or no number."""
    if value is None or is_placeholder(value.value):
        return None
    text = value.value.strip()
    return int(text) if re.fullmatch(r"[+-]?\d{1,18}", text) else None


def sourced_float(value: Sourced[str] | None) -> float | None:
    if value is None or is_placeholder(value.value):
        return None
    try:
        return float(value.value)
    except ValueError:
        return None


def state(inst: VrrpInstance) -> str | None:
    """MASTER or BACKUP as keepalived starts the instance (BACKUP when unset or invalid); None for a
    placeholder."""
    s = inst.state
    if s is None:
        return "BACKUP"
    if is_placeholder(s.value):
        return None
    return s.value if s.value in STATES else "BACKUP"


def priority(inst: VrrpInstance) -> int | None:
    """The configured priority: 100 when unset or outside 1-255 (keepalived: "Using default 100")."""
    p = inst.priority
    if p is None:
        return DEFAULT_PRIORITY
    n = sourced_int(p)
    if n is None:
        return None if is_placeholder(p.value) else DEFAULT_PRIORITY
    return n if 1 <= n <= 255 else DEFAULT_PRIORITY


def vrid(inst: VrrpInstance) -> int | None:
    n = sourced_int(inst.virtual_router_id)
    return n if n is not None and 1 <= n <= 255 else None


def advert_int(inst: VrrpInstance) -> float | None:
    """The advertisement interval in seconds (1 when unset or invalid; VRRPv2 rounds to an integer)."""
    a = inst.advert_int
    if a is None:
        return DEFAULT_ADVERT
    f = sourced_float(a)
    if f is None:
        return None if is_placeholder(a.value) else DEFAULT_ADVERT
    return f if 0 < f <= 255 else DEFAULT_ADVERT


def ip_of(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if is_placeholder(text):
        return None
    return net.ip(text)


def vip_addresses(inst: VrrpInstance) -> list[Vip]:
    """The VIPs keepalived configures: valid addresses of the instance's family (that of its first VIP;
    keepalived ignores the others: "address family must match VRRP instance")."""
    out: list[Vip] = []
    family: int | None = None
    for v in inst.vips:
        ip = ip_of(v.address.value)
        if ip is None:
            continue
        family = family or ip.version
        if ip.version == family:
            out.append(v)
    return out


def vip_set(inst: VrrpInstance) -> frozenset[str]:
    return frozenset(net.normalise_host(v.address.value) for v in vip_addresses(inst))


def vip_network(vip: Vip) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The subnet the VIP's prefix gives (None for no prefix, or a host prefix: /32, /128)."""
    addr = ip_of(vip.address.value)
    if addr is None or vip.prefix is None or vip.prefix >= addr.max_prefixlen:
        return None
    return ipaddress.ip_network(f"{addr}/{vip.prefix}", strict=False)


def unicast_peers(inst: VrrpInstance) -> list[Sourced[str]]:
    """Valid peer addresses; a $NAME defined as several addresses gives each (keepalived splits it)."""
    return [Sourced(part, p.span) for p in inst.unicast_peers for part in p.value.split()
            if ip_of(part) is not None]


def mcast_dst(inst: VrrpInstance) -> str | None:
    m = inst.setting("mcast_dst_ip")
    return net.normalise_host(m.value) if m is not None and ip_of(m.value) is not None else None


def source_ip(inst: VrrpInstance) -> Sourced[str] | None:
    for s in (inst.unicast_src_ip, inst.setting("mcast_src_ip")):
        if s is not None and ip_of(s.value) is not None:
            return s
    return None


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def join_and(items: Iterable[str]) -> str:
    seq = list(items)
    if len(seq) <= 2:
        return " and ".join(seq)
    return ", ".join(seq[:-1]) + " and " + seq[-1]


# ------------------------------------------------------------------ tracking


class Tracked(NamedTuple):
    """One tracked check of an instance with the weight keepalived applies."""

    kind: str  # "script" | "process"
    name: str
    weight: int  # 0: the instance goes FAULT when the check fails
    weight_span: Span | None  # where the weight is written (track_script line or vrrp_script block)
    ref: TrackRef
    reverse: bool
    ignored: str | None  # why keepalived ignores this weighted check (address owner, sync group)


def sync_groups(config: KeepalivedConfig) -> list[Block]:
    return list(config.blocks("vrrp_sync_group"))


def sync_group_of(config: KeepalivedConfig, name: str) -> Block | None:
    for g in sync_groups(config):
        for members in g.blocks("group"):
            if any(s.values[0] == name for s in members.items()):
                return g
    return None


def track_refs(block: Block, keyword: str) -> list[TrackRef]:
    out: list[TrackRef] = []
    for b in block.blocks(keyword):
        for s in b.items():
            weight = None
            for i, v in enumerate(s.values[:-1]):
                if v == "weight":
                    weight = Sourced(s.values[i + 1], s.words[i + 1].span)
            out.append(TrackRef(Sourced(s.values[0], s.words[0].span), weight, s))
    return out


def tracked(config: KeepalivedConfig, inst: VrrpInstance) -> list[Tracked]:
    """The instance's track_script and track_process entries (its sync group's too) that name a defined
    vrrp_script or vrrp_track_process, with their effective weights."""
    scripts = {s.name.value: s for s in vrrp_scripts(config) if s.name is not None}
    processes = {b.name.value: b for b in config.blocks("vrrp_track_process") if b.name is not None}
    group = sync_group_of(config, instance_name(inst))
    refs: list[tuple[str, TrackRef]] = [("script", r) for r in inst.track_scripts]
    refs += [("process", r) for r in inst.track_processes]
    if group is not None:
        refs += [("script", r) for r in track_refs(group, "track_script")]
        refs += [("process", r) for r in track_refs(group, "track_process")]
    group_weights = group is not None and group.stmt("sync_group_tracking_weight") is not None
    owner = priority(inst) == OWNER_PRIORITY
    out: list[Tracked] = []
    for kind, ref in refs:
        name = ref.name.value
        defined: Block | None = None
        if kind == "script" and name in scripts:
            defined = scripts[name].block
        elif kind == "process" and name in processes:
            defined = processes[name]
        if defined is None:
            continue
        weight_src = ref.weight
        span = ref.weight.span if ref.weight is not None else None
        if weight_src is None:
            own = defined.stmt("weight")
            if own is not None and own.args:
                weight_src = Sourced(own.values[1], own.words[1].span)
                span = own.words[1].span
        w = sourced_int(weight_src) if weight_src is not None else 0
        if w is None:
            continue
        if not -254 <= w <= 254:
            w = 0  # out of range: keepalived ignores the weight
        reverse = "reverse" in ref.stmt.values[1:] or (
            ref.weight is None and any("reverse" in s.values[1:] for s in defined.stmts("weight")))
        ignored = None
        if w != 0 and owner:
            ignored = "address_owner"
        elif w != 0 and group is not None and not group_weights:
            ignored = "SYNC group"
        out.append(Tracked(kind, name, w, span, ref, reverse, ignored))
    return out


def has_tracking(config: KeepalivedConfig, inst: VrrpInstance) -> bool:
    """A track_script, track_process or track_file on the instance or on its sync group."""
    keys = ("track_script", "track_process", "track_file")
    if any(next(inst.block.blocks(k), None) is not None for k in keys):
        return True
    group = sync_group_of(config, instance_name(inst))
    return group is not None and any(next(group.blocks(k), None) is not None for k in keys)


def script_of(scripts: Iterable[VrrpScript], name: str) -> VrrpScript | None:
    return next((s for s in scripts if s.name is not None and s.name.value == name), None)


# ------------------------------------------------------------------ members and peer groups


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


def _node_addresses(cluster: Cluster, host: str | None) -> list[Sourced[str]]:
    if host is None:
        return []
    node = cluster.node(host)
    return [a for a in node.addresses if ip_of(a.value) is not None] if node else []


def own_addresses(cluster: Cluster, m: Member) -> list[Sourced[str]]:
    """The member's own addresses: its unicast/multicast source address and its node's addresses."""
    out: list[Sourced[str]] = []
    src = source_ip(m.inst)
    if src is not None and not m.spread:
        out.append(src)
    out.extend(_node_addresses(cluster, m.host))
    return out


def node_networks(cluster: Cluster) -> dict[str, list[Sourced[str]]]:
    """The native inventory's per-node ``network`` (the joined model does not carry it)."""
    out: dict[str, list[Sourced[str]]] = {}
    for n in native_nodes(cluster.files):
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


def _facts(cluster: Cluster, m: Member, networks: dict[str, list[Sourced[str]]]) -> _Facts:
    vips = vip_set(m.inst)
    uni = frozenset(_key(p.value) for p in unicast_peers(m.inst))
    own = frozenset(_key(a.value) for a in own_addresses(cluster, m))
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


def members(cluster: Cluster) -> list[Member]:
    vrrps = [v for v in cluster.vrrps if is_config(v.file)]
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


def _file_related(a: Member, b: Member, all_members: list[Member], facts: dict[int, _Facts]) -> bool:
    if a.path == b.path:
        return False
    if a.host is not None and b.host is not None:
        return a.host != b.host
    in_a = [m for m in all_members if m.path == a.path]
    in_b = [m for m in all_members if m.path == b.path]
    if any(_xref(facts[id(x)], facts[id(y)]) for x in in_a for y in in_b):
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


def peering(cluster: Cluster) -> Peering:
    ms = members(cluster)
    networks = node_networks(cluster)
    facts = {id(m): _facts(cluster, m, networks) for m in ms}
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


def distinct(group: Iterable[Member]) -> list[Member]:
    """One member per instance (a spread file's instance once)."""
    seen: set[tuple[str, int]] = set()
    out: list[Member] = []
    for m in group:
        if m.key not in seen:
            seen.add(m.key)
            out.append(m)
    return out


def hosts_phrase(ms: Iterable[Member]) -> str:
    hosts = [m.host for m in ms if m.host]
    return join_and(hosts)


def spread_note(m: Member, group: Iterable[Member]) -> str:
    """Why one file counts several times: it is tied to no node and runs on every lb node."""
    if not m.spread:
        return ""
    hosts = [x.host for x in group if x.key == m.key and x.host]
    return (f" ({m.path} is tied to no node, so it runs unchanged on every lb node of the inventory: "
            f"{join_and(hosts)})")


H = TypeVar("H", bound=Hashable)


def reference(group: list[Member], value: Callable[[Member], H | None]) -> H | None:
    """The value most peers use; a tie goes to the MASTER's value, then to the first file's."""
    values = [(m, v) for m in group if (v := value(m)) is not None]
    if not values:
        return None
    counts = Counter(v for _, v in values)
    top = max(counts.values())
    tied = [v for v, c in counts.items() if c == top]
    if len(tied) == 1:
        return tied[0]
    for m, v in values:
        if v in tied and state(m.inst) == "MASTER":
            return v
    return next(v for _, v in values if v in tied)


def related_instances(ms: Iterable[Member],
                      what: Callable[[Member], tuple[Span, str]]) -> tuple[Related, ...]:
    out: list[Related] = []
    seen: set[tuple[str, int]] = set()
    for m in ms:
        if m.key in seen:
            continue
        seen.add(m.key)
        span, text = what(m)
        out.append(Related(span, text))
    return tuple(out)


def setting_span(m: Member, keyword: str) -> Span:
    s = m.inst.setting(keyword)
    return s.span if s is not None else m.span


def file_name(path: str) -> str:
    return PurePosixPath(path).name


def stmt_word_span(stmt: Stmt, index: int) -> Span:
    word = stmt.arg(index)
    return word.span if word is not None else stmt.span


def all_vrrps(cluster: Cluster) -> Iterator[tuple[ParsedFile, KeepalivedConfig, VrrpInstance]]:
    """Every VRRP instance of every keepalived configuration (included files read as part of their
    includer)."""
    for f, cfg in keepalived_files(cluster):
        for inst in vrrp_instances(cfg):
            yield f, cfg, inst
