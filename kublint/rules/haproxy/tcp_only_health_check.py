"""HP111: see rules/HP111.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.parsers.haproxy import Directive
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, at_proxy, label


def _sends(lines: tuple[Directive, ...]) -> bool:
    return any(len(d.words) > 1 and d.words[1].value.startswith(("send", "expect")) for d in lines)


@rule("HP111")
def tcp_only_health_check(cluster: Cluster) -> Iterator[Problem]:
    for p in cluster.api_proxies:
        be = p.backend
        if be is None:
            continue
        checked = [s for s in be.servers if s.checked]
        if not checked:
            continue  # no check at all is HP108
        hc = be.health_check
        if hc.kind == "tcp-check" and _sends(hc.tcp_check):
            continue  # a scripted tcp-check that sends and expects: an application-level check
        if hc.kind not in ("tcp", "tcp-check"):
            continue
        tls = all(s.check_ssl for s in checked)
        what = "completing a TLS handshake" if tls else "opening a TCP connection"
        span, related = at_proxy(be, hc.option.directive if hc.option else None, "option tcp-check set here")
        yield Problem(
            f"the API {label(be)} health-checks its servers only by {what}: an API server that accepts "
            "connections but is not ready (starting, lost etcd, shutting down) stays in rotation and "
            "clients get errors; check /readyz over HTTPS instead: 'option httpchk', 'http-check connect "
            "ssl', 'http-check send meth GET uri /readyz', 'http-check expect status 200'",
            span, related, anchor=anchor(be, "tcp-only-check"),
        )
