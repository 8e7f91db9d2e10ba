"""IV102: see rules/IV102.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.inventory._common import cpus, gib
from kublint.rules.inventory.control_plane_below_minimum import Options as Floor


class Options(NamedTuple):
    min_cpus: Annotated[float, "recommended CPUs for a control-plane node (policy)"] = 4
    min_memory_gib: Annotated[float, "recommended memory in GiB (policy)"] = 8


@rule("IV102", options=Options, requires=("hardware",))
def control_plane_undersized(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    floor = Floor()  # below kubeadm's floor IV101 reports it; one finding a figure is enough
    for node in cluster.control_plane:
        hw = node.hardware
        if hw is None:
            continue
        c = hw.cpus
        if c is not None and floor.min_cpus <= c.value < opts.min_cpus:
            yield Problem(
                f"control-plane node {node.name} has {cpus(c.value)}, below the recommended "
                f"{cpus(opts.min_cpus)} "
                "(policy: kubeadm's floor is 2; an API server, etcd and controllers under load need more)",
                c.span,
                anchor=f"node:{node.name}/cpus",
            )
        m = hw.memory_mib
        if m is not None and floor.min_memory_mib <= m.value < opts.min_memory_gib * 1024:
            yield Problem(
                f"control-plane node {node.name} has {gib(m.value)} of memory, below the recommended "
                f"{opts.min_memory_gib:g} GiB (policy: kubeadm's floor is 1700 MiB)",
                m.span,
                anchor=f"node:{node.name}/memory",
            )
