"""What the architecture rules share: the size and etcd topology of the cluster for the decision matrix."""

from __future__ import annotations

from kublint.model.cluster import CONTROL_PLANE, WORKER, Cluster
from kublint.source import Span

STACKED, EXTERNAL, UNKNOWN = "stacked", "external", "unknown"


def node_count(cluster: Cluster) -> int:
    """Kubernetes nodes: the workers (listed, or the inventory's ``workerCount``) and the control-plane nodes
    that are not workers too."""
    cp_only = sum(1 for n in cluster.nodes if n.has(CONTROL_PLANE) and not n.has(WORKER))
    cp_only += max(0, cluster.control_plane_count - len(cluster.control_plane))  # joins that name no node
    return cluster.worker_count + cp_only


def etcd_topology(cluster: Cluster) -> str:
    """``stacked`` when etcd runs on the control-plane nodes (kubeadm's local etcd, or every etcd host is a
    control-plane node), ``external`` when some member runs elsewhere, ``unknown`` without etcd facts."""
    if cluster.etcd_stacked:
        return STACKED
    if not cluster.etcd_members and not cluster.etcd_nodes():
        return UNKNOWN
    cp = {n.name for n in cluster.control_plane}
    hosts = [m.node for m in cluster.etcd_members] + [n.name for n in cluster.etcd_nodes()]
    if cp and all(h is not None and h in cp for h in hosts):
        return STACKED
    return EXTERNAL


def size_span(cluster: Cluster) -> Span | None:
    """Where the cluster's size is stated: the inventory's ``cluster.workerCount``, else its node list."""
    from kublint.model.inventory import native_documents

    for doc in native_documents(cluster.files):
        if doc.has("cluster", "workerCount"):
            return doc.loc("cluster", "workerCount")
    for doc in native_documents(cluster.files):
        if doc.has("nodes"):
            return doc.loc("nodes", key=True)
    return cluster.inventory_span


def size_known(cluster: Cluster) -> bool:
    """The worker count is stated: worker nodes are listed, or the inventory declares ``workerCount``."""
    from kublint.model.inventory import native_documents

    return any(n.has(WORKER) for n in cluster.nodes) or any(
        doc.has("cluster", "workerCount") for doc in native_documents(cluster.files))
