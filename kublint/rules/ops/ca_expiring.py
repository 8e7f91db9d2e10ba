"""OP203: see rules/OP203.md."""

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
    days: Annotated[int, "warn when a CA expires within this many days (policy)"] = 365
    reference_date: Annotated[
        str,
        REFERENCE_DATE_HELP,
    ] = ""


@rule("OP203", options=Options)
def ca_expiring(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    now = reference_time(opts.reference_date)
    horizon = now + dt.timedelta(days=opts.days)
    for cert in cluster.certificates:
        if not cert.is_ca or cert.not_after < now or cert.not_after >= horizon:
            continue
        left = (cert.not_after - now).days
        days = "day" if left == 1 else "days"
        yield Problem(
            f"{describe_certificate(cert)} expires on {cert.not_after:%Y-%m-%d}, in {left} {days} (less "
            f"than {opts.days}, policy): kubeadm does not rotate CAs, and every certificate it signed stops "
            "working with it; plan the CA rotation now (kubeadm's manual rotation procedure)",
            cert.span, anchor=certificate_anchor(cert),
        )
