"""ET203: see rules/ET203.md."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.etcd import EtcdConfig
from kublint.model.etcd_members import member_configs
from kublint.model.values import as_int
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, section_span, spelled
from kublint.source import Span

DEFAULTS = {"heartbeat-interval": 100, "election-timeout": 1000}


@rule("ET203")
def timing_differs_between_members(cluster: Cluster) -> Iterator[Problem]:
    cfgs = member_configs(cluster.etcd_configs)
    if len(cfgs) < 2:
        return
    for key, default in DEFAULTS.items():
        values: list[tuple[EtcdConfig, int, Span, bool]] = []
        for cfg in cfgs:
            s = cfg.get(key)
            if s is not None and not s.implicit:
                v = as_int(s.value)
                if v is None:
                    continue
                values.append((cfg, v, s.span, True))
            else:
                values.append((cfg, default, section_span(cluster, cfg), False))
        counts = Counter(v for _, v, _, _ in values)
        if len(counts) < 2:
            continue
        top = max(counts.values())
        ref = next(v for _, v, _, _ in values if counts[v] == top)
        refs = [(c, sp, explicit) for c, v, sp, explicit in values if v == ref]
        related = tuple(Related(sp, f"{key} {ref} ms" + ("" if explicit else " (etcd's default)")
                                + f" in {c.origin} {c.path}") for c, sp, explicit in refs[:3])
        for cfg, v, span, explicit in values:
            if v == ref:
                continue
            name = spelled(cfg, key)
            how = (f"{name} is {v} ms, which" if explicit
                   else f"{name} is not set, so this member uses etcd's default {v} ms, which")
            yield Problem(
                f"{how} differs from the {ref} ms of {len(refs)} other "
                f"member{'s' if len(refs) != 1 else ''}: etcd's tuning guide says heartbeat interval and "
                "election timeout should be the same on all members of a cluster, or members time out on "
                f"each other unevenly; set {ref} ms here (or one value on every member)",
                span, related, anchor=anchor(cfg, f"{key}/differs"),
            )
