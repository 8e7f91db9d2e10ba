"""KA201: see rules/KA201.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import GO_FALSE

COMPONENTS = ("kube-controller-manager", "kube-scheduler")


@rule("KA201")
def leader_election_disabled(cluster: Cluster) -> Iterator[Problem]:
    if cluster.control_plane_count < 2:
        return  # one instance needs no election
    nodes = tuple(Related(n.span, f"control-plane node {n.name}") for n in cluster.control_plane)
    for flag in cluster.flags:
        if flag.component in COMPONENTS and flag.name == "leader-elect" and flag.value.strip() in GO_FALSE:
            yield Problem(
                f"{flag.component} runs with leader-elect=false ({flag.origin}) on "
                f"{cluster.control_plane_count} control-plane nodes: every instance acts at once "
                "and they fight "
                "over the same objects; remove the override (kubeadm sets leader-elect=true)",
                flag.span,
                nodes,
                anchor=f"{flag.component}/{flag.origin}/leader-elect",
            )
