"""KP117: see rules/KP117.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import Sourced
from kublint.model.vrrp import Member, own_addresses
from kublint.model.vrrp_values import unicast_peers
from kublint.rules.api import rule
from kublint.rules.keepalived._common import distinct, join_and


def _key(text: str) -> str:
    return net.normalise_host(text)


@rule("KP117")
def unicast_peers_inconsistent(cluster: Cluster) -> Iterator[Problem]:
    pe = cluster.peering
    for group in pe.groups:
        yield from _itself(cluster, group)
        if len(group) < 2:
            continue
        users = [m for m in group if unicast_peers(m.inst)]
        if users and len(users) < len(group):
            for m in distinct(x for x in group if not unicast_peers(x.inst)):
                yield Problem(
                    f"{m.name} has no unicast_peer list, so it multicasts its adverts, while "
                    f"{join_and(x.label() for x in distinct(users))} unicast to their peer lists: the two "
                    "kinds do not hear each other, so each side elects its own MASTER and the VIP is held "
                    "twice; list the other peers' addresses in unicast_peer here too (or use multicast "
                    "everywhere)",
                    m.span, tuple(Related(next(u.inst.block.blocks("unicast_peer")).span, f"{u.label()}: "
                                          "unicast_peer") for u in distinct(users)),
                    anchor=m.anchor("unicast/multicast"),
                )
        for m in distinct(users):
            listed = {_key(p.value) for p in unicast_peers(m.inst)}
            mine = {_key(a.value) for a in own_addresses(cluster.node, m)}
            missing: list[tuple[Member, Sourced[str]]] = []
            for other in group:
                if other.key == m.key and other.host == m.host:
                    continue
                theirs = own_addresses(cluster.node, other)
                keys = {_key(a.value) for a in theirs}
                if not keys or keys & (listed | mine):
                    continue  # listed, or its address is unknown
                missing.append((other, theirs[0]))
            if not missing:
                continue
            yield Problem(
                f"{m.name}'s unicast_peer list lacks "
                f"{join_and(f'{a.value} ({o.label()})' for o, a in missing)}: keepalived sends its adverts "
                "only to the listed addresses, so that peer never hears this one and also becomes MASTER "
                "(and with check_unicast_src drops this host's adverts); list every other peer's address on "
                "every peer",
                m.span, tuple(Related(a.span, f"address of {o.label()}") for o, a in missing),
                anchor=m.anchor("unicast/missing"),
            )


def _itself(cluster: Cluster, group: tuple[Member, ...]) -> Iterator[Problem]:
    for m in distinct(group):
        if m.spread:
            continue
        mine = {_key(a.value): a for a in own_addresses(cluster.node, m)}
        selfs = [p for p in unicast_peers(m.inst) if _key(p.value) in mine]
        for p in selfs:
            src = mine[_key(p.value)]
            yield Problem(
                f"{m.name}'s unicast_peer list holds {p.value}, this host's own address: unicast_peer is the "
                "list of the other peers, and keepalived sends this host's adverts to itself too; a list "
                "that holds its own host is usually a list copied unchanged between hosts, which misses the "
                "peer this host should reach; remove the host's own address and list every other peer",
                p.span, (Related(src.span, "this host's address"),),
                anchor=m.anchor(f"unicast/self/{p.value}"),
            )
