"""ET109: see rules/ET109.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import truthy
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, spelled


@rule("ET109")
def strict_reconfig_check_disabled(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        s = cfg.get("strict-reconfig-check")
        if s is None or s.implicit or truthy(s.value) is not False:
            continue
        yield Problem(
            f"{spelled(cfg, 'strict-reconfig-check')} is false: etcd then accepts a member add or remove "
            "that leaves the cluster without quorum (the default, true, rejects it); etcd's sample config "
            "ships false, so this is often copied by accident; remove the setting or set it to true",
            s.span, anchor=anchor(cfg, "strict-reconfig-check"),
        )
