"""IV105: see rules/IV105.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.inventory._native import etcd_data_dir, etcd_data_disks


class Options(NamedTuple):
    min_seq_iops: Annotated[float, "sequential write IOPS for a loaded etcd"] = 500
    max_fsync_p99_ms: Annotated[float, "etcd's p99 WAL fsync bound, in ms"] = 10
    max_commit_p99_ms: Annotated[float, "etcd's p99 backend commit bound, in ms"] = 25


def _num(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _findings(opts: Options, key: str, v: float) -> str | None:
    """What is wrong with one measurement, or None."""
    if key == "seqIOPS" and v < opts.min_seq_iops:
        return (f"{v:g} sequential write IOPS, below the {opts.min_seq_iops:g} etcd asks for "
                "a loaded cluster")
    if key == "fsyncP99Ms" and v > opts.max_fsync_p99_ms:
        return f"a p99 fsync of {v:g} ms, over etcd's {opts.max_fsync_p99_ms:g} ms bound for the WAL"
    if key == "commitP99Ms" and v > opts.max_commit_p99_ms:
        return f"a p99 backend commit of {v:g} ms, over etcd's {opts.max_commit_p99_ms:g} ms bound"
    return None


@rule("IV105", options=Options)
def etcd_disk_slow(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    _, dir_span = etcd_data_dir(cluster)
    related = (Related(dir_span, "etcd data directory"),) if dir_span else ()
    for disk in etcd_data_disks(cluster):
        node = disk.node.name
        for key in ("seqIOPS", "fsyncP99Ms", "commitP99Ms"):
            value = _num(disk.get(key))
            what = _findings(opts, key, value) if value is not None else None
            if what is None:
                continue
            yield Problem(
                f"etcd's data disk on node {node} ({disk.mount}) measures {what}: slow disk writes delay "
                "every commit and cause missed heartbeats and leader elections; give etcd a dedicated "
                "local SSD",
                disk.loc(key), related, anchor=f"node:{node}/disk:{disk.mount}/{key}",
            )
