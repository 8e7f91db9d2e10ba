"""VRRP values as keepalived 2.2.7 reads them (a priority outside 1-255 is 100, an unset state BACKUP), the
keepalived configurations of a tree as keepalived reads them (included files are part of their includer), and
the checks an instance tracks with the weights keepalived applies. Template placeholders are no value."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import kublint.net as net
from kublint.model.files import Kind, ParsedFile
from kublint.model.keepalived import TrackRef, Vip, VrrpInstance, VrrpScript, block_tracks, vrrp_scripts
from kublint.model.types import Sourced
from kublint.parsers.keepalived import Block, KeepalivedConfig
from kublint.placeholders import has_keepalived_placeholder
from kublint.source import Span

DEFAULT_PRIORITY = 100  # keepalived's VRRP_PRIO_DFL, also what it uses for an invalid priority
DEFAULT_ADVERT = 1.0
OWNER_PRIORITY = 255  # the address owner: keepalived ignores weighted tracking
STATES = ("MASTER", "BACKUP")

def is_placeholder(text: str) -> bool:
    """A template placeholder left in a value (SY007 reports it; the KP rules leave such values alone)."""
    return has_keepalived_placeholder(text)


# ------------------------------------------------------------------ files


def included_paths(files: Iterable[ParsedFile]) -> set[str]:
    return {
        p
        for f in files
        if isinstance(f.content, KeepalivedConfig)
        for inc in f.content.includes
        for p in inc.files
    }


DOC_SUFFIXES = (".txt", ".md", ".rst", ".adoc")


def is_config(f: ParsedFile) -> bool:
    """Not documentation: a README.txt that quotes keepalived blocks is sniffed as keepalived by the loader,
    but nobody runs it (unless it is named on the command line)."""
    return f.explicit or not f.path.lower().endswith(DOC_SUFFIXES)


def keepalived_files(files: Sequence[ParsedFile]) -> list[tuple[ParsedFile, KeepalivedConfig]]:
    """Keepalived configurations as keepalived reads them: a file included by another one is part of the
    including file's stream, not a configuration of its own."""
    included = included_paths(files)
    return [
        (f, f.content)
        for f in files
        if f.kind is Kind.KEEPALIVED
        and isinstance(f.content, KeepalivedConfig)
        and f.path not in included
        and is_config(f)
    ]


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
    return [
        Sourced(part, p.span)
        for p in inst.unicast_peers
        for part in p.value.split()
        if ip_of(part) is not None
    ]


def mcast_dst(inst: VrrpInstance) -> str | None:
    m = inst.setting("mcast_dst_ip")
    return net.normalise_host(m.value) if m is not None and ip_of(m.value) is not None else None


def source_ip(inst: VrrpInstance) -> Sourced[str] | None:
    for s in (inst.unicast_src_ip, inst.setting("mcast_src_ip")):
        if s is not None and ip_of(s.value) is not None:
            return s
    return None


# --- tracking


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
    return [t for b in block.blocks(keyword) for t in block_tracks(b)]


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
            ref.weight is None and any("reverse" in s.values[1:] for s in defined.stmts("weight"))
        )
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
