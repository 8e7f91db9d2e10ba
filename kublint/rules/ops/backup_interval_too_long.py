"""OP102: see rules/OP102.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.model.schedule import ScheduleError, describe, longest_gap, timer_longest_gap
from kublint.model.types import Backup
from kublint.parsers.systemd import UnitFile
from kublint.rules.api import rule
from kublint.rules.ops._common import backup_declarations

TRIGGERS = ("OnCalendar", "OnUnitActiveSec", "OnUnitInactiveSec", "OnBootSec", "OnStartupSec", "OnActiveSec")


class Options(NamedTuple):
    max_interval_hours: Annotated[
        float,
        "longest accepted time between two etcd backups, in hours (policy)",
    ] = 24


def _gap(cluster: Cluster, backup: Backup) -> dt.timedelta | None:
    """The longest gap of one backup schedule; raises ScheduleError when it cannot be read."""
    assert backup.schedule is not None
    if backup.kind == "systemd-timer":
        unit = _unit_at(cluster, backup.schedule.span.path)
        if unit is not None:  # every trigger of the timer counts, not only the first one the model keeps
            triggers = [(e.key, e.value) for e in unit.entries if e.section == "Timer" and e.key in TRIGGERS]
            if triggers:
                return timer_longest_gap(triggers)
    return longest_gap(backup.schedule.value)


def _unit_at(cluster: Cluster, path: str) -> UnitFile | None:
    for f in cluster.files:
        if f.path == path and f.kind is Kind.SYSTEMD_UNIT and isinstance(f.content, UnitFile):
            return f.content
    return None


@rule("OP102", options=Options)
def backup_interval_too_long(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    limit = dt.timedelta(hours=opts.max_interval_hours)
    late: list[tuple[Backup, dt.timedelta | None]] = []
    for backup in cluster.backups:
        if backup.schedule is None:
            continue
        try:
            gap = _gap(cluster, backup)
        except ScheduleError:
            continue  # a schedule kublint cannot read is not judged
        if gap is not None and gap <= limit:
            return  # one backup that runs often enough satisfies the policy
        late.append((backup, gap))
    declared = backup_declarations(cluster)
    for backup, gap in late:
        assert backup.schedule is not None
        span = backup.schedule.span
        if backup.kind == "inventory":  # the model keeps the backups.etcd mapping; point at its schedule
            span = next((b.loc("schedule") for b in declared if b.loc("schedule").path == span.path), span)
        if gap is None:
            how = f"does not repeat, while the policy asks for a snapshot at least every {describe(limit)}"
        else:
            how = (f"leaves up to {describe(gap)} between snapshots, more than the {describe(limit)} the "
                   "policy allows")
        yield Problem(
            f"the etcd backup schedule {backup.schedule.value!r} ({backup.description}) {how}: a restore "
            "loses every change since the last snapshot; snapshot at least daily (for example \"0 */6 * * "
            "*\")",
            span, anchor=f"backup:{backup.kind}:{backup.description}",
        )
