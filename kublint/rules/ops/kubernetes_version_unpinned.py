"""OP302: see rules/OP302.md."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import kubeadm_targets
from kublint.rules.api import rule

# kubeadm takes a full semantic version as is; anything else is a label it resolves over the Internet
FULL_VERSION = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$")
DEFAULT_LABEL = "stable-1"


@rule("OP302")
def kubernetes_version_unpinned(cluster: Cluster) -> Iterator[Problem]:
    for doc in kubeadm_targets(cluster):
        raw = doc.get("kubernetesVersion")
        text = str(raw).strip() if raw is not None else ""
        if text and FULL_VERSION.match(text):
            continue
        if raw is None or not text:
            where = doc.loc("kubernetesVersion") if doc.has("kubernetesVersion") else doc.kind_span()
            if doc.kind == "ClusterConfiguration":
                what = f"{doc.kind} sets no kubernetesVersion, so kubeadm uses its default {DEFAULT_LABEL!r}"
            else:
                what = (f"there is no ClusterConfiguration beside this {doc.kind}, so kubeadm uses its "
                        f"default kubernetesVersion {DEFAULT_LABEL!r}")
        else:
            where = doc.loc("kubernetesVersion")
            what = f"kubernetesVersion {text!r} is a label or a partial version, not vX.Y.Z"
        yield Problem(
            f"{what}: kubeadm resolves it over the Internet when it runs, so two runs may deploy different "
            "versions and an offline run fails; pin a full version such as v1.36.2",
            where, anchor=f"{doc.anchor}/kubernetesVersion",
        )
