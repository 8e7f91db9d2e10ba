"""IV201: see rules/IV201.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import CONTROL_PLANE
from kublint.rules.api import rule


class Options(NamedTuple):
    max_rtt_ms: Annotated[float, "largest round trip between control-plane nodes (policy)"] = 5.0


@rule("IV201", options=Options)
def control_plane_rtt_over_budget(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    for lat in cluster.latency:
        a = [n for n in cluster.node_by_name_or_zone(lat.a.value) if n.has(CONTROL_PLANE)]
        b = [n for n in cluster.node_by_name_or_zone(lat.b.value) if n.has(CONTROL_PLANE)]
        if not a or not b or lat.a.value == lat.b.value:
            continue
        if lat.rtt_ms.value <= opts.max_rtt_ms:
            continue
        related = tuple(Related(n.span, f"control-plane node {n.name}") for n in (*a, *b))
        yield Problem(
            f"round trip between {lat.a.value} and {lat.b.value} is {lat.rtt_ms.value:g} ms, over the "
            f"{opts.max_rtt_ms:g} ms budget for control-plane nodes (policy): etcd commits and API "
            "writes wait "
            "for it; keep the control plane in one region's low-latency zones or raise max_rtt_ms",
            lat.rtt_ms.span,
            related,
            anchor=f"latency:{lat.a.value}-{lat.b.value}",
        )
