"""The etcd version ET001, ET004 and ET005 check against: the rule's own ``etcd_version`` option, else the
run's (``etcd-version`` in .kublint.yaml, passed in the RunContext), else what the inputs say."""

from __future__ import annotations

from kublint.model.cluster import Cluster
from kublint.rules.api import RunContext
from kublint.rules.etcd._common import Target, VersionOptions, etcd_version


def target_version(cluster: Cluster, opts: VersionOptions, ctx: RunContext) -> Target | None:
    if not opts.etcd_version.strip() and ctx.etcd_version:
        opts = opts._replace(etcd_version=ctx.etcd_version)
    return etcd_version(cluster, opts)
