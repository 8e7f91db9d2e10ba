"""IV101: see rules/IV101.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.inventory._common import cpus, gib


class Options(NamedTuple):
    min_cpus: Annotated[float, "kubeadm preflight's ControlPlaneNumCPU"] = 2
    min_memory_mib: Annotated[float, "kubeadm preflight's ControlPlaneMem, in MiB"] = 1700


@rule("IV101", options=Options)
def control_plane_below_minimum(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    for node in cluster.control_plane:
        hw = node.hardware
        if hw is None:
            continue
        if hw.cpus is not None and hw.cpus.value < opts.min_cpus:
            yield Problem(
                f"control-plane node {node.name} has {cpus(hw.cpus.value)}; kubeadm's preflight "
                "check refuses a "
                f"control plane with fewer than {cpus(opts.min_cpus)}",
                hw.cpus.span,
                anchor=f"node:{node.name}/cpus",
            )
        if hw.memory_mib is not None and hw.memory_mib.value < opts.min_memory_mib:
            yield Problem(
                f"control-plane node {node.name} has {hw.memory_mib.value:g} MiB "
                f"({gib(hw.memory_mib.value)}) of "
                f"memory; kubeadm's preflight check refuses a control plane with less than "
                f"{opts.min_memory_mib:g} MiB",
                hw.memory_mib.span,
                anchor=f"node:{node.name}/memory",
            )
