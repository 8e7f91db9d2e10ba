"""IV107: see rules/IV107.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.types import CONTROL_PLANE, LB
from kublint.rules.api import rule
from kublint.rules.inventory._common import gib


class Options(NamedTuple):
    min_memory_mib: Annotated[float, "memory per machine, in MiB"] = 2048
    floor_memory_mib: Annotated[float, "a control-plane node below this, in MiB, is left to IV101"] = 1700


@rule("IV107", options=Options)
def node_below_memory_minimum(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    for node in cluster.nodes:
        if not node.roles or node.roles == {LB}:
            continue  # a load-balancer-only host runs no kubelet
        hw = node.hardware
        if hw is None or hw.memory_mib is None or hw.memory_mib.value >= opts.min_memory_mib:
            continue
        if node.has(CONTROL_PLANE) and hw.memory_mib.value < opts.floor_memory_mib:
            continue
        yield Problem(
            f"node {node.name} has {gib(hw.memory_mib.value)} of memory, below the "
            f"{gib(opts.min_memory_mib)} kubeadm's install guide asks of every machine: kubelet, runtime and "
            "system daemons leave little for Pods and the node comes under memory pressure; give it at least "
            f"{gib(opts.min_memory_mib)}",
            hw.memory_mib.span, anchor=f"node:{node.name}/memory",
        )
