"""IV106: see rules/IV106.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.inventory._native import etcd_data_dir, etcd_data_disks


@rule("IV106")
def etcd_disk_not_nvme(cluster: Cluster) -> Iterator[Problem]:
    _, dir_span = etcd_data_dir(cluster)
    related = (Related(dir_span, "etcd data directory"),) if dir_span else ()
    for disk in etcd_data_disks(cluster):
        kind = disk.get("type")
        if not isinstance(kind, str) or kind.lower() != "ssd":
            continue
        yield Problem(
            f"etcd's data disk on node {disk.node.name} ({disk.mount}) is an SSD but not NVMe (policy: NVMe "
            "for etcd; upstream asks for SSD only): NVMe gives lower fsync latency under load; move the "
            "data directory to an NVMe disk or accept this policy's advice",
            disk.loc("type"), related, anchor=f"node:{disk.node.name}/disk:{disk.mount}/type",
        )
