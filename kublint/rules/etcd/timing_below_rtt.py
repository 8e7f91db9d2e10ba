"""ET202: see rules/ET202.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import Latency, Node
from kublint.rules.api import rule

DEFAULT_HEARTBEAT_MS = 100
DEFAULT_ELECTION_MS = 1000


class Options(NamedTuple):
    heartbeat_rtt_factor: Annotated[float, "heartbeat must be at least this x max RTT"] = 0.5
    election_rtt_factor: Annotated[float, "election timeout must be this x max RTT"] = 10


def _between_members(cluster: Cluster, lat: Latency, members: list[Node]) -> bool:
    names = {n.name for n in members}
    a = [n for n in cluster.node_by_name_or_zone(lat.a.value) if n.name in names]
    b = [n for n in cluster.node_by_name_or_zone(lat.b.value) if n.name in names]
    return bool(a and b) and lat.a.value != lat.b.value


@rule("ET202", options=Options)
def timing_below_rtt(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    members = cluster.etcd_nodes()
    lats = [lat for lat in cluster.latency if _between_members(cluster, lat, members)]
    if not lats:
        return
    worst = max(lats, key=lambda lat: lat.rtt_ms.value)
    rtt = worst.rtt_ms.value
    evidence = Related(worst.rtt_ms.span, f"measured round trip {worst.a.value}-{worst.b.value}: {rtt:g} ms")
    need_hb = opts.heartbeat_rtt_factor * rtt
    need_el = opts.election_rtt_factor * rtt
    timings = [t for t in cluster.etcd_timings if t.heartbeat_ms or t.election_ms]
    if not timings:
        low = []
        if need_hb > DEFAULT_HEARTBEAT_MS:
            low.append(f"heartbeat {DEFAULT_HEARTBEAT_MS} ms < {need_hb:g} ms")
        if need_el > DEFAULT_ELECTION_MS:
            low.append(f"election timeout {DEFAULT_ELECTION_MS} ms < {need_el:g} ms")
        if low:
            yield Problem(
                f"etcd runs with its default timing ({'; '.join(low)}) across a {rtt:g} ms round "
                "trip between "
                f"members: etcd's tuning guide wants heartbeat >= {opts.heartbeat_rtt_factor:g}x "
                "and election "
                f"timeout >= {opts.election_rtt_factor:g}x the round trip, or members keep starting "
                "elections; "
                "set heartbeat-interval and election-timeout",
                worst.rtt_ms.span,
                (evidence,),
                anchor=f"latency:{worst.a.value}-{worst.b.value}/etcd-timing",
            )
        return
    for t in timings:
        if t.heartbeat_ms is not None and t.heartbeat_ms.value < need_hb:
            yield Problem(
                f"etcd heartbeat-interval {t.heartbeat_ms.value} ms ({t.origin}) is below "
                f"{opts.heartbeat_rtt_factor:g}x the {rtt:g} ms round trip between members ({need_hb:g} ms)",
                t.heartbeat_ms.span,
                (evidence,),
                anchor=f"{t.origin}/heartbeat-interval",
            )
        if t.election_ms is not None and t.election_ms.value < need_el:
            yield Problem(
                f"etcd election-timeout {t.election_ms.value} ms ({t.origin}) is below "
                f"{opts.election_rtt_factor:g}x the {rtt:g} ms round trip between members ({need_el:g} ms): "
                "a slow round trip will look like a dead leader",
                t.election_ms.span,
                (evidence,),
                anchor=f"{t.origin}/election-timeout",
            )
