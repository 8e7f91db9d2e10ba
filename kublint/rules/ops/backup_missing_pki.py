"""OP105: see rules/OP105.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.ops._common import backup_declarations


@rule("OP105")
def backup_missing_pki(cluster: Cluster) -> Iterator[Problem]:
    for b in backup_declarations(cluster):
        if b.get("includesPki") is False:
            yield Problem(
                "etcd backups are declared without the PKI (backups.etcd.includesPki: false): a cluster "
                "restored from the snapshot alone cannot validate its certificates or service-account "
                "tokens; back up pki/ca.key, sa.key, front-proxy-ca.key and etcd/ca.key (with their "
                "certificates) beside the snapshot",
                b.loc("includesPki"), anchor="backups/etcd/includesPki",
            )
