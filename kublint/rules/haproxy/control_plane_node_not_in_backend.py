"""HP101: see rules/HP101.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.loadbalancer import ApiProxy
from kublint.model.types import Node
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, label


def _node_text(n: Node) -> str:
    addrs = ", ".join(a.value for a in n.addresses)
    return f"{n.name} ({addrs})" if addrs and addrs != n.name else n.name


def _server_line(cluster: Cluster, n: Node) -> str:
    host = n.addresses[0].value if n.addresses else f"<{n.name}'s address>"
    if ":" in host:
        host = f"[{host}]"
    return f"server {n.name} {host}:{cluster.api_port_of(n)} check"


def _check(cluster: Cluster, p: ApiProxy) -> Iterator[Problem]:
    proxy = p.backend or p.frontend
    if proxy is None:
        return
    servers = p.backend.servers if p.backend is not None else ()
    lb_hosts = [a.value for a, _ in cluster.lb_addresses]
    covered: set[str] = set()
    pool_ip = 0  # servers that may be a node whose address is unknown
    pool_dns = 0  # servers named by a DNS name kublint cannot resolve: they may be any node
    for s in servers:
        node = cluster.cp_node_for(s, p.hosts)
        if node is not None:
            covered.add(node.name)
            continue
        host = s.host.value if s.host else ""
        if not host or cluster.server_node(s) is not None or any(net.same_host(host, h) for h in lb_hosts):
            continue
        if net.ip(host) is None:
            pool_dns += 1
        else:
            pool_ip += 1
    # a node known only as another backend's server is that backend's claim, not the cluster's (HP101 card)
    missing = [n for n in cluster.control_plane if n.name not in covered and n.inferred_from is None]
    certain = [n for n in missing if (pool_dns == 0 if n.addresses else pool_dns + pool_ip == 0)]
    unsure = [n for n in missing if n not in certain]
    where = proxy.section.header.span
    if p.backend is None:
        why = f"the API {label(proxy)} forwards to no backend"
    else:
        listed = ", ".join(s.name.value for s in servers if s.name) or "none"
        why = f"the API {label(proxy)} has no server line for it (servers: {listed})"
    for n in certain:
        yield Problem(
            f"control-plane node {_node_text(n)} is not a server of the API backend: {why}, so the load "
            f"balancer never sends API traffic there and the API is not spread over all control-plane nodes; "
            f"add '{_server_line(cluster, n)}' to the backend",
            where, (Related(n.span, f"control-plane node {n.name}"),), anchor=anchor(proxy, "node", n.name),
        )
    pool = pool_ip + pool_dns
    if len(unsure) > pool:
        names = ", ".join(n.name for n in unsure)
        short = len(unsure) - pool
        yield Problem(
            f"at least {short} of the control-plane nodes {names} {'is' if short == 1 else 'are'} not a "
            f"server of the API backend: only {pool} server line{'' if pool == 1 else 's'} could stand for "
            "them (kublint cannot tell which node each of those stands for); add one server line for each "
            "control-plane node",
            where, tuple(Related(n.span, f"control-plane node {n.name}") for n in unsure),
            anchor=anchor(proxy, "nodes", names),
        )


@rule("HP101")
def control_plane_node_not_in_backend(cluster: Cluster) -> Iterator[Problem]:
    if not cluster.control_plane:
        return
    for p in cluster.tied_proxies:
        yield from _check(cluster, p)
