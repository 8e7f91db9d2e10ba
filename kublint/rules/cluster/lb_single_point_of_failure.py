"""CL105: see rules/CL105.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.inventory import native_documents
from kublint.model.types import LB, Node
from kublint.rules.api import rule


def _managed(cluster: Cluster) -> bool:
    return any(d.get("cluster", "loadBalancer", "managed") is True for d in native_documents(cluster.files))


def lb_hosts(cluster: Cluster) -> list[Node] | None:
    """The machines the API load balancer runs on: the hosts of each HAProxy file with an API frontend or
    backend, and the inventory's ``lb`` nodes. None when an HAProxy file's hosts are unknown."""
    names: list[str] = []
    for p in cluster.api_proxies:
        if not p.hosts:
            return None
        names.extend(h for h in p.hosts if h not in names)
    names.extend(n.name for n in cluster.nodes if n.has(LB) and n.name not in names)
    return [n for name in names if (n := cluster.node(name)) is not None]


@rule("CL105")
def lb_single_point_of_failure(cluster: Cluster) -> Iterator[Problem]:
    if cluster.control_plane_count < 2 or cluster.vips or cluster.lb_vip or _managed(cluster):
        return
    hosts = lb_hosts(cluster)
    if hosts is None or len(hosts) != 1:
        return
    (lb,) = hosts
    related = [Related(proxy.section.header.span, f"API load balancer on {lb.name}")
               for p in cluster.api_proxies if (proxy := p.frontend or p.backend) is not None]
    related.extend(Related(n.span, f"control-plane node {n.name}") for n in cluster.control_plane)
    yield Problem(
        f"the {cluster.control_plane_count} control-plane nodes are reached through a single load-balancer "
        f"host, {lb.name}, with no VIP (Keepalived or the inventory's loadBalancer.vip) and no managed load "
        f"balancer: when {lb.name} fails or reboots, kubelets, controllers and kubectl lose the API although "
        "every API server still runs; run a second load-balancer host with a Keepalived VIP (and point "
        "controlPlaneEndpoint at it), or use a managed load balancer (loadBalancer.managed: true)",
        lb.span, tuple(related), anchor=f"lb-host:{lb.name}",
    )
