"""KP102: see rules/KP102.md."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import Sourced
from kublint.model.vrrp import Member, node_networks, own_addresses, parse_network
from kublint.model.vrrp_values import unicast_peers, vip_addresses, vip_network
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, join_and
from kublint.source import Span

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _addresses(cluster: Cluster, m: Member, peers: list[Member]) -> list[tuple[str, Span, str]]:
    """(address, where written, what it is) for this instance's host and its peers."""
    out: list[tuple[str, Span, str]] = []
    for a in own_addresses(cluster.node, m):
        out.append((a.value, a.span, f"address of {m.host}" if m.host else "this host's address"))
    for p in unicast_peers(m.inst):
        out.append((p.value, p.span, "unicast_peer"))
    for peer in peers:
        for a in own_addresses(cluster.node, peer):
            out.append((a.value, a.span, f"address of peer {peer.label()}"))
    seen: set[str] = set()
    unique = []
    for addr, span, what in out:
        key = net.normalise_host(addr)
        if key not in seen:
            seen.add(key)
            unique.append((addr, span, what))
    return unique


@rule("KP102")
def vip_outside_peer_subnet(cluster: Cluster) -> Iterator[Problem]:
    pe = cluster.peering
    networks = node_networks(cluster.files)
    for group in pe.groups:
        for m in distinct(group):
            peers = [x for x in group if x.key != m.key or x.host != m.host]
            for vip in vip_addresses(m.inst):
                subnet = vip_network(vip)
                source: Sourced[str] | None = None
                if subnet is None:
                    if m.host is None:
                        continue  # a /32 VIP and no inventory network: nothing to compare with
                    found = [(n, s) for s in networks.get(m.host, []) if (n := parse_network(s.value))]
                    if not found:
                        continue
                    subnet, source = found[0][0], found[0][1]
                candidates = _addresses(cluster, m, peers)
                if source is not None:
                    candidates.insert(0, (vip.address.value, vip.address.span, "the VIP"))
                outside = []
                for addr, span, what in candidates:
                    ip = net.ip(addr)
                    if ip is None or ip.version != subnet.version:
                        continue
                    if ip not in subnet:
                        outside.append((addr, span, what))
                if not outside:
                    continue
                how = (f"the VIP's prefix /{vip.prefix}" if source is None
                       else f"node {m.host}'s network in the inventory")
                listed = join_and(f"{a} ({w})" for a, _, w in outside)
                related = [Related(s, f"{w}: {a}") for a, s, w in outside]
                if source is not None:
                    related.append(Related(source.span, f"inventory network {source.value}"))
                yield Problem(
                    f"{listed} {'is' if len(outside) == 1 else 'are'} outside {subnet} ({how}) of VIP "
                    f"{vip.address.value}: VRRP adverts and the gratuitous ARP that moves the VIP reach only "
                    "hosts in one layer-2 subnet, so a peer elsewhere never takes over or is never reached; "
                    "keep every peer and the VIP in one subnet (or fix the VIP's prefix)",
                    m.span, tuple(related), anchor=m.anchor(f"vip-subnet/{vip.address.value}"),
                )
