"""CL102: see rules/CL102.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.cluster._common import EXTERNAL, etcd_topology, node_count, size_known, size_span


class Options(NamedTuple):
    small_cluster_nodes: Annotated[
        int,
        "below this many nodes, external etcd or more than 3 control-plane "
        "nodes is reported (policy)",
    ] = 20
    max_control_plane: Annotated[int, "control-plane nodes a small cluster needs"] = 3


@rule("CL102", options=Options)
def over_engineered(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    if not size_known(cluster):
        return
    nodes = node_count(cluster)
    if nodes >= opts.small_cluster_nodes:
        return
    size = size_span(cluster)
    related = (Related(size, "cluster size"),) if size is not None else ()
    small = f"the cluster has {nodes} nodes (policy: fewer than {opts.small_cluster_nodes} is small)"
    if etcd_topology(cluster) == EXTERNAL and cluster.etcd_member_list is not None:
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
