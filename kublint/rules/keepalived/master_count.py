"""KP106: see rules/KP106.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.vrrp_values import priority, state
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, join_and, related_instances, setting_span, spread_note


@rule("KP106")
def master_count(cluster: Cluster) -> Iterator[Problem]:
    for group in cluster.peering.groups:
        if len(group) < 2 or any(state(m.inst) is None for m in group):
            continue
        masters = [m for m in group if state(m.inst) == "MASTER"]
        if len(masters) > 1:
            prios = [priority(x.inst) or 0 for x in masters]
            best = max(prios)
            for m in distinct(masters):
                others = [x for x in masters if x is not m and (x.key != m.key or x.host != m.host)]
                elsewhere = [x for x in distinct(others) if x.key != m.key]
                labels = join_and(x.label() for x in elsewhere) if elsewhere else "its copies"
                if (priority(m.inst) or 0) < best:
                    fix = "set state BACKUP here and keep MASTER on the peer with the highest priority"
                elif prios.count(best) == 1:
                    fix = "keep state MASTER here, where the priority is highest, and set BACKUP on the rest"
                else:
                    fix = ("keep MASTER on one of them, give it the highest priority, and set BACKUP on the "
                           "others")
                yield Problem(
                    f"{m.name} starts in state MASTER, and so do {labels}{spread_note(m, group)}: "
                    f"{len(masters)} of the {len(group)} peers claim the VIP at start-up and fight until the "
                    "priorities settle it (or keep it twice when they cannot hear each other); kubeadm's "
                    f"high-availability guide has one MASTER and BACKUP on all others: {fix}",
                    m.span,
                    related_instances([x for x in others if x.key != m.key],
                                      lambda x: (setting_span(x, "state"), f"{x.label()}: state MASTER")),
                    anchor=m.anchor("master-count"),
                )
        elif not masters and not any(m.inst.nopreempt for m in group):
            known = [m for m in group if priority(m.inst) is not None]
            if not known:
                continue
            top = max(known, key=lambda m: priority(m.inst) or 0)
            others = [x for x in distinct(group) if x.key != top.key]
            yield Problem(
                f"none of the {len(group)} peers of {top.name} starts as MASTER{spread_note(top, group)}: "
                "after every start the VIP is missing until the election timeout (3 advert intervals) "
                "passes and the highest priority wins; kubeadm's high-availability guide has one MASTER and "
                "BACKUP on all others: set state MASTER on the peer with the highest priority "
                f"({top.label()}), or add nopreempt to all peers if all-BACKUP is intended",
                top.span,
                related_instances(others, lambda x: (setting_span(x, "state"), f"{x.label()}: state BACKUP")),
                anchor=top.anchor("master-count/none"),
            )
