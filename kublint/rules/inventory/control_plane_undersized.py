"""IV102: see rules/IV102.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.inventory._common import cpus, gib


class Options(NamedTuple):
    min_cpus: Annotated[float, "recommended CPUs for a control-plane node (policy)"] = 4
    min_memory_gib: Annotated[float, "recommended memory in GiB (policy)"] = 8
    floor_cpus: Annotated[float, "below this many CPUs the node is left to IV101 (kubeadm's floor)"] = 2
    floor_memory_mib: Annotated[float, "below this memory, in MiB, the node is left to IV101"] = 1700


@rule("IV102", options=Options)
def control_plane_undersized(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    for node in cluster.control_plane:
        hw = node.hardware
        if hw is None:
            continue
        c = hw.cpus
        if c is not None and opts.floor_cpus <= c.value < opts.min_cpus:
            yield Problem(
                f"control-plane node {node.name} has {cpus(c.value)}, below the recommended "
                f"{cpus(opts.min_cpus)} "
                "(policy: kubeadm's floor is 2; an API server, etcd and controllers under load need more)",
                c.span,
                anchor=f"node:{node.name}/cpus",
            )
        m = hw.memory_mib
        if m is not None and opts.floor_memory_mib <= m.value < opts.min_memory_gib * 1024:
            yield Problem(
                f"control-plane node {node.name} has {gib(m.value)} of memory, below the recommended "
                f"{opts.min_memory_gib:g} GiB (policy: kubeadm's floor is 1700 MiB)",
                m.span,
                anchor=f"node:{node.name}/memory",
            )
