"""IV202: see rules/IV202.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.types import WORKER
from kublint.rules.api import rule


@rule("IV202")
def control_plane_single_zone(cluster: Cluster) -> Iterator[Problem]:
    cps = cluster.control_plane
    if len(cps) < 2 or any(n.zone is None for n in cps):
        return
    cp_zones = {n.zone.value for n in cps if n.zone is not None}
    workers = [n for n in cluster.nodes if n.has(WORKER) and n.zone is not None]
    worker_zones = sorted({n.zone.value for n in workers if n.zone is not None})
    if len(cp_zones) != 1 or len(worker_zones) < 2:
        return
    (zone,) = cp_zones
    first = cps[0]
    assert first.zone is not None
    elsewhere = [n for n in workers if n.zone is not None and n.zone.value != zone]
    related = tuple(Related(n.zone.span, f"control-plane node {n.name}") for n in cps[1:] if n.zone)
    related += tuple(Related(n.zone.span, f"worker {n.name}") for n in elsewhere[:3] if n.zone is not None)
    yield Problem(
        f"all {len(cps)} control-plane nodes are in zone {zone} while workers span "
        f"{', '.join(worker_zones)}: losing {zone} takes the API and etcd down although workers elsewhere "
        "survive; put one control-plane node in each of three zones",
        first.zone.span, related, anchor="zones/control-plane",
    )
