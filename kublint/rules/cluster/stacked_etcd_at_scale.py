"""CL103: see rules/CL103.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.sizing import MATRIX, STACKED
from kublint.rules.api import rule
from kublint.source import Span


class Options(NamedTuple):
    max_stacked_nodes: Annotated[
        int, "above this many nodes, stacked etcd is reported (policy)"
    ] = MATRIX.max_stacked_nodes


def _where(cluster: Cluster) -> Span | None:
    for doc in cluster.cluster_configs():
        return doc.loc("etcd", key=True) if doc.has("etcd") else doc.kind_span()
    return cluster.etcd_member_list


@rule("CL103", options=Options)
def stacked_etcd_at_scale(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    nodes = cluster.sizing.node_count
    if nodes <= opts.max_stacked_nodes or cluster.sizing.etcd_topology != STACKED:
        return
    where = _where(cluster)
    if where is None:
        return
    size = cluster.sizing.size_span
    related = (Related(size, "cluster size"),) if size is not None else ()
    yield Problem(
        f"etcd is stacked on the control-plane nodes of a cluster with {nodes} nodes (policy: dedicated etcd "
        f"above {opts.max_stacked_nodes}; etcd's own guide sizes dedicated members for 250 nodes and more): "
        "API server and etcd then compete for CPU, memory and disk; move etcd to dedicated machines "
        "(etcd.external)",
        where, related, anchor="architecture/etcd-topology",
    )
