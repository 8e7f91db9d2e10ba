"""ET304: see rules/ET304.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import CLIENT, PEER, truthy
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, spelled

SIDES = ((CLIENT + "auto-tls", "clients", "CIS 2.3"), (PEER + "auto-tls", "peers", "CIS 2.6"))


@rule("ET304")
def auto_tls(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        for key, who, cis in SIDES:
            s = cfg.get(key)
            if s is None or s.implicit or truthy(s.value) is not True:
                continue
            yield Problem(
                f"{spelled(cfg, key)} is true: etcd generates a self-signed certificate for its {who}, "
                "which encrypts but authenticates nothing (etcd's security guide) and expires after "
                f"self-signed-cert-validity (1 year by default); use certificates from a CA ({cis}) and "
                "remove it",
                s.span, anchor=anchor(cfg, key),
            )
