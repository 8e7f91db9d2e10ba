"""OP101: see rules/OP101.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.rules.api import rule
from kublint.source import Span


def _where(cluster: Cluster) -> Span | None:
    if cluster.backups_span is not None:
        return cluster.backups_span
    if cluster.inventory_span is not None:
        return cluster.inventory_span
    if cluster.kubeadm_docs:
        return cluster.kubeadm_docs[0].kind_span()
    for f in cluster.files:
        if f.kind is Kind.ETCD_CONFIG and f.documents:
            return f.documents[0].span
    return None


@rule("OP101")
def etcd_backup_missing(cluster: Cluster) -> Iterator[Problem]:
    if cluster.backups:
        return
    where = _where(cluster)
    if where is None:
        return
    yield Problem(
        "no etcd backup schedule found: not in the inventory (backups.etcd.schedule), and no "
        "CronJob, systemd "
        "timer or crontab runs `etcdctl snapshot save` or `etcdutl snapshot save`; a lost etcd "
        "quorum without a "
        "snapshot is a lost cluster",
        where,
        anchor="backups/etcd",
    )
