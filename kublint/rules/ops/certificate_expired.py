"""OP201: see rules/OP201.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.ops._certificates import certificate_anchor, describe_certificate
from kublint.rules.ops._common import REFERENCE_DATE_HELP, reference_time


class Options(NamedTuple):
    reference_date: Annotated[
        str,
        REFERENCE_DATE_HELP,
    ] = ""


@rule("OP201", options=Options)
def certificate_expired(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    now = reference_time(opts.reference_date)
    for cert in cluster.certificates:
        if cert.not_after >= now:
            continue
        if cert.is_ca:
            fix = "a CA cannot be renewed in place: rotate it (kubeadm's manual CA rotation)"
        else:
            fix = ("renew it (`kubeadm certs renew all` on each control-plane node) and restart the static "
                   "Pods")
        yield Problem(
            f"{describe_certificate(cert)} expired on {cert.not_after:%Y-%m-%d} (checked against "
            f"{now:%Y-%m-%d}): every TLS connection that presents or trusts it fails; {fix}",
            cert.span, anchor=certificate_anchor(cert),
        )
