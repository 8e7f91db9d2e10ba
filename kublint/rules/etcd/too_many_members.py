"""ET103: see rules/ET103.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.etcd._common import member_phrase


class Options(NamedTuple):
    max_members: Annotated[int, "more voting etcd members than this are reported"] = 7


@rule("ET103", options=Options)
def too_many_members(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    m = cluster.voting_members
    if m is None or len(m.names) <= opts.max_members:
        return
    n = len(m.names)
    yield Problem(
        f"etcd has {n} voting members ({member_phrase(m)}), more than {opts.max_members}: every write must "
        f"reach a quorum of {n // 2 + 1}, so each extra member slows writes and elections, and etcd's FAQ "
        "advises no more than seven (five is enough in most cases); use 5 members (7 at most)",
        m.where, m.related, anchor="etcd-members",
    )
