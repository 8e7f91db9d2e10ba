"""ET110: see rules/ET110.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule


@rule("ET110")
def two_zone_spread(cluster: Cluster) -> Iterator[Problem]:
    mz = cluster.member_zones()
    m = cluster.voting_members
    if mz is None or m is None or len(mz) < 2:
        return
    zones: dict[str, list[str]] = {}
    related: list[Related] = []
    for name, node in mz:
        if node is None or node.zone is None:
            return  # a member in an unknown zone may be the third zone
        zones.setdefault(node.zone.value, []).append(name)
        related.append(Related(node.zone.span, f"member {name} in zone {node.zone.value}"))
    if len(zones) != 2:
        return
    n = len(mz)
    (za, a), (zb, b) = sorted(zones.items(), key=lambda kv: -len(kv[1]))
    loss = (f"losing either zone leaves {n - len(a)}" if len(a) == len(b)
            else f"losing {za} leaves {n - len(a)}")
    yield Problem(
        f"the {n} etcd members span exactly two zones ({za}: {len(a)}, {zb}: {len(b)}): {loss}, below the "
        f"quorum of {n // 2 + 1}, and no placement over two zones survives the loss of the larger one; place "
        "members in a third zone (1-1-1 for 3 members, 2-2-1 for 5)",
        m.where, tuple(related), anchor="etcd-members/zones",
    )
