"""HP109: see rules/HP109.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, at_proxy


@rule("HP109")
def http_check_without_tls(cluster: Cluster) -> Iterator[Problem]:
    for p in cluster.api_proxies:
        be = p.backend
        if be is None:
            continue
        hc = be.health_check
        if hc.kind != "http" or hc.option is None:
            continue
        connect = [d for d in hc.http_check if len(d.words) > 1 and d.words[1].value == "connect"]
        if any(w.value == "ssl" for d in connect for w in d.words[2:]):
            continue  # http-check connect ssl
        if any(w.value == "port" for d in connect for w in d.words[2:]):
            continue  # the check goes to another port, which may well speak plain HTTP
        plain = []
        for s in be.servers:
            if not s.checked or s.check_ssl or "addr" in s.settings.params:
                continue
            port = s.settings.param("port")
            if port is not None and (s.port is None or port.value != str(s.port.value)):
                continue  # checked on another port
            plain.append(s.name.value if s.name else "?")
        if not plain:
            continue
        method, uri = hc.http_request
        span, related = at_proxy(be, hc.option.directive, "option httpchk set here")
        yield Problem(
            f"option httpchk sends a plain-HTTP '{method} {uri}' to the API servers' TLS port, with no TLS "
            f"on the check (servers {', '.join(plain)}): kube-apiserver answers '400 Client sent an HTTP "
            "request to an HTTPS server', every check fails and HAProxy marks every server DOWN, so the API "
            "is unreachable through the load balancer; add 'http-check connect ssl' to the backend (or "
            "'check-ssl verify none' on each server)",
            span, related, anchor=anchor(be, "httpchk-tls"),
        )
