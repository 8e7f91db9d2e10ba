"""KP105: see rules/KP105.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.vrrp_values import instance_name, sourced_int
from kublint.rules.api import rule
from kublint.rules.keepalived._common import all_vrrps

DISTRO_DEFAULT = 51


@rule("KP105")
def default_vrid(cluster: Cluster) -> Iterator[Problem]:
    for _f, _cfg, inst in all_vrrps(cluster):
        vr = inst.virtual_router_id
        if vr is None or sourced_int(vr) != DISTRO_DEFAULT:
            continue
        name = instance_name(inst)
        yield Problem(
            f"{name} keeps virtual_router_id 51, the value keepalived's sample configuration and many "
            "distributions ship: another VRRP cluster on the same network left at the default collides with "
            "this one (each takes the other's adverts for its own); pick a VRID unused on this network, the "
            "same on every peer",
            vr.span, anchor=f"vrrp_instance:{name}/default-vrid",
        )
