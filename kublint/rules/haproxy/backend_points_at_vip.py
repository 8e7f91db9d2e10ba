"""HP103: see rules/HP103.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.haproxy import is_any, port_in
from kublint.model.types import Sourced
from kublint.parsers.haproxy import Address
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, label


def _bind_addresses(cluster: Cluster) -> list[tuple[Address, bool]]:
    """Specific addresses the API frontends bind, each with whether it is a node's own address."""
    out = []
    for p in cluster.api_proxies:
        if p.frontend is None:
            continue
        for b in p.frontend.binds:
            for a in b.addresses:
                if is_any(a.host) or net.ip(a.host) is None or net.is_loopback(a.host):
                    continue
                own = cluster.find_node(a.host) is not None
                out.append((a, own))
    return out


@rule("HP103")
def backend_points_at_vip(cluster: Cluster) -> Iterator[Problem]:
    lb = cluster.lb_addresses
    binds = _bind_addresses(cluster)
    for p in cluster.api_proxies:
        be = p.backend
        if be is None:
            continue
        for s in be.servers:
            if s.host is None or s.address is None:
                continue
            host = s.host.value
            hit: tuple[Sourced[str], str] | None = next(
                ((a, why) for a, why in lb if net.same_host(host, a.value)), None)
            if hit is None:
                for bound, own in binds:
                    if not net.same_host(host, bound.host):
                        continue
                    if not own or (s.port is not None and port_in(bound, s.port.value)):
                        hit = (Sourced(bound.host, bound.span), "address the API frontend binds")
                        break
            if hit is None:
                continue
            addr, why = hit
            name = s.name.value if s.name else host
            yield Problem(
                f"server {name} in the API {label(be)} points at {host}, the {why}: that is the load "
                "balancer's own address, not an API server, so traffic loops back through the VIP (or "
                "reaches only the node that holds it) instead of being spread over the control plane; list "
                "each control-plane node's own address and API port instead",
                s.directive.span, (Related(addr.span, why),), anchor=anchor(be, "server", name),
            )
