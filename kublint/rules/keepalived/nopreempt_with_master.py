"""KP109: see rules/KP109.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.vrrp_values import OWNER_PRIORITY, priority, state
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, join_and


@rule("KP109")
def nopreempt_with_master(cluster: Cluster) -> Iterator[Problem]:
    for group in cluster.peering.groups:
        users = [m for m in distinct(group)
                 if m.inst.nopreempt is not None and priority(m.inst) != OWNER_PRIORITY]
        if not users:
            continue
        for m in distinct(group):
            if state(m.inst) != "MASTER":
                continue
            own = m.inst.nopreempt
            others = [u for u in users if u.key != m.key]
            if own is not None:
                what = (f"{m.name} sets nopreempt but starts in state MASTER: keepalived logs \"({m.name}) "
                        "Warning - nopreempt will not work with initial state MASTER - clearing\", so this "
                        "host takes the VIP back whenever it starts, which nopreempt was meant to prevent")
            else:
                what = (f"{join_and(u.label() for u in others)} set{'s' if len(others) == 1 else ''} "
                        f"nopreempt, but {m.name} starts in state MASTER: it takes the VIP whenever it "
                        "(re)starts, so the VIP still moves back after a failover, which nopreempt was "
                        "meant to prevent")
            related = [Related(u.inst.nopreempt.span, f"{u.label()}: nopreempt") for u in others
                       if u.inst.nopreempt is not None]
            yield Problem(
                f"{what}; the keepalived manual: \"For this to work, the initial state must not be MASTER\": "
                "set state BACKUP on every peer (the highest priority still wins the first election)",
                m.span, tuple(related), anchor=m.anchor("nopreempt-with-master"),
            )
