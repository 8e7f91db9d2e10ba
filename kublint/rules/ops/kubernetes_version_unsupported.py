"""OP301: see rules/OP301.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model import supported
from kublint.model.cluster import Cluster
from kublint.model.versions import Version, kubernetes_settings
from kublint.rules.api import rule
from kublint.rules.ops._common import minor_text


@rule("OP301")
def kubernetes_version_unsupported(cluster: Cluster) -> Iterator[Problem]:
    table = supported.kubernetes()
    reported: set[tuple[str, Version]] = set()
    lines: set[tuple[str, int]] = set()
    for setting in kubernetes_settings(cluster):
        v, span = setting.value, setting.span
        if table.supported(v.minor_key):
            continue
        key, line = (span.path, v), (span.path, span.start.line)
        if key in reported or line in lines:
            continue  # once per distinct version in each file, never twice on one line
        reported.add(key)
        lines.add(line)
        yield Problem(
            f"Kubernetes {v} is older than the three maintained minor releases "
            f"({table.maintained_text()}, as of {table.as_of}): {minor_text(v)} gets no more "
            "security or bug fixes; upgrade one minor at a time to a maintained release",
            span, anchor="kubernetesVersion/unsupported",
        )
