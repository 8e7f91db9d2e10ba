"""Text for people: findings grouped by file, related locations under each, a summary line. Uses rich."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from kublint.engine import Report
from kublint.findings import Severity
from kublint.text import visible as printable

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(
    report: Report,
    out: TextIO,
    *,
    color: bool | None = None,
    verbose: bool = False,
    quiet: bool = False,
    explain_skips: bool = False,
    **_: object,
) -> None:
    from rich.console import Console
    from rich.markup import escape as markup

    def escape(text: str) -> str:  # rich markup, and no control character reaches the terminal
        return markup(printable(text))

    isatty = out.isatty() if hasattr(out, "isatty") else False
    console = Console(
        file=out,
        no_color=not (isatty if color is None else color),
        soft_wrap=True,
        highlight=False,
        force_terminal=bool(color) if color else None,
        width=200 if not isatty else None,
    )
    visible = [f for f in report.findings if not f.suppressed_by]
    if not quiet:
        for path, group in groupby(visible, key=lambda f: f.span.path):
            console.print(f"[bold underline]{escape(path)}[/]")
            for f in group:
                sev = f.severity
                loc = f"{f.span.line}:{f.span.col}"
                console.print(
                    f"  {loc:<8} [{_STYLE[sev]}]{sev.label:<7}[/] [bold]{f.rule_id}[/] {escape(f.message)}"
                    f"  [dim]{escape(f.rule_name)}[/]"
                )
                for r in f.related:
                    console.print(
                        f"           [dim]-> {escape(r.span.path)}:{r.span.line}:{r.span.col}  "
                        f"{escape(r.message)}[/]"
                    )
                if verbose:
                    _frame(console, f.span.path, f.span.line, f.span.col)
            console.print()
    if explain_skips and report.skips:
        console.print("[bold]Rules skipped for lack of input:[/]")
        for s in report.skips:
            console.print(f"  {s.rule_id}  {escape(s.cluster)}: {escape(s.reason)}")
        console.print()
    if verbose and report.read_files:
        console.print("[bold]Files read:[/]")
        for path, kind in report.read_files:
            console.print(f"  {escape(path)}: {escape(kind)}")
        console.print()
    if verbose and report.skipped_files:
        console.print("[bold]Files not linted:[/]")
        for path, why in report.skipped_files:
            console.print(f"  {escape(path)}: {escape(why)}")
        console.print()
    c = report.counts()
    total = sum(c.values())
    parts = ", ".join(f"{c[k]} {k}{'s' if c[k] != 1 else ''}" for k in ("error", "warning", "info") if c[k])
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    clusters = f"{report.clusters} cluster{'s' if report.clusters != 1 else ''}"
    if report.files and not report.configured:
        # "No problems found" would read as a clean cluster: say that there was nothing to check
        found = f"Found {total} problem{'s' if total != 1 else ''} ({parts}), and nothing"
        head = found if total else "Nothing"
        console.print(
            f"{head} checked in {files} of {clusters}: none holds control-plane configuration kublint reads "
            "(kubeadm, etcd, an inventory, an installer's cluster definition, HAProxy or Keepalived); -v "
            "lists each file and what it was read as."
        )
        return
    head = f"Found {total} problem{'s' if total != 1 else ''} ({parts})" if total else "No problems found"
    console.print(f"{head} in {files} of {clusters}.")


def _frame(console: object, path: str, line: int, col: int) -> None:
    from pathlib import Path

    from rich.console import Console
    from rich.markup import escape

    assert isinstance(console, Console)
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    for n in range(max(1, line - 1), min(len(lines), line + 1) + 1):
        marker = ">" if n == line else " "
        console.print(f"         [dim]{marker} {n:>4} |[/] {escape(lines[n - 1])}")
        if n == line:
            console.print(f"         [dim]       |[/] {' ' * (col - 1)}[bold red]^[/]")
