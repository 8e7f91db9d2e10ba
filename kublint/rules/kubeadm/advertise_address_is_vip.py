"""KA106: see rules/KA106.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import Sourced
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule

PATHS = {
    "InitConfiguration": ("localAPIEndpoint", "advertiseAddress"),
    "JoinConfiguration": ("controlPlane", "localAPIEndpoint", "advertiseAddress"),
}


def lb_addresses(cluster: Cluster) -> list[tuple[Sourced[str], str]]:
    """The VIP and LB addresses: keepalived VIPs and the inventory's loadBalancer vip and dns."""
    out: list[tuple[Sourced[str], str]] = [(v, "keepalived VIP") for v in cluster.vips]
    if cluster.lb_vip is not None:
        out.append((cluster.lb_vip, "load-balancer VIP in the inventory"))
    if cluster.lb_dns is not None:
        out.append((cluster.lb_dns, "load-balancer DNS name in the inventory"))
    return out


@rule("KA106")
def advertise_address_is_vip(cluster: Cluster) -> Iterator[Problem]:
    lbs = lb_addresses(cluster)
    for doc in cluster.kubeadm_docs:
        path = PATHS.get(doc.kind)
        if path is None:
            continue
        value = doc.get(*path)
        if not isinstance(value, str) or not value.strip() or has_kubeadm_placeholder(value):
            continue
        hits = [(a, what) for a, what in lbs if net.same_host(value.strip(), a.value)]
        if not hits:
            continue
        what = hits[0][1]
        field = ".".join(path)
        yield Problem(
            f"{doc.kind} {field} is {value.strip()}, the {what}: the API server advertises the address that "
            "keepalived moves between hosts (or that the load balancer answers on) as its own, so the "
            "kubernetes Service endpoint, etcd's peer URLs and the other control-plane nodes point at "
            "whichever host holds it, and the node breaks when the VIP moves (kubeadm's API reference: "
            "controlPlaneEndpoint is the global endpoint, localAPIEndpoint the address this node's API "
            "server advertises); advertise this node's own address",
            doc.loc(*path), tuple(Related(a.span, w) for a, w in hits),
            anchor=f"{doc.anchor}/{'/'.join(path)}",
        )
