"""The command line: options -> Config -> engine -> reporters -> exit code. Heavy imports happen "
    "inside commands."""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

import click

from kublint.version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
FORMATS = ("text", "concise", "json", "sarif", "github")


def _split_refs(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(r.strip() for v in values for r in v.split(",") if r.strip())


def _usage(message: str) -> None:
    click.echo(f"kublint: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kublint", message="%(prog)s %(version)s")
def main() -> None:
    """kublint: lint the configuration of a Kubernetes control plane (kubeadm, etcd, load balancer, "
        "inventory)."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FMT[:FILE]",
    help="text (default), concise, json, sarif or github; repeatable; FILE writes that format to a file.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default=None,
    help="Exit 1 when a finding reaches this severity [default: error, or the config's fail-on].",
)
@click.option("--select", multiple=True, metavar="REF,...", help="Rules to run: code, prefix, name or tag.")
@click.option("--ignore", multiple=True, metavar="REF,...", help="Rules not to run.")
@click.option("--severity", "severities", multiple=True, metavar="REF=LEVEL", help="Override a severity.")
@click.option(
    "--explain-skips", is_flag=True, help="List rules that could not run for lack of input, and why."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line (text format).")
@click.option("-v", "--verbose", is_flag=True, help="Show code frames and the files that were not linted.")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Parallel parsing processes [default: CPUs]."
)
@click.option(
    "--sarif-include-suppressed", is_flag=True, help="Keep suppressed findings in SARIF, marked as such."
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file [default: .kublint.yaml in the path or above, or [tool.kublint]].",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Hide findings whose fingerprint is in this baseline (kublint baseline -o FILE).",
)
@click.option("--no-inline-suppressions", is_flag=True, help="Ignore every kublint: directive in the files.")
def check(
    paths: tuple[str, ...],
    formats: tuple[str, ...],
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    severities: tuple[str, ...],
    explain_skips: bool,
    quiet: bool,
    verbose: bool,
    no_color: bool,
    jobs: int | None,
    sarif_include_suppressed: bool,
    config_file: str | None,
    baseline_file: str | None,
    no_inline_suppressions: bool,
) -> None:
    """Lint the clusters under PATHS (default: the current directory)."""
    from kublint.config import ConfigError, fail_threshold
    from kublint.discovery import PathNotFoundError
    from kublint.engine import lint
    from kublint.selection import UnknownReferenceError

    outputs = _parse_formats(formats)
    try:
        config = _resolve_config(paths, config_file, select, ignore, severities, fail_on, jobs).config
        if baseline_file:
            config = config._replace(baseline=baseline_file)
        if no_inline_suppressions:
            config = config._replace(inline_suppressions=False)
        report = lint(list(paths) or ["."], config)
    except PathNotFoundError as exc:
        _usage(f"path not found: {exc.args[0]}")
    except UnknownReferenceError as exc:
        _usage(str(exc))
    except ConfigError as exc:
        _usage(str(exc))
    except OSError as exc:
        _usage(str(exc))
    except Exception:  # kublint's own fault: say so, with the traceback for the bug report
        import traceback

        click.echo("kublint: internal error (please report it):\n" + traceback.format_exc(), err=True)
        sys.exit(EXIT_INTERNAL)
    for fmt, target in outputs:
        _write(
            fmt,
            target,
            report,
            color=False if no_color else None,
            verbose=verbose,
            quiet=quiet,
            explain_skips=explain_skips,
            include_suppressed=sarif_include_suppressed,
        )
    if report.stale_baseline and not quiet:
        click.echo(
            f"kublint: {len(report.stale_baseline)} baseline entr"
            f"{'y matches' if len(report.stale_baseline) == 1 else 'ies match'} no finding any more "
            "(fixed, or the code changed); refresh it with kublint baseline",
            err=True,
        )
    threshold = fail_threshold(config.fail_on)
    failing = threshold is not None and any(
        f.severity >= threshold and f.suppressed_by is None for f in report.findings
    )
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


def run() -> None:
    """The ``kublint`` command: ``main`` run as a process that leaves without tearing down its objects one
    by one (for a big inventory the interpreter's clean-up takes longer than the report). Output is flushed
    first; nothing else is pending. Tests and embedders call ``main`` itself."""
    import gc

    gc.disable()  # a short-lived process: the collector would only run during imports (lint() stops it too)
    try:
        main.main(prog_name="kublint")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # kublint check | head
        code = code or 0
    os._exit(code)


def _resolve_config(
    paths: tuple[str, ...],
    config_file: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    severities: tuple[str, ...],
    fail_on: str | None,
    jobs: int | None,
) -> Any:
    """The config file's settings, with the command line's on top. Raises ConfigError."""
    from pathlib import Path

    from kublint.config import Config, ConfigError
    from kublint.configfile import Loaded, find_config, load_config

    if config_file:
        path: Path | None = Path(config_file)
        assert path is not None
        if not path.is_file():
            raise ConfigError(f"config file not found: {config_file}")
    else:
        start = Path(paths[0]) if paths else Path(".")
        path = find_config(start.resolve()) if start.exists() else None
    loaded = load_config(path) if path else Loaded(Config(), None)
    cfg = loaded.config
    sev = dict(cfg.severity)
    for item in severities:
        ref, sep, level = item.partition("=")
        if not sep or level.strip().lower() not in ("error", "warning", "info"):
            raise ConfigError(f'--severity takes REF=LEVEL with LEVEL error, warning or info, not "{item}"')
        sev[ref.strip()] = level.strip().lower()
        loaded.origins[f"severity.{ref.strip()}"] = "command line"
    updates: dict[str, Any] = {"severity": sev, "jobs": jobs}
    if select:
        updates["select"] = _split_refs(select)
        loaded.origins["select"] = "command line"
    if ignore:
        updates["ignore"] = _split_refs(ignore)
        loaded.origins["ignore"] = "command line"
    if fail_on:
        updates["fail_on"] = fail_on
        loaded.origins["fail-on"] = "command line"
    loaded.config = cfg._replace(**updates)
    return loaded


def _parse_formats(formats: tuple[str, ...]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for item in formats or ("text",):
        fmt, sep, target = item.partition(":")
        if fmt not in FORMATS:
            from kublint.suggest import did_you_mean

            _usage(f'unknown format "{fmt}"{did_you_mean(fmt, FORMATS)} (one of {", ".join(FORMATS)})')
        out.append((fmt, target if sep and target else None))
    if sum(1 for _, t in out if t is None) > 1:
        _usage("only one format can go to standard output; give the others a file (-f json:report.json)")
    return out


def _write(fmt: str, target: str | None, report: Any, **kw: Any) -> None:
    import importlib

    module = importlib.import_module(f"kublint.report.{fmt}")
    if target is None:
        module.render(report, sys.stdout, **kw)
        sys.stdout.flush()
        return
    with open(target, "w", encoding="utf-8", newline="\n") as fh:
        module.render(report, fh, **{**kw, "color": False})


@main.command("rules")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True
)
def rules_cmd(fmt: str) -> None:
    """List the rules in the catalogue."""
    from kublint.catalogue import catalogue

    cards = catalogue()
    if fmt == "json":
        import json

        rows = [
            {
                "id": c.id,
                "name": c.name,
                "summary": c.summary,
                "severity": c.severity.label,
                "tags": list(c.tags),
                "status": c.status,
            }
            for c in cards.values()
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    if fmt == "markdown":
        from kublint.docs import rules_markdown

        click.echo(rules_markdown(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for col in ("id", "name", "severity", "tags", "summary"):
        table.add_column(col, overflow="fold")
    for c in cards.values():
        table.add_row(c.id, c.name, c.severity.label, ",".join(c.tags), c.summary)
    Console(soft_wrap=False).print(table)


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show a rule's card, its options and their defaults."""
    from kublint.catalogue import catalogue
    from kublint.config import describe_options
    from kublint.rules.api import load
    from kublint.selection import suggest

    cards = catalogue()
    card = cards.get(rule.upper()) or next((c for c in cards.values() if c.name == rule), None)
    if card is None:
        hint = suggest(rule, cards)
        _usage(f'unknown rule "{rule}"' + (f'; did you mean "{hint}"?' if hint else ""))
        return
    out: TextIO = sys.stdout
    out.write(f"{card.id} {card.name}  [{card.severity.label}]  tags: {', '.join(card.tags)}\n")
    out.write(f"{card.summary}\n\n{card.body}")
    opts = describe_options(load(card.id, card.name).options)
    if opts:
        out.write("\nOptions (set them under rules: in .kublint.yaml):\n")
        for name, typ, default, help_text in opts:
            out.write(f"  {name} ({typ}, default {default}): {help_text}\n")


@main.command("baseline")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The baseline file to write."
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None)
def baseline_cmd(paths: tuple[str, ...], output: str, config_file: str | None) -> None:
    """Write the fingerprints of today's findings, so that check --baseline FILE reports only new ones."""
    from pathlib import Path

    import kublint.baseline as baseline
    from kublint.config import ConfigError
    from kublint.discovery import PathNotFoundError
    from kublint.engine import lint
    from kublint.selection import UnknownReferenceError

    try:
        config = _resolve_config(paths, config_file, (), (), (), None, None).config
        report = lint(list(paths) or ["."], config)
    except PathNotFoundError as exc:
        _usage(f"path not found: {exc.args[0]}")
        return
    except (ConfigError, UnknownReferenceError) as exc:
        _usage(str(exc))
        return
    n = baseline.write(report.findings, __version__, Path(output))
    click.echo(f"kublint: wrote {n} finding{'s' if n != 1 else ''} to {output}")


@main.command("config")
@click.argument("path", required=False, type=click.Path())
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None)
def config_cmd(path: str | None, config_file: str | None) -> None:
    """Print the resolved configuration and where each value came from."""
    from kublint.config import ConfigError

    try:
        loaded = _resolve_config((path,) if path else (), config_file, (), (), (), None, None)
    except ConfigError as exc:
        _usage(str(exc))
        return
    click.echo(f"# configuration file: {loaded.path if loaded.path else '(none found; defaults)'}")
    names = {
        "fail_on": "fail-on",
        "per_file_ignores": "per-file-ignores",
        "inventory_groups": "inventory",
        "max_file_bytes": "max-file-size",
        "etcd_version": "etcd-version",
    }
    for name in loaded.config._fields:
        if name in ("jobs", "baseline", "inline_suppressions"):
            continue
        key = names.get(name, name)
        value = getattr(loaded.config, name)
        if isinstance(value, tuple):
            value = list(value)
        elif hasattr(value, "items"):
            value = dict(value)
        origin = (
            loaded.origins.get(key)
            or ("rules" in loaded.origins and name in ("severity", "options") and loaded.origins["rules"])
            or "default"
        )
        click.echo(f"{key}: {value!r}    # {origin}")


@main.command("topology")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json for tools (schemaVersion 1, see docs/topology.md).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file (the decision matrix's thresholds are the CL rules' options).",
)
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def topology_cmd(paths: tuple[str, ...], fmt: str, config_file: str | None, no_color: bool) -> None:
    """Show the cluster as kublint understands it: load balancers, control plane, etcd (quorum and fault
    tolerance), workers, zones, and the architecture the decision matrix recommends."""
    import kublint.topology as topology
    from kublint.config import ConfigError
    from kublint.discovery import PathNotFoundError

    try:
        config = _resolve_config(paths, config_file, (), (), (), None, None).config
        found = topology.load(list(paths) or ["."], config)
    except PathNotFoundError as exc:
        _usage(f"path not found: {exc.args[0]}")
        return
    except (ConfigError, OSError) as exc:
        _usage(str(exc))
        return
    except topology.ModelError as exc:
        click.echo(f"kublint: internal error: {exc}", err=True)
        sys.exit(EXIT_INTERNAL)
    if fmt == "json":
        import json

        click.echo(json.dumps(topology.document(found), indent=2))
        return
    from kublint.report.topology import render

    render(found, sys.stdout, color=False if no_color else None)
