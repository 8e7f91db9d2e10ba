"""ET003: see rules/ET003.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import FILE
from kublint.model.values import go_duration_ns
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor
from kublint.rules.etcd._keys import DURATION_KEYS
from kublint.text import is_digits


@rule("ET003")
def duration_as_string(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.etcd_configs:
        if cfg.origin != FILE:
            continue
        for s in cfg.explicit():
            if s.key not in DURATION_KEYS or not isinstance(s.value, str):
                continue
            raw = s.value.strip()
            if is_digits(raw):
                fix = f"write the number without quotes ({s.key}: {raw})"
            elif (ns := go_duration_ns(raw)) is not None:
                fix = f"write {s.key}: {ns} ({raw} in nanoseconds)"
            else:
                fix = f"write {s.key} as an integer number of nanoseconds (5000000000 for 5s)"
            yield Problem(
                f"{s.key} is the string \"{s.value}\", but etcd reads durations in its config file only as "
                "integer nanoseconds: etcd will not start (cannot unmarshal string into time.Duration); "
                f"{fix}",
                s.span, anchor=anchor(cfg, s.key),
            )
