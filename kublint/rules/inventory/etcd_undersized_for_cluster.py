"""IV103: see rules/IV103.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.inventory._common import cpus, gib

# etcd's hardware guide: (up to this many worker nodes, vCPUs, GiB of memory)
ETCD_TIERS: tuple[tuple[int, int, int], ...] = ((50, 2, 8), (250, 4, 16), (1000, 8, 32), (3000, 16, 64))


class Options(NamedTuple):
    tiers: Annotated[
        tuple[tuple[int, int, int], ...],
        "[max workers, CPUs, memory GiB] tiers from etcd's hardware guide",
    ] = ETCD_TIERS


@rule("IV103", options=Options)
def etcd_undersized_for_cluster(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    workers = cluster.worker_count
    tiers = sorted(tuple(t) for t in opts.tiers)
    if not tiers:
        return
    tier = next((t for t in tiers if workers <= t[0]), tiers[-1])
    limit, need_cpu, need_gib = tier
    size = f"up to {limit} workers" if workers <= limit else f"more than {tiers[-1][0]} workers"
    for node in cluster.etcd_nodes():
        hw = node.hardware
        if hw is None:
            continue
        short = []
        if hw.cpus is not None and hw.cpus.value < need_cpu:
            short.append((hw.cpus.span, f"{cpus(hw.cpus.value)} (needs {need_cpu})", "cpus"))
        if hw.memory_mib is not None and hw.memory_mib.value < need_gib * 1024:
            short.append(
                (hw.memory_mib.span, f"{gib(hw.memory_mib.value)} of memory (needs {need_gib} GiB)", "memory")
            )
        for span, what, part in short:
            yield Problem(
                f"etcd node {node.name} has {what}: etcd's hardware guide sizes members at "
                f"{need_cpu} CPUs and "
                f"{need_gib} GiB for a cluster of {size} (this one has {workers})",
                span,
                anchor=f"node:{node.name}/{part}",
            )
