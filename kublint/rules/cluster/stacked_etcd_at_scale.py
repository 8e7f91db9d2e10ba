"""CL103: see rules/CL103.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.cluster._common import STACKED, etcd_topology, node_count, size_span
from kublint.source import Span


class Options(NamedTuple):
    max_stacked_nodes: Annotated[int, "above this many nodes, stacked etcd is reported (policy)"] = 100


def _where(cluster: Cluster) -> Span | None:
    for doc in cluster.cluster_configs():
        return doc.loc("etcd", key=True) if doc.has("etcd") else doc.kind_span()
    return cluster.etcd_member_list


@rule("CL103", options=Options)
def stacked_etcd_at_scale(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    nodes = node_count(cluster)
    if nodes <= opts.max_stacked_nodes or etcd_topology(cluster) != STACKED:
        return
    where = _where(cluster)
    if where is None:
        return
    size = size_span(cluster)
    related = (Related(size, "cluster size"),) if size is not None else ()
    yield Problem(
        f"etcd is stacked on the control-plane nodes of a cluster with {nodes} nodes (policy: dedicated etcd "
        f"above {opts.max_stacked_nodes}; etcd's own guide sizes dedicated members for 250 nodes and more): "
        "API server and etcd then compete for CPU, memory and disk; move etcd to dedicated machines "
        "(etcd.external)",
        where, related, anchor="architecture/etcd-topology",
    )
