"""ET003: see rules/ET003.md."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import FILE
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor
from kublint.rules.etcd._keys import DURATION_KEYS
from kublint.text import is_digits

_UNIT_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
            "m": 60_000_000_000, "h": 3_600_000_000_000}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def go_duration_ns(text: str) -> int | None:
    """Nanoseconds of a Go duration string (``5s``, ``1m30s``, ``100ms``), or None."""
    t = text.strip()
    if t in ("0", ""):
        return 0 if t == "0" else None
    pos, total = 0, 0.0
    while pos < len(t):
        m = _PART.match(t, pos)
        if m is None:
            return None
        total += float(m.group(1)) * _UNIT_NS[m.group(2)]
        pos = m.end()
    return round(total)


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
