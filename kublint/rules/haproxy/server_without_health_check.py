"""HP108: see rules/HP108.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, label


@rule("HP108")
def server_without_health_check(cluster: Cluster) -> Iterator[Problem]:
    for p in cluster.api_proxies:
        be = p.backend
        if be is None:
            continue
        for s in be.servers:
            if s.checked:
                continue
            name = s.name.value if s.name else "?"
            off = s.settings.has("no-check")
            how = "'no-check' turns its health check off" if off else "it has no 'check'"
            yield Problem(
                f"server {name} in the API {label(be)} is never health-checked ({how}): HAProxy keeps "
                "sending clients to it while its API server is down or restarting, and those requests fail; "
                "add 'check' (with an HTTPS check of /readyz, see HP109 and HP111)",
                s.directive.span, anchor=anchor(be, "server", name, "check"),
            )
