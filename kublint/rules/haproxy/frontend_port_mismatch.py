"""HP104: see rules/HP104.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.haproxy import port_in
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, frontend_binds, label


@rule("HP104")
def frontend_port_mismatch(cluster: Cluster) -> Iterator[Problem]:
    eps = cluster.distinct_endpoints
    for p in cluster.tied_proxies:
        fe = p.frontend
        if fe is None:
            continue
        binds = [(a, d) for a, d in frontend_binds(p) if not net.is_loopback(a.host) and a.port is not None]
        if not binds:
            continue  # no bind line, or a node-local load balancer on 127.0.0.1
        mine = list(eps)
        if len(eps) > 1:  # the endpoints disagree (CL106): compare with the one this frontend binds, if any
            mine = [e for e in eps if any(net.same_host(e[0], a.host) for a, _ in binds)]
            if len(mine) != 1:
                continue
        if not mine:
            continue
        host, port, raw = mine[0]
        if any(port_in(a, port) for a, _ in binds):
            continue
        first = binds[0][0]
        bound = ", ".join(sorted({a.text for a, _ in binds}))
        yield Problem(
            f"the API {label(fe)} binds {bound}, but controlPlaneEndpoint {raw.value} sends clients to port "
            f"{port}: kubelets, controllers, kubectl and joining nodes connect to a port the load balancer "
            f"does not listen on; bind port {port} here (or, before kubeadm init, set controlPlaneEndpoint "
            f"to {host}:{first.port})",
            first.span, (Related(raw.span, "controlPlaneEndpoint"),), anchor=anchor(fe, "bind-port"),
        )
