"""ET104: see rules/ET104.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule


@rule("ET104")
def single_member_in_production(cluster: Cluster) -> Iterator[Problem]:
    env = cluster.environment
    m = cluster.voting_members
    if env is None or m is None or len(m.names) != 1 or env.value.strip().lower() != "production":
        return
    yield Problem(
        f"etcd has a single voting member ({m.names[0]}) while the environment is production: losing that "
        "one machine or its disk stops the control plane until etcd is restored from a backup, and "
        "Kubernetes' etcd guide says to use a single-node etcd only for testing; run 3 members (5 are "
        "recommended in production)",
        m.where, (*m.related, Related(env.span, f"environment: {env.value}")), anchor="etcd-members",
    )
