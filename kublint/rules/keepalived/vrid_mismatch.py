"""KP103: see rules/KP103.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.vrrp_values import vip_set, vrid
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, join_and, reference, related_instances, setting_span


@rule("KP103")
def vrid_mismatch(cluster: Cluster) -> Iterator[Problem]:
    for group in cluster.peering.groups:
        insts = distinct(group)
        if len(insts) < 2:
            continue
        values = {m.key: vrid(m.inst) for m in insts}
        if len({v for v in values.values() if v is not None}) < 2:
            continue
        ref = reference(insts, lambda m: vrid(m.inst))
        agree = [m for m in insts if values[m.key] == ref]
        for m in insts:
            v = values[m.key]
            if v is None or v == ref:
                continue
            others: set[str] = set()
            for x in agree:
                others |= vip_set(x.inst)
            shared = sorted(vip_set(m.inst) & others)
            what = (f"for the same VIP{'s' if len(shared) > 1 else ''} {join_and(shared)}" if shared
                    else "(they name each other as unicast peers)")
            yield Problem(
                f"{m.name} uses virtual_router_id {v} while its peer{'s' if len(agree) > 1 else ''} "
                f"{join_and(x.label() for x in agree)} {what} use{'s' if len(agree) == 1 else ''} {ref}: "
                "VRRP routers only hear adverts of their own VRID, so each side believes it is alone and "
                "both hold the VIP (two MASTERs, the VIP flapping between hosts); set virtual_router_id "
                f"{ref} here",
                m.span,
                related_instances(agree, lambda x: (setting_span(x, "virtual_router_id"),
                                                    f"{x.label()}: virtual_router_id {vrid(x.inst)}")),
                anchor=m.anchor("vrid-mismatch"),
            )
