"""IV203: see rules/IV203.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule


class Options(NamedTuple):
    min_zones: Annotated[int, "failure zones an HA control plane should span"] = 3


@rule("IV203", options=Options)
def control_plane_too_few_zones(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    cps = cluster.control_plane
    if len(cps) < 2 or any(n.zone is None for n in cps):
        return
    zones = sorted({n.zone.value for n in cps if n.zone is not None})
    if len(zones) >= opts.min_zones:
        return
    first = cps[0]
    assert first.zone is not None
    related = tuple(Related(n.zone.span, f"control-plane node {n.name}") for n in cps[1:] if n.zone)
    yield Problem(
        f"the {len(cps)} control-plane nodes span {len(zones)} zone{'' if len(zones) == 1 else 's'} "
        f"({', '.join(zones)}), fewer than {opts.min_zones}: with fewer zones than that, losing one zone "
        "can take etcd's majority with it; place one control-plane (and etcd) node in each of three zones",
        first.zone.span, related, anchor="zones/control-plane-count",
    )
