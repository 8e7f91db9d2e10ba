"""KP104: see rules/KP104.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.vrrp import Member, Peering
from kublint.model.vrrp_values import mcast_dst, unicast_peers, vip_addresses, vrid
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, join_and, setting_span


def _family(m: Member) -> int | None:
    vips = vip_addresses(m.inst)
    ip = net.ip(vips[0].address.value) if vips else None
    return ip.version if ip is not None else None


def _separated(a: Member, b: Member) -> bool:
    """keepalived's exceptions: unicast with peer lists that do not overlap, or different multicast groups."""
    ua = {net.normalise_host(p.value) for p in unicast_peers(a.inst)}
    ub = {net.normalise_host(p.value) for p in unicast_peers(b.inst)}
    if ua and ub and not ua & ub:
        return True
    if bool(ua) != bool(ub):
        return True  # one unicasts, the other multicasts: they use different sockets
    ma, mb = mcast_dst(a.inst), mcast_dst(b.inst)
    return not ua and (ma or "224.0.0.18") != (mb or "224.0.0.18")


def _collide(pe: Peering, a: Member, b: Member) -> bool:
    if vrid(a.inst) is None or vrid(a.inst) != vrid(b.inst) or a.key == b.key:
        return False
    if pe.group_of(a) is pe.group_of(b):
        return False
    fa, fb = _family(a), _family(b)
    if fa is not None and fb is not None and fa != fb:
        return False
    if _separated(a, b):
        return False
    if a.path == b.path:
        if a.name == b.name:
            return False  # a repeated name: keepalived skips the second block (KP003)
        ia, ib = a.inst.interface, b.inst.interface
        return ia is None or ib is None or ia.value == ib.value
    return pe.files_related(a, b) and pe.same_network(a, b)


@rule("KP104")
def vrid_collision(cluster: Cluster) -> Iterator[Problem]:
    pe = cluster.peering
    ms = distinct(pe.members)
    for a in ms:
        clash = [b for b in ms if _collide(pe, a, b)]
        if not clash:
            continue
        same_file = [b for b in clash if b.path == a.path]
        effect = ("keepalived 2.2.7 refuses this configuration (\"... both use VRID "
                  f"{vrid(a.inst)} ... on interface ...\") and does not start" if same_file else
                  "each group's routers take the other group's adverts for their own (wrong VIPs, "
                  "\"received an invalid passwd\" or priority fights), so the VIPs move unpredictably")
        yield Problem(
            f"{a.name} uses virtual_router_id {vrid(a.inst)}, as does {join_and(b.label() for b in clash)}, "
            f"a different VRRP instance on the same network: {effect}; give each instance on a network its "
            "own virtual_router_id (the same on all of its peers)",
            a.span, tuple(Related(setting_span(b, "virtual_router_id"), f"{b.label()}: virtual_router_id "
                                  f"{vrid(b.inst)}") for b in clash),
            anchor=a.anchor("vrid-collision"),
        )
