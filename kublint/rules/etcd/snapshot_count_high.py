"""ET402: see rules/ET402.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.values import as_int
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, spelled


class Options(NamedTuple):
    max_snapshot_count: Annotated[int, "snapshot-count above this is reported"] = 100000


@rule("ET402", options=Options)
def snapshot_count_high(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        s = cfg.get("snapshot-count")
        if s is None or s.implicit:
            continue
        v = as_int(s.value)
        if v is None or v <= opts.max_snapshot_count:
            continue
        yield Problem(
            f"{spelled(cfg, 'snapshot-count')} is {v}, above {opts.max_snapshot_count}: etcd keeps that "
            "many Raft entries in memory between snapshots, so memory use and the time a slow follower "
            "needs to catch up grow with it (etcd's tuning guide: lower it when memory and disk use are "
            "high); etcd 3.6 lowered the default to 10000; use 10000 unless measurements say otherwise",
            s.span, anchor=anchor(cfg, "snapshot-count"),
        )
