"""Inventory fields the joined model does not carry (disk measurements, swap, runtime, identity), read from
the native inventory entry of each node."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, NamedTuple

from kublint.model.cluster import Cluster
from kublint.model.inventory import NativeNode, native_nodes
from kublint.model.types import Node
from kublint.source import Span

DEFAULT_DATA_DIR = "/var/lib/etcd"


class DataDisk(NamedTuple):
    node: Node
    entry: NativeNode
    position: int  # in the node's hardware.disks
    mount: str

    def get(self, key: str) -> Any:
        return self.entry.get("hardware", "disks", self.position, key)

    def loc(self, key: str) -> Span:
        return self.entry.loc("hardware", "disks", self.position, key)


def entries_for(cluster: Cluster, node: Node) -> list[NativeNode]:
    return [e for e in native_nodes(cluster.files) if e.name == node.name]


def etcd_data_dir(cluster: Cluster) -> tuple[str, Span | None]:
    d = cluster.etcd_data_dirs[0] if cluster.etcd_data_dirs else None
    return (d.value, d.span) if d else (DEFAULT_DATA_DIR, None)


def etcd_data_disks(cluster: Cluster) -> list[DataDisk]:
    """For each etcd node, the inventory disk whose mount holds etcd's data directory (the longest match)."""
    path, _ = etcd_data_dir(cluster)
    target = PurePosixPath(path)
    out: list[DataDisk] = []
    for node in cluster.etcd_nodes():
        for entry in entries_for(cluster, node):
            disks = entry.get("hardware", "disks")
            best: tuple[int, int, str] | None = None
            for j, disk in enumerate(disks if isinstance(disks, list) else []):
                mount = disk.get("mount") if isinstance(disk, dict) else None
                if not isinstance(mount, str):
                    continue
                m = PurePosixPath(mount)
                if (target == m or m in target.parents) and (best is None or len(m.parts) > best[0]):
                    best = (len(m.parts), j, mount)
            if best is not None:
                out.append(DataDisk(node, entry, best[1], best[2]))
    return out
