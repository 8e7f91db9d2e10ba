"""KP108: see rules/KP108.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.vrrp_values import priority, state
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, join_and, related_instances, setting_span


@rule("KP108")
def master_not_highest_priority(cluster: Cluster) -> Iterator[Problem]:
    for group in cluster.peering.groups:
        if len(group) < 2:
            continue
        for m in distinct(group):
            p = priority(m.inst)
            if state(m.inst) != "MASTER" or p is None:
                continue
            higher = [x for x in distinct(group) if x.key != m.key and state(x.inst) == "BACKUP"
                      and (priority(x.inst) or 0) > p]
            if not higher:
                continue
            top = max(priority(x.inst) or 0 for x in higher)
            yield Problem(
                f"{m.name} starts as MASTER with priority {p}, but {join_and(x.label() for x in higher)} "
                f"{'has' if len(higher) == 1 else 'have'} a higher priority (up to {top}) in state BACKUP: "
                "the higher priority preempts this MASTER as soon as it is heard, so the VIP moves at every "
                "start and the configured MASTER is not the one that holds it; kubeadm's high-availability "
                f"guide gives the MASTER the highest priority: raise this priority above {top} or swap the "
                "states",
                m.span,
                related_instances(higher, lambda x: (setting_span(x, "priority"),
                                                     f"{x.label()}: state BACKUP, priority "
                                                     f"{priority(x.inst)}")),
                anchor=m.anchor("master-not-highest"),
            )
