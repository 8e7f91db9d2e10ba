"""ET105: see rules/ET105.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule


@rule("ET105")
def zone_loses_quorum(cluster: Cluster) -> Iterator[Problem]:
    mz = cluster.member_zones()
    m = cluster.voting_members
    if mz is None or m is None or len(mz) < 2:
        return  # one member: nothing to spread (ET104)
    n = len(mz)
    zones: dict[str, list[str]] = {}
    related: list[Related] = []
    unknown = []
    for name, node in mz:
        if node is None or node.zone is None:
            unknown.append(name)
            continue
        zones.setdefault(node.zone.value, []).append(name)
        related.append(Related(node.zone.span, f"member {name} in zone {node.zone.value}"))
    if not zones:
        return
    zone, names = max(zones.items(), key=lambda kv: (len(kv[1]), -list(zones).index(kv[0])))
    tolerance = (n - 1) // 2
    if len(names) <= tolerance:
        return
    left = n - len(names)
    unknown_note = f" (zone of {', '.join(unknown)} unknown)" if unknown else ""
    fix = ("run at least 3 members, one in each of three zones" if tolerance == 0 else
           f"spread the members over at least three zones so that no zone holds more than {tolerance} of "
           "them (1-1-1 for 3 members, 2-2-1 for 5)")
    yield Problem(
        f"{len(names)} of the {n} etcd members ({', '.join(names)}) {'is' if len(names) == 1 else 'are'} "
        f"in zone {zone}{unknown_note}: "
        f"losing that zone leaves {left}, below the quorum of {n // 2 + 1}, and etcd stops accepting "
        f"writes; {fix}",
        m.where, tuple(related), anchor=f"etcd-members/zone:{zone}",
    )
