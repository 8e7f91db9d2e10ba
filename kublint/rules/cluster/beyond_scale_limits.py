"""CL104: see rules/CL104.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import kubelet_configs, kubelet_flags
from kublint.model.sizing import MATRIX
from kublint.model.values import as_int
from kublint.rules.api import rule
from kublint.source import Span


class Options(NamedTuple):
    max_nodes: Annotated[int, "nodes Kubernetes is tested for"] = MATRIX.max_nodes
    max_pods_per_node: Annotated[int, "pods per node Kubernetes is tested for"] = MATRIX.max_pods_per_node




def max_pods_settings(cluster: Cluster) -> list[tuple[int, Span, str]]:
    """``maxPods`` of each KubeletConfiguration and ``--max-pods`` of kubeletExtraArgs."""
    out: list[tuple[int, Span, str]] = []
    for doc in kubelet_configs(cluster):
        v = as_int(doc.get("maxPods"))
        if v is not None:
            out.append((v, doc.loc("maxPods"), "KubeletConfiguration maxPods"))
    for flag in kubelet_flags(cluster):
        v = as_int(flag.value) if flag.name == "max-pods" else None
        if v is not None:
            out.append((v, flag.span, f"kubelet --max-pods ({flag.origin})"))
    return out


@rule("CL104", options=Options)
def beyond_scale_limits(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    nodes = cluster.sizing.node_count
    where = cluster.sizing.size_span
    if nodes > opts.max_nodes and where is not None:
        yield Problem(
            f"the cluster has {nodes} nodes, beyond the {opts.max_nodes} Kubernetes is designed and tested "
            "for: API server, etcd and controllers are not validated at this size; split the workload "
            "across several clusters",
            where, anchor="scale/nodes",
        )
    for value, span, label in max_pods_settings(cluster):
        if value > opts.max_pods_per_node:
            yield Problem(
                f"{label} is {value}, beyond the {opts.max_pods_per_node} pods a node Kubernetes is tested "
                "for: kubelet, container runtime and networking degrade, and the node's pod CIDR may run "
                f"out; keep it at {opts.max_pods_per_node} or less and add nodes instead",
                span, anchor=f"scale/max-pods:{label}",
            )
