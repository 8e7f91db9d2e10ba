"""OP301: see rules/OP301.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model import supported
from kublint.model.cluster import Cluster
from kublint.model.versions import kubernetes_target
from kublint.rules.api import rule
from kublint.rules.ops._common import minor_text


@rule("OP301")
def kubernetes_version_unsupported(cluster: Cluster) -> Iterator[Problem]:
    target = kubernetes_target(cluster)
    if target is None:
        return
    table = supported.kubernetes()
    if table.supported(target.value.minor_key):
        return
    yield Problem(
        f"Kubernetes {target.value} is older than the three maintained minor releases "
        f"({table.maintained_text()}, as of {table.as_of}): {minor_text(target.value)} gets no more "
        "security or bug fixes; upgrade one minor at a time to a maintained release",
        target.span, anchor="kubernetesVersion/unsupported",
    )
