"""KP004: see rules/KP004.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.keepalived import VrrpInstance, VrrpScript, vrrp_instances, vrrp_scripts
from kublint.model.types import Sourced
from kublint.model.values import float_text, int_text
from kublint.model.vrrp_values import header_span, instance_name, is_placeholder, keepalived_files
from kublint.rules.api import rule


def _int(text: str) -> int | None:
    return int_text(text)


def _problem(what: str, value: Sourced[str], effect: str, fix: str, anchor: str) -> Problem:
    return Problem(f"{what} {value.value!r} {effect}; {fix}", value.span, anchor=anchor)


def _instance(inst: VrrpInstance) -> Iterator[Problem]:
    name = instance_name(inst)
    a = f"vrrp_instance:{name}"
    st = inst.state
    if st is not None and not is_placeholder(st.value) and st.value not in ("MASTER", "BACKUP"):
        yield _problem("state", st, f"is neither MASTER nor BACKUP (keepalived reads them case-sensitively): "
                       f"keepalived 2.2.7 logs \"({name}) unknown state '{st.value}', defaulting to BACKUP\"",
                       "write MASTER or BACKUP in capitals", f"{a}/state")
    vr = inst.virtual_router_id
    if vr is None:
        yield Problem(
            f"vrrp_instance {name} sets no virtual_router_id: keepalived 2.2.7 refuses the configuration "
            f"(\"({name}) the virtual router id must be set\") and does not start; set the same "
            "virtual_router_id (1-255, unique on the network) on every peer",
            header_span(inst.block), anchor=f"{a}/virtual_router_id")
    elif not is_placeholder(vr.value):
        n = _int(vr.value)
        if n is None or not 1 <= n <= 255:
            yield _problem("virtual_router_id", vr,
                           f"is outside 1-255: keepalived 2.2.7 logs \"({name}): VRID '{vr.value}' not valid "
                           "- must be between 1 & 255\" and refuses to start",
                           "use one number from 1 to 255, the same on every peer and unique on the network",
                           f"{a}/virtual_router_id")
    pr = inst.priority
    if pr is not None and not is_placeholder(pr.value):
        n = _int(pr.value)
        if n is None or not 1 <= n <= 255:
            yield _problem("priority", pr, f"is outside 1-255: keepalived 2.2.7 logs \"({name}) Priority not "
                           "valid! must be between 1 & 255. Using default 100\"",
                           "use 1-254 (255 means the address owner), a different value on each peer",
                           f"{a}/priority")
    ad = inst.advert_int
    if ad is not None and not is_placeholder(ad.value):
        parsed = float_text(ad.value)
        f = parsed if parsed is not None else -1.0
        if not 0 < f <= 255:
            yield _problem("advert_int", ad, f"is outside (0, 255] seconds: keepalived 2.2.7 logs \"({name}) "
                           f"Advert interval ({ad.value}) not valid! Must be > 0 - ignoring\" and uses 1",
                           "use the same whole number of seconds on every peer (1 is usual)",
                           f"{a}/advert_int")
    yield from _auth(inst, a, name)
    yield from _addresses(inst, a, name)
    for ref in inst.track_scripts:
        w = ref.weight
        if w is None or is_placeholder(w.value):
            continue
        n = _int(w.value)
        if n is None or not -253 <= n <= 253:
            yield _problem(f"track_script {ref.name.value} weight", w, "is outside -253..253: keepalived "
                           f"2.2.7 logs \"({name}) track script {ref.name.value}: weight must be between "
                           "[-253..253] inclusive, ignoring...\" and does not track the script at all",
                           "use a weight from -253 to 253", f"{a}/track_script/{ref.name.value}/weight")


def _auth(inst: VrrpInstance, a: str, name: str) -> Iterator[Problem]:
    auth = inst.auth
    if auth is None:
        return
    t = auth.type
    if t is not None and not is_placeholder(t.value) and t.value not in ("PASS", "AH"):
        yield _problem("auth_type", t, f"is neither PASS nor AH (keepalived reads them case-sensitively): "
                       f"keepalived 2.2.7 logs \"({name}) unknown authentication type '{t.value}'\" and "
                       "sends adverts without "
                       "authentication", "write PASS (or drop the authentication block on "
                       "every peer)", f"{a}/auth_type")
    if auth.password is None and auth.block.header is not None:
        yield Problem(
            f"the authentication block of {name} has no auth_pass: keepalived 2.2.7 logs \"({name}) "
            "Authentication specified but no password given. Ignoring\"; set auth_pass (the same on every "
            "peer) or remove the block on every peer",
            auth.block.header.span, anchor=f"{a}/auth_pass")


def _addresses(inst: VrrpInstance, a: str, name: str) -> Iterator[Problem]:
    family: int | None = None
    for vip in inst.vips:
        raw = (vip.stmt.values[0].split() or [""])[0]  # a $NAME defined with blanks is split by keepalived
        span = vip.stmt.words[0].span
        if is_placeholder(raw):
            continue
        addr_text, _, plen = raw.partition("/")
        ip = net.ip(addr_text) if "[" not in addr_text else None
        if ip is None or addr_text.strip() != addr_text:
            yield Problem(
                f"virtual_ipaddress entry {raw!r} is no IP address: keepalived 2.2.7 logs \"VRRP parsed "
                f"invalid IP {raw}. skipping IP...\", so {name} does not carry it; write one address per "
                "line (address[/prefix] [dev IFACE]), no ranges", span, anchor=f"{a}/vip/{raw}")
            continue
        if plen and ((n := int_text(plen)) is None or plen.strip()[:1] in "+-" or n > ip.max_prefixlen):
            yield Problem(
                f"virtual_ipaddress {raw!r} has a prefix length outside 0-{ip.max_prefixlen}: keepalived "
                f"2.2.7 logs \"Invalid address prefix len {plen} for address {raw} - using "
                f"{ip.max_prefixlen}\"; use the prefix of the subnet the peers "
                "share", span, anchor=f"{a}/vip/{raw}")
        if family is None:
            family = ip.version
        elif ip.version != family:
            yield Problem(
                f"virtual_ipaddress {raw!r} is IPv{ip.version} while {name}'s first VIP is IPv{family}: "
                f"keepalived 2.2.7 logs \"({name}): address family must match VRRP instance [{raw}] - "
                "ignoring\"; put IPv6 and IPv4 VIPs in separate instances (or in "
                "virtual_ipaddress_excluded)",
                span, anchor=f"{a}/vip/{raw}")
    src = inst.unicast_src_ip
    if src is not None and not is_placeholder(src.value) and net.ip(src.value) is None:
        yield _problem("unicast_src_ip", src,
                       "is no IP address: keepalived 2.2.7 logs \"Configuration error: VRRP "
                       f"instance[{name}] malformed src address[{src.value}]. Skipping...\"",
                       "write this host's address", f"{a}/unicast_src_ip")
    for entry in inst.unicast_peers:
        for part in entry.value.split() or [entry.value]:
            peer = Sourced(part, entry.span)
            if is_placeholder(peer.value) or net.ip(peer.value) is not None:
                continue
            yield _problem("unicast_peer", peer, f"is no IP address: keepalived 2.2.7 logs \"Configuration "
                           f"error: VRRP instance[{name}] malformed unicast peer address[{peer.value}]. "
                           "Skipping...\"", "list each peer's address", f"{a}/unicast_peer/{peer.value}")


def _script(script: VrrpScript) -> Iterator[Problem]:
    name = script.name.value if script.name is not None else "(unnamed)"
    a = f"vrrp_script:{name}"
    w = script.weight
    if w is not None and not is_placeholder(w.value):
        n = _int(w.value)
        if n is None or not -253 <= n <= 253:
            yield _problem("weight", w,
                           f"is outside -253..253: keepalived 2.2.7 logs \"vrrp_script {name} weight "
                           f"{w.value} must be in [-253, 253]\" and uses 0, so a failing check puts the "
                           "instance in FAULT instead of changing its "
                           "priority", "use a weight from -253 to 253",
                           f"{a}/weight")
    for key, lo, hi in (("interval", 1, 4294), ("fall", 1, 2147483647), ("rise", 1, 2147483647)):
        v = script.setting(key)
        if v is None or is_placeholder(v.value):
            continue
        n = _int(v.value)
        if n is not None and lo <= n <= hi:
            continue
        said = (f"vrrp script interval '{v.value}' must be between 1 and 4294 - ignoring" if key == "interval"
                else f"vrrp script {key} value '{v.value}' invalid, defaulting to 1")
        yield _problem(key, v, f"is not a whole number from {lo} to {hi}: keepalived 2.2.7 logs \"({name}): "
                       f"{said}\"", f"set {key} to a whole number from {lo} to {hi}", f"{a}/{key}")


@rule("KP004")
def invalid_value(cluster: Cluster) -> Iterator[Problem]:
    for _f, cfg in keepalived_files(cluster.files):
        for inst in vrrp_instances(cfg):
            yield from _instance(inst)
        for script in vrrp_scripts(cfg):
            yield from _script(script)
