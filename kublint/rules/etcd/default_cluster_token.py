"""ET107: see rules/ET107.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import KUBEADM, blank, text
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, assignment, section_span

DEFAULT_TOKEN = "etcd-cluster"


@rule("ET107")
def default_cluster_token(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        state = cfg.get("initial-cluster-state")
        if state is not None and (text(state.value) or "").strip().lower() == "existing":
            continue  # a member joining a running cluster takes the cluster's ID; the token is not used
        s = cfg.get("initial-cluster-token")
        example = assignment(cfg, "initial-cluster-token", "<cluster-name>-etcd")
        fix = f"set a token unique to this cluster on every member ({example})"
        why = ("etcd's clustering guide asks for a unique token for each cluster, so that members of two "
               "clusters that reach each other cannot mix and corrupt both")
        if s is not None and not blank(s):
            if (text(s.value) or "").strip() != DEFAULT_TOKEN:
                continue
            yield Problem(
                f"initial-cluster-token is {DEFAULT_TOKEN}, etcd's default: {why}; {fix}",
                s.span, anchor=anchor(cfg, "initial-cluster-token"),
            )
            continue
        who = "kubeadm does not set" if cfg.origin == KUBEADM else "the member does not set"
        yield Problem(
            f"{who} initial-cluster-token, so etcd bootstraps with its default {DEFAULT_TOKEN}: {why}; {fix}",
            section_span(cluster, cfg), anchor=anchor(cfg, "initial-cluster-token"),
        )
