"""OP202: see rules/OP202.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.ops._certificates import certificate_anchor, describe_certificate
from kublint.rules.ops._common import REFERENCE_DATE_HELP, reference_time


class Options(NamedTuple):
    days: Annotated[int, "warn when a leaf expires within these days (policy)"] = 30
    reference_date: Annotated[
        str,
        REFERENCE_DATE_HELP,
    ] = ""


@rule("OP202", options=Options)
def certificate_expiring(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    now = reference_time(opts.reference_date)
    horizon = now + dt.timedelta(days=opts.days)
    for cert in cluster.certificates:
        if cert.is_ca or cert.not_after < now or cert.not_after >= horizon:
            continue  # CAs are OP203's, expired certificates OP201's
        left = (cert.not_after - now).days
        days = "day" if left == 1 else "days"
        yield Problem(
            f"{describe_certificate(cert)} expires on {cert.not_after:%Y-%m-%d}, in {left} {days} (less than "
            f"{opts.days}, policy): renew it now with `kubeadm certs renew` on every control-plane node (or "
            "upgrade, which renews them) and restart the static Pods",
            cert.span, anchor=certificate_anchor(cert),
        )
