"""ET005: see rules/ET005.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import blank
from kublint.rules.api import RunContext, rule
from kublint.rules.etcd import _keys as keys
from kublint.rules.etcd._common import (
    VersionOptions,
    anchor,
    key_span,
    replacement_text,
    spelled,
)
from kublint.rules.etcd._version import target_version


@rule("ET005", options=VersionOptions, context=True)
def deprecated_key(cluster: Cluster, opts: VersionOptions, ctx: RunContext) -> Iterator[Problem]:
    target = target_version(cluster, opts, ctx)
    if target is None:
        return
    for cfg in cluster.active_etcd_configs:
        for s in cfg.explicit():
            if blank(s) or not keys.deprecated(s.key, target.table):
                continue
            name = spelled(cfg, s.key)
            if s.key == "max-snapshots":
                message = (f"{name} is deprecated since etcd 3.6 (the members run {target.text}) and due "
                           "to be removed, after which etcd ignores it; remove it")
            else:
                new = replacement_text(cfg, s.key)
                fix = f"use {new} instead" if new else "remove it"
                message = (f"{name} is deprecated in etcd 3.6, which the members run, and removed in 3.7 "
                           "like every experimental- setting (3.7 ignores it in a config file and refuses it "
                           f"as a flag); {fix}")
            yield Problem(
                message,
                key_span(cfg, s), (target.evidence,), anchor=anchor(cfg, f"deprecated/{s.key}"),
            )
