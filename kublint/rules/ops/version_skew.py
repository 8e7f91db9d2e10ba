"""OP303: see rules/OP303.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.versions import Version, kubernetes_target
from kublint.rules.api import rule
from kublint.rules.ops._common import VersionFact, minor_text, minors_apart, version_facts


def _allowed_lag(v: Version) -> int:
    """kubelet and kube-proxy may be three minors older than the API server (two before 1.25)."""
    return 3 if (v.major, v.minor) >= (1, 25) else 2


def _apiservers(cluster: Cluster, facts: list[VersionFact]) -> list[VersionFact]:
    found = [f for f in facts if f.key == "apiserver"]
    if found:
        return found
    target = kubernetes_target(cluster)  # no running API server version given: the one kubeadm deploys
    if target is None:
        return []
    return [VersionFact("apiserver", target.value, str(target.value), target.span, "the control plane "
                        "(kubernetesVersion)")]


@rule("OP303")
def version_skew(cluster: Cluster) -> Iterator[Problem]:
    facts = version_facts(cluster)
    apis = _apiservers(cluster, facts)
    if not apis:
        return
    oldest = min(apis, key=lambda f: f.version)
    newest = max(apis, key=lambda f: f.version)
    for api in apis:
        if minors_apart(newest.version, api.version) > 1:
            yield Problem(
                f"{api.label} is {minors_apart(newest.version, api.version)} minor versions behind "
                f"{newest.label}: API servers may be at most one minor apart; finish the upgrade of this one",
                api.span, (Related(newest.span, newest.label),), anchor=f"skew:{api.where}/apiserver",
            )
    for f in facts:
        if f.key in ("kubelet", "kubeProxy"):
            yield from _node_component(f, oldest, newest, _allowed_lag(f.version))
        elif f.key in ("controllerManager", "scheduler"):
            yield from _node_component(f, oldest, newest, 1)


def _node_component(f: VersionFact, oldest: VersionFact, newest: VersionFact, lag: int) -> Iterator[Problem]:
    anchor = f"skew:{f.where}/{f.key}"
    if minors_apart(f.version, oldest.version) > 0:
        yield Problem(
            f"{f.label} is newer than {oldest.label}: the version skew policy never lets it be newer than "
            "an API server it talks to; upgrade the API servers first (or keep it at "
            f"{minor_text(oldest.version)})",
            f.span, (Related(oldest.span, oldest.label),), anchor=anchor,
        )
    elif minors_apart(newest.version, f.version) > lag:
        behind = minors_apart(newest.version, f.version)
        yield Problem(
            f"{f.label} is {behind} minor versions behind {newest.label}; the version skew policy allows "
            f"{lag}: upgrade it (one minor at a time) to at least "
            f"{minor_text(newest.version._replace(minor=newest.version.minor - lag))}",
            f.span, (Related(newest.span, newest.label),), anchor=anchor,
        )
