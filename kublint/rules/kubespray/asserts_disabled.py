"""KS001: see rules/KS001.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.kubespray import KUBESPRAY, truthy
from kublint.rules.api import rule


@rule("KS001")
def asserts_disabled(cluster: Cluster) -> Iterator[Problem]:
    members = cluster.voting_count
    why = ""
    if members is not None and members % 2 == 0:
        why = f" (this inventory gives etcd {members} members, which that assert refuses)"
    for s in cluster.settings:
        if s.installer != KUBESPRAY or s.name != "ignore_assert_errors" or not truthy(s.value):
            continue
        yield Problem(
            "ignore_assert_errors is true in a committed variable file, so every run of kubespray skips its "
            "own pre-flight asserts: an odd number of etcd members" + why + ", at least 1500 MB of memory "
            "on control-plane nodes and 1024 MB on workers, and its other settings checks; pass "
            "-e ignore_assert_errors=yes on the "
            "command line for the one run that needs it (kubespray's docs do so to add nodes) and remove it "
            "here",
            s.span,
            anchor="kubespray/ignore_assert_errors",
        )
