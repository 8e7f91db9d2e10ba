"""KP112: see rules/KP112.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.vrrp import Member
from kublint.model.vrrp_values import OWNER_PRIORITY, Tracked, priority, state, tracked
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, setting_span


def _clamp(p: int) -> int:
    return max(1, min(254, p))


def _healthy(m: Member) -> int | None:
    """The priority while every check passes: the configured one plus positive weights."""
    p = priority(m.inst)
    if p is None:
        return None
    if p == OWNER_PRIORITY:
        return p
    bonus = sum(t.weight for t in tracked(m.config, m.inst)
                if t.weight > 0 and not t.ignored and not t.reverse)
    return _clamp(p + bonus)


def _masters(group: tuple[Member, ...]) -> list[Member]:
    """The instance that holds the VIP while all is well: the MASTER, else the highest priority."""
    masters = [m for m in distinct(group) if state(m.inst) == "MASTER"]
    if masters:
        return masters
    known = [m for m in distinct(group) if _healthy(m) is not None]
    return [max(known, key=lambda m: _healthy(m) or 0)] if known else []


def _where(m: Member, t: Tracked) -> Related:
    span = t.weight_span or t.ref.name.span
    return Related(span, f"{t.kind} {t.name}: weight {t.weight}")


@rule("KP112")
def track_weight_cannot_failover(cluster: Cluster) -> Iterator[Problem]:
    for group in cluster.peering.groups:
        for m in _masters(group):
            base = _healthy(m)
            if base is None or state(m.inst) is None:
                continue
            items = tracked(m.config, m.inst)
            for t in items:
                if t.weight != 0 and t.ignored:
                    why = ("it has priority 255, the address owner, whose priority no check may lower"
                           if t.ignored == "address_owner" else
                           "it is in a vrrp_sync_group without sync_group_tracking_weight")
                    fix = ("use priority 254 or lower" if t.ignored == "address_owner"
                           else "set sync_group_tracking_weight in the group, or weight 0")
                    yield Problem(
                        f"{m.name} tracks {t.kind} {t.name} with weight {t.weight}, but {why}: keepalived "
                        f"2.2.7 logs \"({m.name}) ignoring tracked script {t.name} with weights due to "
                        f"{t.ignored}\" (keepalived -t fails), so a failing check changes nothing and the "
                        f"VIP stays on a host whose service is dead; {fix} (weight 0 puts the instance in "
                        "FAULT on failure, which also moves the VIP)",
                        m.span, (_where(m, t),), anchor=m.anchor(f"track-weight/{t.name}/ignored"),
                    )
            others = [x for x in group if x is not m and (x.key != m.key or x.host != m.host)]
            scored = [(x, h) for x in others if (h := _healthy(x)) is not None]
            if not scored:
                continue
            best, best_prio = max(scored, key=lambda xh: xh[1])
            for t in items:
                if t.weight == 0 or t.ignored or t.reverse:
                    continue  # weight 0: a failing check puts the instance in FAULT, which releases the VIP
                failed = _clamp(base - abs(t.weight))
                if failed < best_prio:
                    continue
                if t.weight < 0:
                    change = f"drops its priority from {base} to {failed}"
                    fix = (f"make the weight at most -{base - best_prio + 1} (or the priority gap smaller), "
                           "or use weight 0 so that a failing check puts the instance in FAULT")
                else:
                    change = f"takes away its bonus of {t.weight}, leaving {failed}"
                    gap = (priority(m.inst) or 0) - (priority(best.inst) or 0)
                    fix = (f"give the check a weight above the priority gap ({max(gap, 0)}) on every peer "
                           "that runs it, or use weight 0 so that a failing check puts the instance in "
                           "FAULT")
                yield Problem(
                    f"if {t.kind} {t.name} fails on {m.label()}, it {change}, which is not below the "
                    f"{best_prio} of {best.label()}: a BACKUP takes over only from a MASTER that advertises "
                    "a strictly lower priority, so the VIP stays on the host whose check failed; kubeadm's "
                    f"high-availability guide relies on the weight to hand the VIP over: {fix}",
                    m.span,
                    (_where(m, t), Related(setting_span(best, "priority"), f"{best.label()}: priority "
                                           f"{priority(best.inst)}")),
                    anchor=m.anchor(f"track-weight/{t.name}"),
                )
