"""The pipeline: discover -> classify and parse -> build the cluster -> run the selected rules -> "
"stamp -> sort."""

from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from kublint.catalogue import RuleCard, catalogue
from kublint.config import Config, build_options
from kublint.discovery import Candidate, Root, discover
from kublint.findings import Finding, Problem, Severity, fingerprint
from kublint.inputs import unmet, unread
from kublint.load import read_candidate
from kublint.model.build import build, model_failure
from kublint.model.cluster import Cluster
from kublint.model.files import Kind, ParsedFile, holds_configuration
from kublint.rules.api import RuleSpec, RunContext, load
from kublint.selection import resolve, select
from kublint.version import __version__

PARALLEL_MIN_FILES = 48  # below this a process pool costs more than it saves


class Skip(NamedTuple):
    rule_id: str
    cluster: str
    reason: str


class Report:
    __slots__ = (
        "clusters", "configured", "files", "findings", "read_files", "selected", "skipped_files", "skips",
        "stale_baseline", "version",
    )

    findings: list[Finding]
    files: int
    clusters: int
    skips: list[Skip]
    skipped_files: list[tuple[str, str]]
    read_files: list[tuple[str, str]]  # (display path, what kublint read it as), shown with -v
    selected: list[str]
    stale_baseline: list[Any]  # baseline entries that match nothing any more
    version: str

    def __init__(
        self,
        findings: list[Finding] | None = None,
        files: int = 0,
        clusters: int = 0,
        skips: list[Skip] | None = None,
        skipped_files: list[tuple[str, str]] | None = None,
        selected: list[str] | None = None,
        stale_baseline: list[Any] | None = None,
        version: str = __version__,
    ) -> None:
        self.findings = [] if findings is None else findings
        self.files = files
        self.clusters = clusters
        self.skips = [] if skips is None else skips
        self.skipped_files = [] if skipped_files is None else skipped_files
        self.selected = [] if selected is None else selected
        self.stale_baseline = [] if stale_baseline is None else stale_baseline
        self.version = version
        self.read_files: list[tuple[str, str]] = []
        self.configured = False  # some file read holds control-plane configuration

    def counts(self) -> dict[str, int]:
        c = Counter(f.severity.label for f in self.findings if f.suppressed_by is None)
        return {"error": c["error"], "warning": c["warning"], "info": c["info"]}


class _Active(NamedTuple):
    card: RuleCard
    spec: RuleSpec
    severity: Severity
    options: Any
    context: RunContext


def _severity_overrides(config: Config, cards: dict[str, RuleCard]) -> dict[str, Severity]:
    ranked: dict[str, tuple[int, Severity]] = {}
    for ref, level in config.severity.items():
        ids, spec = resolve(ref, cards)
        for i in ids:
            if i not in ranked or ranked[i][0] <= spec:
                ranked[i] = (spec, Severity.parse(level))
    return {i: s for i, (_, s) in ranked.items()}


def active_rules(
    config: Config, kinds: set[str] | None = None, skipped: list[tuple[str, str]] | None = None
) -> list[_Active]:
    """The selected rules, imported, with their severities and options (raises ConfigError, UnknownReference).

    With ``kinds`` (the file kinds present), a rule whose card names an input that comes only from file
    kinds none of which is present (kublint.inputs) is not imported at all: its id and the reason go to
    ``skipped``. Start-up then pays only for rules that can fire.
    """
    cards = catalogue()
    ids = select(cards, config.select, config.ignore)
    ids.add("SY900")  # a crashed rule is always reported
    overrides = _severity_overrides(config, cards)
    for rule_id in config.options:
        resolve(rule_id, cards)
    context = RunContext(etcd_version=config.etcd_version)
    out = []
    for rule_id in sorted(ids):
        card = cards[rule_id]
        why = unread(card.inputs, kinds) if kinds is not None else None
        if why is not None:
            if skipped is not None:
                skipped.append((rule_id, why))
            continue
        spec = load(rule_id, card.name)
        opts = build_options(rule_id, spec.options, config.options.get(rule_id))
        out.append(_Active(card, spec, overrides.get(rule_id, card.severity), opts, context))
    return out


def _load_one(args: tuple[Candidate, Path, int, tuple[tuple[str, str], ...]]) -> ParsedFile | None:
    return read_candidate(*args)


