"""OP104: see rules/OP104.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import CONTROL_PLANE, ETCD, Node
from kublint.rules.api import rule
from kublint.rules.ops._common import backup_declarations

OBJECT_STORES = frozenset({"s3", "gs", "gcs", "az", "azure", "azblob", "wasb", "wasbs", "abfs", "abfss", "b2",
                           "swift", "oss", "cos", "r2"})
_SCP = re.compile(r"^(?:[^@/\s]+@)?(?P<host>\[[^\]]+\]|[^:/\s]+):")


def target_host(target: str) -> str | None:
    """The host a backup target names: ``sftp://host/path``, ``user@host:/path``, ``host:path``; None for
    object storage (``s3://bucket``) and local paths."""
    t = target.strip()
    if "://" in t:
        try:
            parts = urlsplit(t)
        except ValueError:
            return None
        if parts.scheme.lower() in OBJECT_STORES or parts.scheme.lower() == "file":
            return None
        return parts.hostname
    m = _SCP.match(t)
    if m:
        return m.group("host").strip("[]")
    return None


def _matches(host: str, node: Node) -> bool:
    return net.same_host(host, node.name) or any(net.same_host(host, a.value) for a in node.addresses)


@rule("OP104")
def backup_on_cluster_host(cluster: Cluster) -> Iterator[Problem]:
    etcd_names = {n.name for n in cluster.etcd_nodes()}
    for b in backup_declarations(cluster):
        raw = b.get("target")
        if not isinstance(raw, str):
            continue
        host = target_host(raw)
        if not host:
            continue
        for node in cluster.nodes:
            cluster_host = node.has(CONTROL_PLANE) or node.has(ETCD) or node.name in etcd_names
            if not cluster_host or not _matches(host, node):
                continue
            role = "control-plane and etcd" if node.has(CONTROL_PLANE) and node.name in etcd_names else (
                "control-plane" if node.has(CONTROL_PLANE) else "etcd")
            yield Problem(
                f"etcd backups go to {host}, which is {role} node {node.name}: losing that machine loses "
                "the cluster and its backups together; send snapshots off the cluster's hosts (object "
                "storage or a backup server in another failure domain)",
                b.loc("target"), (Related(node.span, f"{role} node {node.name}"),),
                anchor="backups/etcd/target",
            )
            break
