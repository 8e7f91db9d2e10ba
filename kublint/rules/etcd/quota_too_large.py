"""ET204: see rules/ET204.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.values import as_int
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, section_span, spelled

GIB = 1024**3
DEFAULT_QUOTA = 2 * GIB


class Options(NamedTuple):
    max_quota_bytes: Annotated[
        int,
        "quota-backend-bytes above this is reported (etcd's suggested maximum, 8 GiB)",
    ] = 8 * GIB


def _gib(n: float) -> str:
    return f"{n / GIB:.3g} GiB"


@rule("ET204", options=Options)
def quota_too_large(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        s = cfg.get("quota-backend-bytes")
        explicit = s is not None and not s.implicit
        value = as_int(s.value) if s is not None and explicit else 0
        if value is None or value < 0:
            continue
        quota = value if value > 0 else DEFAULT_QUOTA
        name = spelled(cfg, "quota-backend-bytes")
        reasons = []
        if value > opts.max_quota_bytes:
            reasons.append(
                f"above {_gib(opts.max_quota_bytes)}, the largest quota etcd suggests (etcd warns at "
                "startup, and a larger database slows snapshots, defragmentation and member recovery)")
        small = []
        related: list[Related] = []
        for node in cluster.etcd_config_nodes(cfg):
            hw = node.hardware
            if hw is None or hw.memory_mib is None:
                continue
            mem = hw.memory_mib.value * 1024 * 1024
            if quota > mem:
                small.append(f"{node.name} ({_gib(mem)})")
                related.append(Related(hw.memory_mib.span, f"memory of {node.name}"))
        if small:
            reasons.append(
                f"larger than the memory of {', '.join(small)}: etcd's FAQ says a member needs at least as "
                "much RAM as the quota, as etcd maps the whole database into memory")
        if not reasons:
            continue
        if s is not None and explicit and value > 0:
            head = f"{name} {value} ({_gib(value)})"
            span = s.span
        else:
            head = f"etcd's default backend quota of {_gib(DEFAULT_QUOTA)} ({name} " + (
                "0)" if explicit else "not set)")
            span = s.span if s is not None and explicit else section_span(cluster, cfg)
        yield Problem(
            f"{head} is {' and '.join(reasons)}; keep the quota at or below {_gib(opts.max_quota_bytes)} "
            "and below the node's memory, and compact and defragment instead of growing it",
            span, tuple(related), anchor=anchor(cfg, "quota-backend-bytes"),
        )
