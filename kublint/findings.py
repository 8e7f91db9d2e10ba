"""What rules yield (Problem) and what reporters get (Finding)."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

from kublint.source import Span


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


class Related(NamedTuple):
    span: Span
    message: str


class Problem(NamedTuple):
    """A rule's report: it knows nothing of its rule id or severity (the engine stamps those)."""

    message: str
    span: Span
    related: tuple[Related, ...] = ()
    anchor: str | None = (
        None  # logical place for the fingerprint, e.g. "ClusterConfiguration/apiServer/certSANs"
    )


class Finding(NamedTuple):
    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    span: Span
    related: tuple[Related, ...]
    fingerprint: str
    suppressed_by: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.start.line, self.span.start.col, self.rule_id, self.message)

    @property
    def identity(self) -> tuple[str, str, int, int]:
        """How findings compare in tests: by rule, file, line and column, never by message text."""
        return (self.rule_id, self.span.path, self.span.start.line, self.span.start.col)


def fingerprint(rule_id: str, path: str, anchor: str, occurrence: int) -> str:
    """A stable id with no line number in it, so that it survives edits elsewhere in the file."""
    raw = f"{rule_id}\x1f{path}\x1f{anchor}\x1f{occurrence}"
    return _sha256_hex(raw.encode("utf-8"))[:32]


def _sha256_hex(data: bytes) -> str:
    # CPython's own _sha256 module loads in ~0.2 ms; hashlib first loads OpenSSL (~2.5 ms of start-up).
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]
    except ImportError:  # another interpreter
        from hashlib import sha256
    digest: str = sha256(data).hexdigest()
    return digest
