"""ET101: see rules/ET101.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.etcd._common import member_phrase


@rule("ET101")
def two_member_cluster(cluster: Cluster) -> Iterator[Problem]:
    m = cluster.voting_members
    if m is None or len(m.names) != 2:
        return
    yield Problem(
        f"etcd has 2 voting members ({member_phrase(m)}): quorum is 2, so it tolerates no failure "
        "and is less "
        "available than a single member; use 3 members (5 for large production clusters)",
        m.where,
        m.related,
        anchor="etcd-members",
    )
