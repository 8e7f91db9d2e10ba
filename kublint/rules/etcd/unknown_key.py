"""ET001: see rules/ET001.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import FILE, blank
from kublint.rules.api import RunContext, rule
from kublint.rules.etcd import _keys as keys
from kublint.rules.etcd._common import VersionOptions, anchor
from kublint.rules.etcd._version import target_version
from kublint.suggest import closest


@rule("ET001", options=VersionOptions, context=True)
def unknown_key(cluster: Cluster, opts: VersionOptions, ctx: RunContext) -> Iterator[Problem]:
    target = target_version(cluster, opts, ctx)
    table = target.table if target else None
    top = keys.top_level_keys(table)
    sec = keys.security_keys(table)
    named = f"etcd {target.text}" if target else "etcd (any of 3.5, 3.6 and 3.7)"
    related = (target.evidence,) if target else ()
    for cfg in cluster.etcd_configs:
        if cfg.origin != FILE:
            continue
        for s in cfg.explicit():
            if blank(s):
                continue  # an empty key changes nothing either way
            block, dot, sub = s.key.partition(".")
            fix = "rename or remove it"
            if dot:
                if sub in sec:
                    continue
                if sub in keys.SECURITY_SINCE_36:
                    why = f"{named} does not know {sub} under {block} (it first appears in etcd 3.6)"
                else:
                    why = f"{sub} is not a key of {block} in {named}"
                    fix = _did_you_mean(sub, sec) or fix
            else:
                key = s.key
                if key in top or keys.removed(key, table):
                    continue  # known, or ET004's
                if key in keys.FLAG_ONLY:
                    why = f"{key} is not an etcd config-file key ({keys.FLAG_ONLY[key]})"
                elif (first := keys.first_version(key)) is not None:
                    if table is not None and first > table:
                        why = (f"{named} does not know {key} (it first appears in etcd "
                               f"{keys.version_text(first)})")
                    else:
                        why = f"{named} no longer reads {key} from its config file"
                        if key == "discovery-fallback":
                            why += " (it is a command-line flag only since etcd 3.6)"
                else:
                    why = f"{key} is not an etcd config-file key in {named}"
                    fix = _did_you_mean(key, top) or fix
            yield Problem(
                f"{why}: etcd reads its config file non-strictly and ignores unknown keys, so this setting "
                f"silently has no effect; {fix}",
                s.key_span, related, anchor=anchor(cfg, f"unknown/{s.key}"),
            )


def _did_you_mean(key: str, known: frozenset[str]) -> str:
    close = closest(key, sorted(known))
    return f"did you mean {close}?" if close else ""
