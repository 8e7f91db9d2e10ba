"""KP107: see rules/KP107.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.vrrp_values import priority
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, join_and, related_instances, setting_span, spread_note


@rule("KP107")
def duplicate_priority(cluster: Cluster) -> Iterator[Problem]:
    for group in cluster.peering.groups:
        if len(group) < 2:
            continue
        for m in distinct(group):
            p = priority(m.inst)
            if p is None:
                continue
            same = [x for x in group if x is not m and priority(x.inst) == p]
            if not same:
                continue
            elsewhere = [x for x in distinct(same) if x.key != m.key]
            who = join_and(x.label() for x in elsewhere) if elsewhere else "its copies"
            shown = (f"priority {p}" if m.inst.priority is not None
                     else f"no priority (keepalived's default {p})")
            yield Problem(
                f"{m.name} has {shown}, the same as {who}{spread_note(m, group)}: with equal priorities the "
                "election is decided by the higher IP address, so which host holds the VIP depends on "
                "addressing rather than on the configuration, and a returning peer may or may not take it "
                "back; the keepalived manual asks for different priorities on all systems; give each peer "
                "its own priority (the MASTER the highest)",
                m.span,
                related_instances(elsewhere, lambda x: (setting_span(x, "priority"),
                                                        f"{x.label()}: priority {priority(x.inst)}")),
                anchor=m.anchor("duplicate-priority"),
            )
