"""etcd backup schedules found in CronJobs, systemd timers and crontabs."""

from __future__ import annotations

from pathlib import PurePosixPath

from kublint.model.files import Kind, ParsedFile
from kublint.model.types import Backup, Sourced
from kublint.parsers.crontab import CronEntry, runs_etcd_snapshot
from kublint.parsers.systemd import UnitFile
from kublint.parsers.yaml import YamlDocument

TIMER_KEYS = ("OnCalendar", "OnUnitActiveSec", "OnUnitInactiveSec", "OnBootSec", "OnActiveSec")


def _strings(value: object, depth: int = 0) -> list[str]:
    if depth > 20:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, depth + 1)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v, depth + 1)]
    return []


def cronjob_backups(doc: YamlDocument) -> list[Backup]:
    if doc.kind != "CronJob":
        return []
    pod = doc.get("spec", "jobTemplate", "spec", "template", "spec")
    if not isinstance(pod, dict):
        return []
    containers = [*(pod.get("containers") or []), *(pod.get("initContainers") or [])]
    text = " ".join(
        s for c in containers if isinstance(c, dict) for s in _strings([c.get("command"), c.get("args")])
    )
    if not runs_etcd_snapshot(text):
        return []
    sched = doc.get("spec", "schedule")
    schedule = Sourced(str(sched), doc.loc("spec", "schedule")) if isinstance(sched, str) else None
    name = doc.get("metadata", "name")
    return [Backup("cronjob", schedule, doc.kind_span(), f"CronJob {name or ''}".strip())]


def crontab_backups(entries: list[CronEntry]) -> list[Backup]:
    return [
        Backup("crontab", Sourced(e.schedule, e.schedule_span), e.span, "crontab entry")
        for e in entries
        if runs_etcd_snapshot(e.command)
    ]


def systemd_backups(files: list[ParsedFile]) -> list[Backup]:
    """A timer whose service runs ``etcdctl``/``etcdutl snapshot save``."""
    services: dict[str, UnitFile] = {}
    timers: list[tuple[str, ParsedFile, UnitFile]] = []
    for f in files:
        if f.kind is not Kind.SYSTEMD_UNIT or not isinstance(f.content, UnitFile):
            continue
        name = PurePosixPath(f.path).name
        if "[Timer]" in f.source.text or name.endswith(".timer"):
            timers.append((name, f, f.content))
        if any(e.section == "Service" for e in f.content.entries):
            services[name.removesuffix(".service")] = f.content
    out: list[Backup] = []
    for name, f, unit in timers:
        target = [e.value for e in unit.get("Timer", "Unit")]
        service_name = (target[0] if target else name.removesuffix(".timer")).removesuffix(".service")
        service = services.get(service_name)
        if service is None:
            continue
        commands = " ".join(e.value for e in service.entries if e.key.startswith("ExecStart"))
        if not runs_etcd_snapshot(commands):
            continue
        schedule = None
        for key in TIMER_KEYS:
            entries = unit.get("Timer", key)
            if entries:
                schedule = Sourced(f"{key}={entries[0].value}", entries[0].value_span)
                break
        out.append(Backup("systemd-timer", schedule, f.source.start_span(), f"systemd timer {name}"))
    return out
