"""SY008: see rules/SY008.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.dialects import Dialect
from kublint.findings import Problem
from kublint.model.files import Kind, ParsedFile
from kublint.rules.api import rule


@rule("SY008", on="file")
def unsupported_dialect(f: ParsedFile) -> Iterator[Problem]:
    if f.kind is not Kind.UNSUPPORTED or not isinstance(f.content, Dialect):
        return
    doc = f.documents[0] if f.documents else None
    yield Problem(
        f"this file is a cluster definition of {f.content.tool} ({f.content.what}), which kublint does not "
        "read: nothing in it was checked, so its control plane's mistakes go unreported; lint the "
        f"configuration {f.content.tool} generates (kubeadm, etcd, load balancer files) where it is kept",
        doc.kind_span() if doc is not None and doc.kind else f.source.start_span(),
        anchor=f"dialect/{f.content.tool}",
    )
