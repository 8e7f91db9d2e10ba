"""Baselines: the fingerprints of accepted findings, so that only new ones fail a run.

Fingerprints hold no line numbers, so a baseline keeps matching after lines are added above a finding.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from kublint.config import ConfigError
from kublint.findings import Finding


class Entry(NamedTuple):
    fingerprint: str
    rule: str
    path: str
    message: str


def write(findings: list[Finding], version: str, target: Path) -> int:
    entries = sorted(
        (
            {"fingerprint": f.fingerprint, "rule": f.rule_id, "path": f.span.path, "message": f.message}
            for f in findings
            if f.suppressed_by is None
        ),
        key=lambda e: (e["path"], e["rule"], e["fingerprint"]),
    )
    doc: dict[str, Any] = {"version": 1, "kublint": version, "findings": entries}
    target.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def load(path: Path) -> list[Entry]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the baseline: {exc}") from None
    if not isinstance(doc, dict) or doc.get("version") != 1 or not isinstance(doc.get("findings"), list):
        raise ConfigError(f'{path}: not a kublint baseline (expected {{"version": 1, "findings": [...]}})')
    out = []
    for e in doc["findings"]:
        if isinstance(e, dict) and isinstance(e.get("fingerprint"), str):
            out.append(
                Entry(
                    e["fingerprint"],
                    str(e.get("rule", "")),
                    str(e.get("path", "")),
                    str(e.get("message", "")),
                )
            )
    return out


def apply(findings: list[Finding], entries: list[Entry]) -> tuple[list[Finding], list[Entry]]:
    """Mark baselined findings; return them and the stale entries (which match nothing any more)."""
    budget = Counter(e.fingerprint for e in entries)
    out = []
    for f in findings:
        if f.suppressed_by is None and budget[f.fingerprint] > 0 and f.rule_id != "SY900":
            budget[f.fingerprint] -= 1
            out.append(f._replace(suppressed_by="baseline"))
        else:
            out.append(f)
    stale = []
    for e in entries:
        if budget[e.fingerprint] > 0:
            budget[e.fingerprint] -= 1
            stale.append(e)
    return out, stale
