"""KA103: see rules/KA103.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import Node, Sourced
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import is_ha


def _lb_addresses(cluster: Cluster) -> list[tuple[Sourced[str], str]]:
    """Addresses of the load balancer, best first: the inventory's LB DNS name and VIP, Keepalived VIPs, and
    the specific addresses the HAProxy API frontends bind."""
    out: list[tuple[Sourced[str], str]] = []
    if cluster.lb_dns is not None:
        out.append((cluster.lb_dns, "load-balancer DNS name in the inventory"))
    if cluster.lb_vip is not None:
        out.append((cluster.lb_vip, "load-balancer VIP in the inventory"))
    out.extend((v, "Keepalived VIP") for v in cluster.vips)
    out.extend((b, "address the HAProxy API frontend binds") for b in cluster.lb_bind_ips)
    return out


def _is_node_address(cluster: Cluster, host: str) -> bool:
    return any(net.same_host(a.value, host) for n in cluster.control_plane for a in n.addresses)


def _owner(cluster: Cluster, host: str) -> tuple[Node, str] | None:
    for n in cluster.control_plane:
        if any(net.same_host(a.value, host) for a in n.addresses):
            return n, "address"
    for n in cluster.control_plane:
        if net.ip(host) is None and net.same_host(n.name, host):
            return n, "name"
    return None


@rule("KA103")
def endpoint_is_a_node(cluster: Cluster) -> Iterator[Problem]:
    if not is_ha(cluster):
        return
    lb = [(a, why) for a, why in _lb_addresses(cluster) if not _is_node_address(cluster, a.value)]
    for e in cluster.endpoints:
        if e.host is None or any(net.same_host(e.host, a.value) for a, _ in lb):
            continue
        found = _owner(cluster, e.host)
        if found is None:
            continue
        node, how = found
        related = [Related(node.span, f"control-plane node {node.name}")]
        related.extend(Related(a.span, why) for a, why in lb)
        url = "://" in e.raw.value  # an installer's endpoint written as a URL (Talos)
        if lb:
            host = lb[0][0].value
            target = f"[{host}]" if ":" in host else host
            target = f"https://{target}" if url else target
            fix = f"set {e.setting} to {target}:{e.port}" if e.port else f"set it to {target}"
        else:
            fix = f"set {e.setting} to the load balancer's DNS name or VIP"
        when = "before the cluster is created" if url else "before kubeadm init"
        origin = f" ({e.origin})" if e.origin else ""
        yield Problem(
            f"controlPlaneEndpoint {e.raw.value}{origin} is control-plane node {node.name}'s own {how}, "
            f"not a load balancer or VIP: every kubeconfig and kubelet talks to {node.name} alone, so when "
            f"it is down the API is lost even though the other API servers run; {fix} ({when}: "
            "it cannot be changed cleanly afterwards)",
            e.raw.span, tuple(related), anchor=f"{e.owner}/controlPlaneEndpoint",
        )
