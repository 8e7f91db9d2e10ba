"""CL101: see rules/CL101.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.sizing import MATRIX
from kublint.rules.api import rule


class Options(NamedTuple):
    ha_min_nodes: Annotated[
        int, "from this many nodes on, a single control plane is reported (policy)"
    ] = MATRIX.ha_min_nodes


@rule("CL101", options=Options)
def single_control_plane_in_production(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    if cluster.control_plane_count != 1:
        return
    (cp,) = cluster.control_plane
    nodes = cluster.sizing.node_count
    production = cluster.environment is not None and cluster.environment.value == "production"
    if not production and nodes < opts.ha_min_nodes:
        return
    related: list[Related] = []
    reasons = []
    if production:
        assert cluster.environment is not None
        reasons.append("the environment is production")
        related.append(Related(cluster.environment.span, "environment"))
    if nodes >= opts.ha_min_nodes:
        reasons.append(f"the cluster has {nodes} nodes (policy: HA from {opts.ha_min_nodes})")
        where = cluster.sizing.size_span
        if where is not None:
            related.append(Related(where, "cluster size"))
    yield Problem(
        f"{cp.name} is the only control-plane node while {' and '.join(reasons)}: if it fails the API is "
        "down and, with etcd on it, the cluster's data may be lost; run three control-plane nodes behind a "
        "load balancer (stacked etcd)",
        cp.span, tuple(related), anchor="architecture/control-plane-count",
    )
