"""The cluster's size and etcd topology, as the decision matrix of RULES.md family CL reads them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from kublint.model.files import ParsedFile
from kublint.model.inventory import native_documents
from kublint.model.types import CONTROL_PLANE, WORKER, EtcdMember, Node
from kublint.source import Span

STACKED, EXTERNAL, UNKNOWN = "stacked", "external", "unknown"


class Matrix(NamedTuple):
    """The thresholds of the decision matrix (RULES.md family CL): the defaults of CL101-CL104's options, and
    what ``kublint topology`` recommends with when those rules are not configured."""

    ha_min_nodes: int = 20  # from this many nodes on, a single control plane is reported (CL101)
    small_cluster_nodes: int = 20  # below this, external etcd or over 3 control planes is reported (CL102)
    max_control_plane: int = 3  # control-plane nodes a small cluster needs (CL102)
    max_stacked_nodes: int = 100  # above this many nodes, stacked etcd is reported (CL103)
    max_nodes: int = 5000  # nodes Kubernetes is tested for (CL104)
    max_pods_per_node: int = 110  # pods per node Kubernetes is tested for (CL104)


MATRIX = Matrix()


class Sizing(NamedTuple):
    node_count: int  # Kubernetes nodes: workers and control-plane nodes that are not workers
    etcd_topology: str  # STACKED, EXTERNAL or UNKNOWN
    size_span: Span | None  # where the size is stated: the inventory's workerCount, else its node list
    size_known: bool  # worker nodes are listed, or the inventory declares workerCount


UNSIZED = Sizing(0, UNKNOWN, None, False)


def node_count(nodes: Sequence[Node], worker_count: int, control_plane_count: int) -> int:
    """Kubernetes nodes: the workers (listed, or the inventory's ``workerCount``) and the control-plane nodes
    that are not workers too."""
    cp = [n for n in nodes if n.has(CONTROL_PLANE)]
    cp_only = sum(1 for n in cp if not n.has(WORKER))
    cp_only += max(0, control_plane_count - len(cp))  # joins that name no node
    return worker_count + cp_only


def etcd_topology(
    stacked: bool, members: Sequence[EtcdMember], etcd_nodes: Sequence[Node], control_plane: Sequence[Node]
) -> str:
    """``stacked`` when etcd runs on the control-plane nodes (kubeadm's local etcd, or every etcd host is a
    control-plane node), ``external`` when some member runs elsewhere, ``unknown`` without etcd facts."""
    if stacked:
        return STACKED
    if not members and not etcd_nodes:
        return UNKNOWN
    cp = {n.name for n in control_plane}
    hosts = [m.node for m in members] + [n.name for n in etcd_nodes]
    if cp and all(h is not None and h in cp for h in hosts):
        return STACKED
    return EXTERNAL


def size_span(files: Sequence[ParsedFile], inventory_span: Span | None) -> Span | None:
    docs = native_documents(files)
    for doc in docs:
        if doc.has("cluster", "workerCount"):
            return doc.loc("cluster", "workerCount")
    for doc in docs:
        if doc.has("nodes"):
            return doc.loc("nodes", key=True)
    return inventory_span


def size_known(files: Sequence[ParsedFile], nodes: Sequence[Node]) -> bool:
    return any(n.has(WORKER) for n in nodes) or any(
        doc.has("cluster", "workerCount") for doc in native_documents(files)
    )
