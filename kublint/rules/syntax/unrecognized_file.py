"""SY003: see rules/SY003.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.files import ParsedFile
from kublint.rules.api import rule


@rule("SY003", on="file")
def unrecognized_file(f: ParsedFile) -> Iterator[Problem]:
    if f.explicit and f.kind is None and not f.problems:
        yield Problem(
            "kublint does not recognise this file's content (no kubeadm, etcd, inventory or backup-job "
            "content found); it was not checked",
            f.source.start_span(),
            anchor="file",
        )
