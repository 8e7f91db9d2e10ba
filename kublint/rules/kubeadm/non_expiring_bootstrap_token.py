"""KA111: see rules/KA111.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.values import parse_duration
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import docs_of_kind


@rule("KA111")
def non_expiring_bootstrap_token(cluster: Cluster) -> Iterator[Problem]:
    for doc in docs_of_kind(cluster, "InitConfiguration"):
        tokens = doc.get("bootstrapTokens")
        for i, token in enumerate(tokens if isinstance(tokens, list) else []):
            if not isinstance(token, dict):
                continue
            ttl = token.get("ttl")
            if not isinstance(ttl, str) or parse_duration(ttl) != 0:
                continue  # a number is a type error (KA001); kubeadm's default is 24h
            yield Problem(
                f"bootstrapTokens[{i}].ttl is {ttl!r}: the token never expires, so whoever gets hold of it "
                "can join nodes to the cluster for ever; keep the default 24h (or a short ttl) and create "
                "new tokens with `kubeadm token create` when nodes join later",
                doc.loc("bootstrapTokens", i, "ttl"), anchor=f"{doc.anchor}/bootstrapTokens/{i}/ttl",
            )
