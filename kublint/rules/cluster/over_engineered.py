"""CL102: see rules/CL102.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.sizing import EXTERNAL, MATRIX
from kublint.rules.api import rule


class Options(NamedTuple):
    small_cluster_nodes: Annotated[
        int,
        "below this many nodes, external etcd or more than 3 control-plane "
        "nodes is reported (policy)",
    ] = MATRIX.small_cluster_nodes
    max_control_plane: Annotated[int, "control-plane nodes a small cluster needs"] = MATRIX.max_control_plane


@rule("CL102", options=Options)
def over_engineered(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    if not cluster.sizing.size_known:
        return
    nodes = cluster.sizing.node_count
    if nodes >= opts.small_cluster_nodes:
        return
    size = cluster.sizing.size_span
    related = (Related(size, "cluster size"),) if size is not None else ()
    small = f"the cluster has {nodes} nodes (policy: fewer than {opts.small_cluster_nodes} is small)"
    if cluster.sizing.etcd_topology == EXTERNAL and cluster.etcd_member_list is not None:
        yield Problem(
            f"etcd runs on its own hosts while {small}: external etcd needs twice the machines and its own "
            "certificates, upgrades and backups for no gain at this size; stacked etcd on three "
            "control-plane nodes tolerates the same one failure",
            cluster.etcd_member_list, related, anchor="architecture/external-etcd",
        )
    cps = cluster.control_plane
    if len(cps) > opts.max_control_plane:
        extra = cps[opts.max_control_plane:]
        yield Problem(
            f"{len(cps)} control-plane nodes while {small}: {opts.max_control_plane} tolerate a failure and "
            "each more adds etcd replication and upgrade work; consider running "
            f"{', '.join(n.name for n in extra)} as workers",
            extra[0].span, related, anchor="architecture/control-plane-count",
        )
