"""HP107: see rules/HP107.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, at_proxy, label, word_span


@rule("HP107")
def not_tcp_mode(cluster: Cluster) -> Iterator[Problem]:
    for p in cluster.api_proxies:
        for proxy in p.proxies:
            mode = proxy.mode
            if mode.value == "http":
                found = proxy.config.effective_last(proxy.section, "mode")
                span, related = at_proxy(proxy, found[0] if found else None, "mode http set here")
                yield Problem(
                    f"the API {label(proxy)} runs in mode http: HAProxy expects plain HTTP there, so "
                    "the TLS that API clients send is rejected as a bad request (and terminating TLS at "
                    "HAProxy instead would hide the client certificates of kubelets, controllers and "
                    f"admin.conf from kube-apiserver); set 'mode tcp' in {label(proxy)}",
                    span, related, anchor=anchor(proxy, "mode"),
                )
            if proxy.kind == "backend":
                continue
            for b in proxy.binds:
                if not b.ssl:
                    continue
                yield Problem(
                    f"the API {label(proxy)} terminates TLS ('ssl' on its bind line): API clients "
                    "then get HAProxy's certificate and their client certificates never reach "
                    "kube-apiserver, so x509 authentication (kubelets, controllers, admin.conf) fails; "
                    "remove 'ssl crt ...' and pass the TLS stream through in mode tcp",
                    word_span(b.directive, "ssl") or b.directive.span, anchor=anchor(proxy, "bind-ssl"),
                )
