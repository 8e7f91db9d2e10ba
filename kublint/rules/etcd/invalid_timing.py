"""ET201: see rules/ET201.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.values import as_int
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, spelled

DEFAULT_HEARTBEAT_MS = 100
DEFAULT_ELECTION_MS = 1000
MAX_ELECTION_MS = 50000


@rule("ET201")
def invalid_timing(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        hb_s, el_s = cfg.get("heartbeat-interval"), cfg.get("election-timeout")
        hb_s = hb_s if hb_s is not None and not hb_s.implicit else None
        el_s = el_s if el_s is not None and not el_s.implicit else None
        hb = as_int(hb_s.value) if hb_s is not None else DEFAULT_HEARTBEAT_MS
        el = as_int(el_s.value) if el_s is not None else DEFAULT_ELECTION_MS
        if hb is None or el is None:
            continue  # not a number: etcd fails to parse it, which is another problem
        hb_name, el_name = spelled(cfg, "heartbeat-interval"), spelled(cfg, "election-timeout")
        if hb == 0 and hb_s is not None:
            yield Problem(
                f"{hb_name} is 0: etcd refuses to start (\"--heartbeat-interval must be >0\"); use the "
                "default 100 ms or about the round-trip time between members",
                hb_s.span, anchor=anchor(cfg, "heartbeat-interval"),
            )
        if el > MAX_ELECTION_MS and el_s is not None:
            yield Problem(
                f"{el_name} is {el} ms, above etcd's maximum of {MAX_ELECTION_MS} ms: etcd refuses to "
                f"start; use at most {MAX_ELECTION_MS} ms (10 x the round trip between members is enough)",
                el_s.span, anchor=anchor(cfg, "election-timeout"),
            )
        if el < 5 * hb:
            hb_text = f"{hb} ms" + ("" if hb_s is not None else " (etcd's default)")
            el_text = f"{el} ms" + ("" if el_s is not None else " (etcd's default)")
            target = el_s if el_s is not None else hb_s
            if target is None:
                continue
            other = hb_s if target is el_s else el_s
            related = (Related(other.span, other.key),) if other is not None else ()
            yield Problem(
                f"{el_name} {el_text} is less than 5 x {hb_name} {hb_text} = {5 * hb} ms: etcd refuses to "
                f"start (\"--election-timeout[{el}ms] should be at least as 5 times as "
                f"--heartbeat-interval[{hb}ms]\"); raise {el_name} to at least {5 * hb} ms (etcd's tuning "
                f"guide suggests 10 x the round trip) or lower {hb_name}",
                target.span, related, anchor=anchor(cfg, target.key),
            )
