"""KP115: see rules/KP115.md."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.vrrp import Member
from kublint.model.vrrp_values import advert_int, is_placeholder, vip_set
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, join_and, reference, related_instances, setting_span
from kublint.source import Span


def _auth(m: Member) -> tuple[str, ...] | None:
    auth = m.inst.auth
    if auth is None:
        return ("none",)
    t = auth.type.value if auth.type is not None else ""
    pw = auth.password.value if auth.password is not None else None
    if (auth.type is not None and is_placeholder(t)) or (pw is not None and is_placeholder(pw)):
        return None
    if t not in ("PASS", "AH") or pw is None:
        return ("none",)  # keepalived ignores an unknown type or a block without password
    return (t, pw[:8])


def _auth_span(m: Member) -> Span:
    auth = m.inst.auth
    if auth is None:
        return m.span
    if auth.password is not None:
        return auth.password.span
    return auth.block.header.span if auth.block.header is not None else m.span


def _vip_span(m: Member) -> Span:
    b = next(m.inst.block.blocks("virtual_ipaddress"), None)
    return b.header.span if b is not None and b.header is not None else m.span


@rule("KP115")
def peer_mismatch(cluster: Cluster) -> Iterator[Problem]:
    for group in cluster.peering.groups:
        insts = distinct(group)
        if len(insts) < 2:
            continue
        yield from _advert(insts)
        yield from _authentication(insts)
        yield from _vips(insts)


Split = tuple[Hashable, list[Member], list[Member]]


def _differing(insts: list[Member], value: Callable[[Member], Hashable | None]) -> Split | None:
    values = {m.key: value(m) for m in insts}
    if len({v for v in values.values() if v is not None}) < 2:
        return None
    ref = reference(insts, value)
    if ref is None:
        return None
    agree = [m for m in insts if values[m.key] == ref]
    differ = [m for m in insts if values[m.key] is not None and values[m.key] != ref]
    return ref, agree, differ


def _advert(insts: list[Member]) -> Iterator[Problem]:
    found = _differing(insts, lambda m: advert_int(m.inst))
    if found is None:
        return
    ref, agree, differ = found
    for m in differ:
        yield Problem(
            f"{m.name} advertises every {advert_int(m.inst):g} s (advert_int) while "
            f"{join_and(x.label() for x in agree)} use{'s' if len(agree) == 1 else ''} {ref:g} s: a VRRPv2 "
            "router drops adverts with another interval (\"advertisement interval mismatch\"), so the peers "
            f"do not hear each other and both become MASTER; set advert_int {ref:g} on every peer",
            m.span, related_instances(agree, lambda x: (setting_span(x, "advert_int"),
                                                       f"{x.label()}: advert_int {advert_int(x.inst):g}")),
            anchor=m.anchor("peer-mismatch/advert_int"),
        )


def _authentication(insts: list[Member]) -> Iterator[Problem]:
    found = _differing(insts, _auth)
    if found is None:
        return
    ref, agree, differ = found
    assert isinstance(ref, tuple)
    for m in differ:
        mine = _auth(m)
        assert mine is not None
        if mine[0] != ref[0]:
            what = (f"uses {'no authentication' if mine == ('none',) else 'auth_type ' + mine[0]} while "
                    f"{join_and(x.label() for x in agree)} use{'s' if len(agree) == 1 else ''} "
                    f"{'no authentication' if ref == ('none',) else 'auth_type ' + str(ref[0])}")
        else:
            what = ("has an auth_pass whose first 8 characters (the ones keepalived compares) differ from "
                    f"those of {join_and(x.label() for x in agree)}")
        yield Problem(
            f"{m.name} {what}: keepalived drops adverts that fail authentication (\"received an invalid "
            "passwd!\" or \"Invalid auth type\"), so the peers do not hear each other and both become "
            "MASTER; use the same authentication block on every peer",
            m.span, related_instances(agree, lambda x: (_auth_span(x), f"{x.label()}: authentication")),
            anchor=m.anchor("peer-mismatch/authentication"),
        )


def _vips(insts: list[Member]) -> Iterator[Problem]:
    found = _differing(insts, lambda m: vip_set(m.inst) or None)
    if found is None:
        return
    ref, agree, differ = found
    assert isinstance(ref, frozenset)
    for m in differ:
        mine = vip_set(m.inst)
        missing, extra = sorted(ref - mine), sorted(mine - ref)
        parts = []
        if missing:
            parts.append(f"lacks {join_and(missing)}")
        if extra:
            parts.append(f"adds {join_and(extra)}")
        yield Problem(
            f"{m.name}'s virtual_ipaddress {' and '.join(parts)} compared with "
            f"{join_and(x.label() for x in agree)}: a VRRPv2 advert lists the VIPs, and keepalived discards "
            "adverts whose addresses do not match its own (\"ip address associated with VRID ... not "
            "present\"), so the peers ignore each other, both become MASTER, or a failover moves a "
            "different set of addresses; list the same VIPs on every peer",
            m.span, related_instances(agree, lambda x: (_vip_span(x), f"{x.label()}: "
                                                        f"{join_and(sorted(vip_set(x.inst)))}")),
            anchor=m.anchor("peer-mismatch/vips"),
        )
