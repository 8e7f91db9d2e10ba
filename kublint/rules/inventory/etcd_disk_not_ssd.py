"""IV104: see rules/IV104.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import Disk
from kublint.rules.api import rule

DEFAULT_DATA_DIR = "/var/lib/etcd"
ROTATIONAL = frozenset({"hdd", "rotational", "spinning"})


def data_disk(disks: tuple[Disk, ...], data_dir: str) -> Disk | None:
    """The disk whose mount point holds the data directory (the longest matching mount)."""
    target = PurePosixPath(data_dir)
    best: tuple[int, Disk] | None = None
    for d in disks:
        if d.mount is None:
            continue
        mount = PurePosixPath(d.mount.value)
        if target == mount or mount in target.parents:
            depth = len(mount.parts)
            if best is None or depth > best[0]:
                best = (depth, d)
    return best[1] if best else None


@rule("IV104")
def etcd_disk_not_ssd(cluster: Cluster) -> Iterator[Problem]:
    data_dir = cluster.etcd_data_dirs[0] if cluster.etcd_data_dirs else None
    path = data_dir.value if data_dir else DEFAULT_DATA_DIR
    related = (Related(data_dir.span, "etcd data directory"),) if data_dir else ()
    for node in cluster.etcd_nodes():
        if node.hardware is None:
            continue
        disk = data_disk(node.hardware.disks, path)
        if disk is None or disk.type is None or disk.type.value.lower() not in ROTATIONAL:
            continue
        mount = disk.mount.value if disk.mount else "?"
        yield Problem(
            f"etcd on node {node.name} keeps its data ({path}) on a rotational disk ({mount}): etcd "
            "fsyncs every "
            "write, and slow fsync causes leader elections and API timeouts; etcd highly recommends SSD",
            disk.type.span,
            related,
            anchor=f"node:{node.name}/disk:{mount}",
        )
