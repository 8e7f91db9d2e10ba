"""KA202: see rules/KA202.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.components import (
    CONTROLLER_MANAGER,
    SCHEDULER,
    UPSTREAM_DEFAULTS,
    ComponentView,
    EffectiveFlag,
    component_views,
    parse_bool,
)
from kublint.model.values import parse_duration
from kublint.rules.api import rule
from kublint.source import Span

LEASE = "leader-elect-lease-duration"
RENEW = "leader-elect-renew-deadline"
RETRY = "leader-elect-retry-period"
JITTER_FACTOR = 1.2  # k8s.io/client-go/tools/leaderelection JitterFactor


def _ns(flag: EffectiveFlag | None, view: ComponentView, name: str) -> tuple[int | None,
                                                                            EffectiveFlag | None]:
    text = flag.value if flag is not None else UPSTREAM_DEFAULTS[view.component][name]
    seconds = parse_duration(text)
    return (None if seconds is None else round(seconds * 1e9)), flag


def _show(name: str, flag: EffectiveFlag | None) -> str:
    value = flag.value if flag is not None else UPSTREAM_DEFAULTS[CONTROLLER_MANAGER][name]
    how = flag.origin if flag is not None and flag.explicit else "default"
    return f"{name}={value} ({how})"


def _where(view: ComponentView, *flags: EffectiveFlag | None) -> tuple[Span, tuple[Related, ...]]:
    explicit = [f for f in flags if f is not None and f.explicit]
    if not explicit:
        return view.section, ()
    return explicit[0].span, tuple(Related(f.span, f"{f.name}={f.value}") for f in explicit[1:])


@rule("KA202")
def leader_election_timing_invalid(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster, CONTROLLER_MANAGER, SCHEDULER):
        elect = view.get("leader-elect")
        if elect is not None and parse_bool(elect.value) is False:
            continue  # no election, no timing
        lease, lease_f = _ns(view.get(LEASE), view, LEASE)
        renew, renew_f = _ns(view.get(RENEW), view, RENEW)
        retry, retry_f = _ns(view.get(RETRY), view, RETRY)
        if lease is None or renew is None or retry is None:
            continue  # a value that is no Go duration is a schema matter
        if not any(f is not None and f.explicit for f in (lease_f, renew_f, retry_f)):
            continue
        if lease <= renew:
            span, related = _where(view, lease_f, renew_f)
            yield Problem(
                f"{view.component} leader election: {_show(LEASE, lease_f)} is not longer than "
                f"{_show(RENEW, renew_f)}: client-go refuses it (\"leaseDuration must be greater than "
                "renewDeadline\") and the component exits at start; keep lease > renew deadline > "
                f"{JITTER_FACTOR:g} x retry period (defaults 15s, 10s, 2s)",
                span, related, anchor=view.flag_anchor("leader-election-timing/lease"),
            )
        if renew <= int(JITTER_FACTOR * retry):
            span, related = _where(view, renew_f, retry_f)
            yield Problem(
                f"{view.component} leader election: {_show(RENEW, renew_f)} is not longer than "
                f"{JITTER_FACTOR:g} x {_show(RETRY, retry_f)}: client-go refuses it (\"renewDeadline must be "
                "greater than retryPeriod*JitterFactor\") and the component exits at start; keep lease > "
                f"renew deadline > {JITTER_FACTOR:g} x retry period (defaults 15s, 10s, 2s)",
                span, related, anchor=view.flag_anchor("leader-election-timing/renew"),
            )
