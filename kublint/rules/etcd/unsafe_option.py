"""ET307: see rules/ET307.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import blank, text, truthy
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, spelled

TLS_VERSIONS = ("TLS1.2", "TLS1.3")


@rule("ET307")
def unsafe_option(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        s = cfg.get("unsafe-no-fsync")
        if s is not None and not s.implicit and truthy(s.value) is True:
            yield Problem(
                f"{spelled(cfg, 'unsafe-no-fsync')} is true: etcd stops calling fsync (\"unsafe, will "
                "cause data loss\" in etcd's help), so a power cut or crash loses acknowledged writes and "
                "can corrupt the member; remove it",
                s.span, anchor=anchor(cfg, "unsafe-no-fsync"),
            )
        s = cfg.get("force-new-cluster")
        if s is not None and not s.implicit and truthy(s.value) is True:
            yield Problem(
                f"{spelled(cfg, 'force-new-cluster')} is true in a config that persists: at every start "
                "etcd throws away the membership and makes this member a one-member cluster, a recovery "
                "step to use once; remove it as soon as the recovery is done",
                s.span, anchor=anchor(cfg, "force-new-cluster"),
            )
        s = cfg.get("tls-min-version")
        if s is not None and not s.implicit and not blank(s):
            v = (text(s.value) or str(s.value)).strip()
            if v not in TLS_VERSIONS:
                yield Problem(
                    f"{spelled(cfg, 'tls-min-version')} is {v}, which etcd rejects (it accepts only TLS1.2 "
                    "and TLS1.3, written exactly so): etcd refuses to start; use TLS1.2 (the default) or "
                    "TLS1.3",
                    s.span, anchor=anchor(cfg, "tls-min-version"),
                )
