"""HP115: see rules/HP115.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, at_proxy, label


@rule("HP115")
def roundrobin_for_long_connections(cluster: Cluster) -> Iterator[Problem]:
    for p in cluster.api_proxies:
        be = p.backend
        if be is None or not be.servers:
            continue
        balance = be.balance
        if balance is None:
            span, related = at_proxy(be, None)
            how = "has no balance line, so HAProxy's default roundrobin applies"
        elif balance.value == "roundrobin":
            found = be.config.effective_balance(be.section)
            span, related = at_proxy(be, found, "balance roundrobin set here")
            if found is not None and span == found.span:
                span = balance.span
            how = "balances roundrobin"
        else:
            continue
        yield Problem(
            f"the API {label(be)} {how}: API connections are long-lived (watches, exec, logs -f), so "
            "counting new connections spreads the load unevenly, and an API server that comes back after a "
            "restart gets almost nothing; consider 'balance leastconn', which HAProxy recommends where very "
            "long sessions are expected",
            span, related, anchor=anchor(be, "balance"),
        )
