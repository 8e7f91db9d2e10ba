"""ET004: see rules/ET004.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model import supported
from kublint.model.cluster import Cluster
from kublint.model.etcd import ENV, FILE, EtcdConfig, blank
from kublint.rules.api import RunContext, rule
from kublint.rules.etcd import _keys as keys
from kublint.rules.etcd._common import (
    VersionOptions,
    anchor,
    flag_name,
    key_span,
    replacement_text,
    spelled,
)
from kublint.rules.etcd._version import target_version


def removed_in(key: str) -> str:
    return "3.6" if key in {"enable-v2", "experimental-enable-v2v3"} | keys.V2_PROXY else "3.7"


def effect(cfg: EtcdConfig, key: str, etcd: str) -> str:
    """What the removed setting does to ``etcd`` ("etcd 3.6", "etcd from 3.6 on")."""
    if cfg.origin == FILE:
        return "etcd ignores it in the config file, so the setting silently has no effect"
    if cfg.origin == ENV:
        return "etcd ignores the variable (it only logs \"unrecognized environment variable\")"
    return f"{etcd} refuses to start (flag provided but not defined: -{flag_name(key)})"


def maintained_table() -> tuple[int, int] | None:
    """The key table of the oldest maintained etcd minor (the packaged, dated table): a key it removed is gone
    from every maintained etcd, whatever version the members run. None while 3.5 is still maintained."""
    oldest = supported.etcd().oldest_maintained
    if oldest <= keys.V35:
        return None
    return keys.V37 if oldest >= keys.V37 else keys.V36


def advice(cfg: EtcdConfig, key: str) -> str:
    new = replacement_text(cfg, key)
    if new is not None:
        return f"use {new} instead"
    if key in {"enable-v2", "experimental-enable-v2v3"}:
        return "move the remaining v2 clients to the v3 API and remove it"
    if key in keys.V2_PROXY:
        return "the v2 proxy is gone (etcd grpc-proxy replaces it); remove it"
    if key in keys.UNTIL_36:
        return ("v2 discovery is gone; bootstrap with initial-cluster or v3 discovery "
                "(discovery-endpoints), and remove it")
    return "remove it"


@rule("ET004", options=VersionOptions, context=True)
def removed_key(cluster: Cluster, opts: VersionOptions, ctx: RunContext) -> Iterator[Problem]:
    target = target_version(cluster, opts, ctx)
    table = target.table if target is not None else maintained_table()
    if table is None:
        return
    maintained = supported.etcd()
    for cfg in cluster.active_etcd_configs:
        for s in cfg.explicit():
            if blank(s) or not keys.removed(s.key, table):
                continue
            gone = removed_in(s.key)
            if target is not None:
                runs = target.text
                yield Problem(
                    f"{spelled(cfg, s.key)} was removed in etcd {gone} and the members run etcd {runs}: "
                    f"{effect(cfg, s.key, f'etcd {runs}')}; {advice(cfg, s.key)}",
                    key_span(cfg, s), (target.evidence,), anchor=anchor(cfg, f"removed/{s.key}"),
                )
                continue
            yield Problem(
                f"{spelled(cfg, s.key)} was removed in etcd {gone}, and no maintained etcd has it "
                f"({maintained.maintained_text()}, as of {maintained.as_of}; the members' version is not "
                f"known): {effect(cfg, s.key, f'etcd from {gone} on')}; {advice(cfg, s.key)}",
                key_span(cfg, s), anchor=anchor(cfg, f"removed/{s.key}"),
            )
