"""What the inventory rules share: hardware figures as people read them."""

from __future__ import annotations

from kublint.model.cluster import Cluster
from kublint.model.types import Node


def gib(mib: float) -> str:
    value = mib / 1024
    return f"{value:.1f}".rstrip("0").rstrip(".") + " GiB"


def cpus(value: float) -> str:
    return f"{value:g} CPU" + ("" if value == 1 else "s")


def etcd_hosts(cluster: Cluster) -> list[Node]:
    return cluster.etcd_nodes()