def load_files(
    root: Root, max_bytes: int, jobs: int | None, kinds: tuple[tuple[str, str], ...] = ()
) -> list[ParsedFile]:
    work = [(c, root.abspath, max_bytes, kinds) for c in root.candidates]
    n = jobs if jobs is not None else (os.cpu_count() or 1)
    if n > 1 and len(work) >= PARALLEL_MIN_FILES:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=n) as pool:
            results = list(pool.map(_load_one, work, chunksize=max(1, len(work) // (n * 4))))
    else:
        results = [_load_one(w) for w in work]
    return [r for r in results if r is not None]


def _crash(card: RuleCard, span_owner: ParsedFile | Cluster, exc: BaseException) -> Problem:
    """SY900's finding for a rule that raised: SY900 is a registered rule like any other (always selected)."""
    import traceback  # only a crashed rule needs it

    sy900 = catalogue()["SY900"]
    return next(iter(load(sy900.id, sy900.name).func(card.id, span_owner, exc, traceback.format_exc())))


def _run(active: _Active, target: Any) -> Iterator[Problem]:
    args: list[Any] = [target]
    if active.spec.options is not None:
        args.append(active.options)
    if active.spec.context:
        args.append(active.context)
    return active.spec.func(*args)


PARALLEL_MIN_ROOTS = 8  # a fleet: one process a cluster pays for itself


class _RootResult:
    __slots__ = (
        "configured", "counted", "files", "findings", "read_files", "selected", "skipped_files", "skips"
    )

    findings: list[Finding]
    files: int
    counted: bool
    skips: list[Skip]
    skipped_files: list[tuple[str, str]]
    selected: list[str]

    def __init__(
        self,
        findings: list[Finding],
        files: int,
        counted: bool,
        skips: list[Skip],
        skipped_files: list[tuple[str, str]],
        selected: list[str],
    ) -> None:
        self.findings = findings
        self.files = files
        self.counted = counted
        self.skips = skips
        self.skipped_files = skipped_files
        self.selected = selected
        self.read_files: list[tuple[str, str]] = []
        self.configured = False


def lint_roots(roots: list[Root], config: Config, report: Report) -> None:
    n = config.jobs if config.jobs is not None else (os.cpu_count() or 1)
    if n > 1 and len(roots) >= PARALLEL_MIN_ROOTS:
        from concurrent.futures import ProcessPoolExecutor

        serial = config._replace(jobs=1)  # inside a worker, no second pool
        with ProcessPoolExecutor(max_workers=n) as pool:
            results = list(
                pool.map(
                    _lint_root_job, [(r, serial) for r in roots], chunksize=max(1, len(roots) // (n * 4))
                )
            )
    else:
        loaded = [
            (root, load_files(root, config.max_file_bytes, config.jobs, config.kinds)) for root in roots
        ]
        present = {str(f.kind) for _, files in loaded for f in files if f.kind is not None}
        unread: list[tuple[str, str]] = []
        rules = active_rules(config, present, unread)
        results = [_lint_root(root, files, config, rules, unread) for root, files in loaded]
    selected: set[str] = set()
    for r in results:
        report.skipped_files.extend(r.skipped_files)
        report.read_files.extend(r.read_files)
        report.configured = report.configured or r.configured
        selected.update(r.selected)
        if not r.counted:
            continue
        report.clusters += 1
        report.files += r.files
        report.skips.extend(r.skips)
        report.findings.extend(r.findings)
    report.selected = sorted(selected)


def _lint_root_job(args: tuple[Root, Config]) -> _RootResult:
    root, config = args
    files = load_files(root, config.max_file_bytes, 1, config.kinds)
    unread: list[tuple[str, str]] = []
    rules = active_rules(config, {str(f.kind) for f in files if f.kind is not None}, unread)
    return _lint_root(root, files, config, rules, unread)


def _lint_root(
    root: Root, files: list[ParsedFile], config: Config, rules: list[_Active], unread: list[tuple[str, str]]
) -> _RootResult:
    by_id = {a.card.id: a for a in rules}
    result = _RootResult([], len(files), bool(files or root.candidates), [], list(root.skipped), list(by_id))
    if not result.counted:
        return result
    crash = by_id["SY900"]
    cards = catalogue()
    for rule_id, reason in unread:
        result.skips.append(Skip(rule_id, root.display, reason))
    problems: list[tuple[_Active, Problem]] = []
    cluster: Cluster | None = None
    try:
        cluster = build(root.display, files, config.inventory_groups, config.environment)
    except Exception as exc:  # the model builder must not take the run down with it
        span = files[0].source.start_span() if files else _root_span(root)
        problems.append((crash, Problem(model_failure(exc), span)))
    result.read_files = read_as(files, cluster)
    result.configured = any(holds_configuration(f.kind) for f in files)
    for active in rules:
        if active.spec.on == "file":
            for f in files:
                problems.extend((active, p) for p in _safe(active, f, crash, problems))
        elif active.spec.on == "cluster" and cluster is not None:
            try:
                why = unmet(cluster, active.card.inputs)
            except Exception as exc:  # an input check reads the model too: its crash is the rule's SY900
                problems.append((crash, _crash(active.card, cluster, exc)))
                continue
            if why:
                result.skips.append(Skip(active.card.id, root.display, why))
                continue
            problems.extend((active, p) for p in _safe(active, cluster, crash, problems))
    findings = _stamp(problems)
    if config.inline_suppressions:
        from kublint.suppression import apply_inline

        outcome = apply_inline(findings, files, set(by_id), _reference_map(), _today())
        findings = outcome.findings
        if outcome.judged is not None:  # SY005, SY006: the directives themselves, once matched
            extra: list[tuple[_Active, Problem]] = []
            owner: ParsedFile | Cluster = cluster if cluster is not None else files[0]
            for active in rules:
                if active.spec.on == "directives":
                    extra.extend((active, p) for p in _safe(active, outcome.judged, crash, extra, owner))
            findings.extend(_stamp(extra))
    if config.per_file_ignores:
        from kublint.suppression import apply_per_file

        pfi_ids = {
            g: {i for r in ids for i in resolve(r, cards)[0]} for g, ids in config.per_file_ignores.items()
        }
        rel = {f.path: _relative(f.source.abspath, root.abspath) for f in files}
        findings = apply_per_file(findings, dict(config.per_file_ignores), rel, pfi_ids)
    result.findings = findings
    return result


def read_as(files: list[ParsedFile], cluster: Cluster | None) -> list[tuple[str, str]]:
    """What each file was read as, for -v: its kind, and the installer dialect the model found in it."""
    dialects = {i.installer for i in cluster.installers} if cluster is not None else set()
    out = []
    for f in files:
        label = str(f.kind) if f.kind is not None else "not recognised"
        if "kubespray" in dialects and f.kind in (Kind.ANSIBLE_INVENTORY, Kind.ANSIBLE_VARS):
            label += " (kubespray)"
        elif f.kind is Kind.K3S and "rke2" in dialects:
            label += " (rke2)"
        out.append((f.path, label))
    return out


def _today() -> date:
    import os as _os

    forced = _os.environ.get("KUBLINT_TODAY")  # tests pin the date that until= expiries compare with
    return date.fromisoformat(forced) if forced else date.today()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _reference_map() -> dict[str, str]:
    cards = catalogue()
    refs = {c.id: c.id for c in cards.values()}
    refs.update({c.name: c.id for c in cards.values()})
    return refs


def _root_span(root: Root) -> Any:
    from kublint.source import whole_file_span

    return whole_file_span(root.display)


def _safe(
    active: _Active,
    target: Any,
    crash: _Active,
    sink: list[tuple[_Active, Problem]],
    owner: ParsedFile | Cluster | None = None,
) -> list[Problem]:
    """The rule's problems; a crash becomes SY900 on ``owner`` (the target itself, by default)."""
    try:
        return list(_run(active, target))
    except Exception as exc:
        sink.append((crash, _crash(active.card, target if owner is None else owner, exc)))
        return []


def _stamp(problems: Iterable[tuple[_Active, Problem]]) -> list[Finding]:
    seen: Counter[tuple[str, str, str]] = Counter()
    out: list[Finding] = []
    dedupe: set[tuple[str, Any, str]] = set()
    for active, p in sorted(problems, key=lambda ap: (ap[1].span.sort_key(), ap[0].card.id, ap[1].message)):
        key = (active.card.id, p.span, p.message)
        if key in dedupe:
            continue
        dedupe.add(key)
        anchor = p.anchor or p.message
        occ_key = (active.card.id, p.span.path, anchor)
        seen[occ_key] += 1
        out.append(
            Finding(
                active.card.id,
                active.card.name,
                active.severity,
                p.message,
                p.span,
                p.related,
                fingerprint(active.card.id, p.span.path, anchor, seen[occ_key]),
            )
        )
    return out


def lint(paths: Any, config: Config | None = None, cwd: Path | None = None) -> Report:
    """Lint files and directories; raises PathNotFoundError, ConfigError or UnknownReferenceError "
    "for usage errors."""
    config = config or Config()
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    cwd = cwd or Path.cwd()
    roots = discover([os.fspath(p) for p in paths] or ["."], cwd, config.exclude)
    report = Report()
    # A run allocates many objects and frees few before it ends: the cyclic collector only costs here
    # (3x on a 5,000-node inventory). Whatever cycles a run leaves are collected when it is switched back on.
    gc_was = gc.isenabled()
    gc.disable()
    try:
        lint_roots(roots, config, report)
    finally:
        if gc_was:
            gc.enable()
    if config.baseline:
        import kublint.baseline as baseline

        entries = baseline.load(Path(config.baseline))
        report.findings, report.stale_baseline = baseline.apply(report.findings, entries)
    report.findings.sort(key=Finding.sort_key)
    return report
