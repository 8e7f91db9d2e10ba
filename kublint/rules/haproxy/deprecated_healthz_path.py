"""HP112: see rules/HP112.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.parsers.haproxy import Directive
from kublint.parsers.lexing import Word
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, at_proxy, label


def _uri(option: Directive, http_check: tuple[Directive, ...]) -> tuple[Word, Directive] | None:
    """The word holding the checked URI: the last ``http-check send ... uri X``, else ``option httpchk``'s."""
    found: tuple[Word, Directive] | None = None
    for d in http_check:
        words = d.words
        if len(words) > 1 and words[1].value == "send":
            for i, w in enumerate(words[:-1]):
                if w.value == "uri":
                    found = (words[i + 1], d)
    if found is not None:
        return found
    args = option.unprefixed[2:]
    if len(args) == 1:
        return args[0], option
    if len(args) >= 2:
        return args[1], option
    return None


@rule("HP112")
def deprecated_healthz_path(cluster: Cluster) -> Iterator[Problem]:
    for p in cluster.api_proxies:
        be = p.backend
        if be is None:
            continue
        hc = be.health_check
        if hc.kind != "http" or hc.option is None:
            continue
        found = _uri(hc.option.directive, hc.http_check)
        if found is None:
            continue
        word, d = found
        path = word.value.split("?", 1)[0].rstrip("/")
        if path != "/healthz":
            continue
        span, related = at_proxy(be, d, "the check's URI is set here")
        if span == d.span:
            span = word.span
        yield Problem(
            f"the API {label(be)} health-checks {word.value}: kube-apiserver's /healthz is deprecated (since "
            "Kubernetes 1.16) and stays OK while the server is not ready to serve, for instance during "
            "shutdown; check /readyz, the endpoint meant for load balancers",
            span, related, anchor=anchor(be, "healthz"),
        )
