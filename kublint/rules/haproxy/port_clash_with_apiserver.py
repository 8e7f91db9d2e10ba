"""HP106: see rules/HP106.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.haproxy import is_any, port_in
from kublint.model.types import CONTROL_PLANE
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, label


@rule("HP106")
def port_clash_with_apiserver(cluster: Cluster) -> Iterator[Problem]:
    for p in cluster.api_proxies:
        nodes = [n for name in p.hosts if (n := cluster.node(name)) is not None and n.has(CONTROL_PLANE)]
        if not nodes:
            continue
        for fe in (q for q in p.proxies if q.kind in ("frontend", "listen")):
            for b in fe.binds:
                for a in b.addresses:
                    if not is_any(a.host):
                        continue
                    clash = [n for n in nodes if port_in(a, cluster.api_port_of(n))]
                    if not clash:
                        continue
                    port = cluster.api_port_of(clash[0])
                    names = ", ".join(n.name for n in clash)
                    yield Problem(
                        f"the {label(fe)} binds {a.text or '*'} (port {port} on every address) and runs on "
                        f"control-plane node{'s' if len(clash) > 1 else ''} {names}, where kube-apiserver "
                        f"already listens on port {port} on all addresses: whichever starts second fails to "
                        "bind (HAProxy or the API server); move the frontend to another port (8443 is usual "
                        "when the load balancer shares the node) and use that port in controlPlaneEndpoint",
                        a.span, tuple(Related(n.span, f"control-plane node {n.name}") for n in clash),
                        anchor=anchor(fe, "bind", a.text),
                    )
