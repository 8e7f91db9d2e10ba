"""ET308: see rules/ET308.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import truthy
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, spelled


@rule("ET308")
def pprof_enabled(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        s = cfg.get("enable-pprof")
        if s is None or s.implicit or truthy(s.value) is not True:
            continue
        yield Problem(
            f"{spelled(cfg, 'enable-pprof')} is true: etcd serves Go profiling data at its client URLs "
            "under /debug/pprof/, which shows its internals and lets callers trigger expensive CPU "
            "profiles; etcd's sample config ships it on, the default is off; remove it unless you are "
            "profiling now",
            s.span, anchor=anchor(cfg, "enable-pprof"),
        )
