"""KP116: see rules/KP116.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.vrrp_values import instance_name, is_placeholder
from kublint.rules.api import rule
from kublint.rules.keepalived._common import all_vrrps

MAX_USED = 8


@rule("KP116")
def auth_pass_truncated(cluster: Cluster) -> Iterator[Problem]:
    for _f, cfg, inst in all_vrrps(cluster):
        auth = inst.auth
        if auth is None or auth.password is None or is_placeholder(auth.password.value):
            continue
        pw = auth.password
        cut = next((c for c in cfg.cuts if c.span.path == pw.span.path and c.span.start == pw.span.end), None)
        written = pw.value + (cut.lost if cut else "")
        if len(written) <= MAX_USED:
            continue
        name = instance_name(inst)
        if cut is None:
            now = ("keepalived 2.2.7 logs \"Truncating auth_pass to 8 characters\" and uses "
                   f"'{written[:MAX_USED]}', so the rest adds no protection and a peer that differs only "
                   "after character 8 still matches")
        else:
            now = (f"keepalived 2.2.7 reads only '{pw.value}' here because of the '{cut.lost[0]}' (KP002), "
                   "and once the value is quoted so that it is read whole, it logs \"Truncating auth_pass "
                   f"to 8 characters\" and uses '{written[:MAX_USED]}'")
        yield Problem(
            f"auth_pass of {name} is {len(written)} characters as written, but VRRP's simple password has 8: "
            f"{now}; use at most 8 characters (or drop authentication, which RFC 3768 removed from VRRPv2)",
            pw.span, anchor=f"vrrp_instance:{name}/auth_pass",
        )
