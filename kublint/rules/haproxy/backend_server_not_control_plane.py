"""HP102: see rules/HP102.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, label


@rule("HP102")
def backend_server_not_control_plane(cluster: Cluster) -> Iterator[Problem]:
    cp = cluster.control_plane
    all_known = all(n.addresses for n in cp)
    lb_hosts = [a.value for a, _ in cluster.lb_addresses]
    for p in cluster.tied_proxies:
        be = p.backend
        if be is None:
            continue
        covered = {n.name for s in be.servers if (n := cluster.cp_node_for(s, p.hosts)) is not None}
        for s in be.servers:
            if s.host is None or s.directive.keyword != "server":
                continue
            if cluster.cp_node_for(s, p.hosts) is not None:
                continue
            host = s.host.value
            if net.is_loopback(host) or any(net.same_host(host, h) for h in lb_hosts):
                continue  # a loopback address on an unknown host; the LB's own address is HP103
            other = cluster.server_node(s)
            related: tuple[Related, ...] = tuple(Related(n.span, f"control-plane node {n.name}") for n in cp)
            if other is not None:
                roles = ", ".join(sorted(other.roles)) or "no role"
                what = f"is node {other.name} ({roles}), not a control-plane node"
                related = (Related(other.span, f"node {other.name}"), *related)
            elif net.ip(host) is not None and all_known:
                what = "is the address of no control-plane node"
            elif net.ip(host) is None and len(covered) == len(cp):
                what = ("names no control-plane node, and every control-plane node already has its own "
                        "server line")
            else:
                continue
            named = [n for n in cp if s.name is not None and n.name == s.name.value]
            hint = ""
            if named:
                addrs = ", ".join(a.value for a in named[0].addresses)
                hint = f" (it is named after control-plane node {named[0].name}, whose address is {addrs})"
            nodes = ", ".join(f"{n.name} {n.addresses[0].value}" if n.addresses else n.name for n in cp)
            yield Problem(
                f"server {s.name.value if s.name else '?'} ({host}) in the API {label(be)} {what}{hint}: no "
                "API server runs there, so the server sits DOWN (or, unchecked, takes a share of the "
                f"clients, whose requests fail); point the server lines at the control-plane nodes ({nodes})",
                s.directive.span, related, anchor=anchor(be, "server", s.name.value if s.name else host),
            )
