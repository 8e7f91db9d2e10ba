"""ET302: see rules/ET302.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.etcd._common import cert_auth_problems


@rule("ET302")
def client_cert_auth_disabled(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        yield from cert_auth_problems(cluster, cfg, "client-transport-security", "CIS 2.2", "clients")
