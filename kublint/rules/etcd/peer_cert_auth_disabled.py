"""ET303: see rules/ET303.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.etcd._common import cert_auth_problems


@rule("ET303")
def peer_cert_auth_disabled(cluster: Cluster) -> Iterator[Problem]:
    n = cluster.voting_count
    if n is None or n < 2:
        return  # a single member has no peers (CIS 2.5 applies to etcd clusters only)
    for cfg in cluster.active_etcd_configs:
        yield from cert_auth_problems(cluster, cfg, "peer-transport-security", "CIS 2.5", "peers")
