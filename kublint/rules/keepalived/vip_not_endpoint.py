"""KP101: see rules/KP101.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import Endpoint
from kublint.model.vrrp_values import header_span, instance_name, is_placeholder, vip_addresses
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct


def _serves(cluster: Cluster, endpoint: Endpoint, vip: str) -> bool:
    """The endpoint host is this VIP, or a DNS name the inventory's loadBalancer pairs with it."""
    host = endpoint.host or ""
    if net.same_host(host, vip):
        return True
    dns, lb_vip = cluster.lb_dns, cluster.lb_vip
    return (net.ip(host) is None and dns is not None and lb_vip is not None
            and net.same_host(host, dns.value) and net.same_host(lb_vip.value, vip))


@rule("KP101")
def vip_not_endpoint(cluster: Cluster) -> Iterator[Problem]:
    ms = distinct(list(cluster.peering.members))
    vips = [(m, v.address.value) for m in ms for v in vip_addresses(m.inst)]
    if not vips:
        return
    endpoints = [ep for ep in cluster.endpoints if ep.host and not is_placeholder(ep.raw.value)]
    if any(_serves(cluster, ep, vip) for ep in endpoints for _, vip in vips):
        return  # an instance carries the API endpoint (others may serve other VIPs; CL106 compares endpoints)
    for ep in endpoints:
        host = ep.host or ""
        dns, lb_vip = cluster.lb_dns, cluster.lb_vip
        if net.ip(host) is not None:
            why = f"the controlPlaneEndpoint host {host} is no keepalived VIP"
            fix = f"make {host} the VIP here, or point controlPlaneEndpoint at the VIP"
        elif dns is not None and net.same_host(host, dns.value) and lb_vip is not None:
            why = (f"the controlPlaneEndpoint {host} is paired in the inventory with VIP {lb_vip.value}, "
                   "which no keepalived instance carries")
            fix = f"make {lb_vip.value} the VIP here, or correct cluster.loadBalancer.vip in the inventory"
        else:
            why = (f"the controlPlaneEndpoint {host} is a DNS name that the inventory's loadBalancer does "
                   "not pair with any keepalived VIP, and kublint does no DNS lookups")
            fix = ("declare the pairing in the inventory (cluster.loadBalancer: "
                   f"{{dns: {host}, vip: <the VIP>}}) if the name resolves to the VIP, else point the name "
                   "or controlPlaneEndpoint at the VIP")
        related = [Related(ep.raw.span, "controlPlaneEndpoint")]
        if dns is not None and lb_vip is not None:
            related.append(Related(lb_vip.span, "inventory loadBalancer.vip"))
        for m in ms:
            own = [v.address.value for v in vip_addresses(m.inst)]
            if not own:
                continue
            yield Problem(
                f"{instance_name(m.inst)} carries {', '.join(own)}, but {why}: clients and kubelets reach "
                f"the API at {ep.raw.value}, so the VIP keepalived moves between hosts does not make the API "
                f"highly available; {fix}",
                header_span(m.inst.block), tuple(related),
                anchor=f"vrrp_instance:{instance_name(m.inst)}/vip-not-endpoint/{ep.raw.value}",
            )
