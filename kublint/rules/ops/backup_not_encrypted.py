"""OP103: see rules/OP103.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.ops._common import backup_declarations


@rule("OP103")
def backup_not_encrypted(cluster: Cluster) -> Iterator[Problem]:
    for b in backup_declarations(cluster):
        if b.get("encrypted") is False:
            yield Problem(
                "etcd backups are declared unencrypted (backups.etcd.encrypted: false): a snapshot holds "
                "every Secret of the cluster in clear, so whoever reads the backup store reads them; encrypt "
                "the snapshots (at rest in the target, or before upload) and set encrypted: true",
                b.loc("encrypted"), anchor="backups/etcd/encrypted",
            )
