"""KP110: see rules/KP110.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.vrrp_values import has_tracking, header_span, instance_name
from kublint.rules.api import rule
from kublint.rules.keepalived._common import all_vrrps


@rule("KP110")
def no_health_tracking(cluster: Cluster) -> Iterator[Problem]:
    for _f, cfg, inst in all_vrrps(cluster):
        name = instance_name(inst)
        if has_tracking(cfg, inst):
            continue
        yield Problem(
            f"{name} tracks nothing (no track_script or track_process): keepalived moves the VIP only when "
            "this host or keepalived itself dies, so it stays on a host whose HAProxy or API server is down "
            "and every API request through the VIP fails; kubeadm's high-availability guide tracks a "
            "check_apiserver vrrp_script: add one (or a track_process for haproxy) with a weight that hands "
            "the VIP over",
            header_span(inst.block), anchor=f"vrrp_instance:{name}/no-tracking",
        )
