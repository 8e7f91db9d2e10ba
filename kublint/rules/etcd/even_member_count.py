"""ET102: see rules/ET102.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.etcd._common import member_phrase


@rule("ET102")
def even_member_count(cluster: Cluster) -> Iterator[Problem]:
    m = cluster.voting_members
    if m is None:
        return
    n = len(m.names)
    if n < 4 or n % 2:
        return
    tolerance = (n - 1) // 2
    yield Problem(
        f"etcd has {n} voting members ({member_phrase(m)}): quorum is {n // 2 + 1}, so it tolerates "
        f"{tolerance} "
        f"failure{'s' if tolerance != 1 else ''}, no more than {n - 1} members would, and a "
        "symmetric network "
        f"partition leaves no majority; use {n - 1} or {n + 1} members",
        m.where,
        m.related,
        anchor="etcd-members",
    )
