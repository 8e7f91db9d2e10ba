"""OP204: see rules/OP204.md."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.model.inventory import native_documents
from kublint.parsers.crontab import CronEntry
from kublint.parsers.systemd import UnitFile
from kublint.rules.api import rule
from kublint.rules.ops._common import GO_FALSE
from kublint.source import Span

_RENEW = re.compile(r"\bkubeadm\b.*\bcerts\s+renew\b", re.S)


def renewal_jobs(cluster: Cluster) -> list[tuple[Span, str]]:
    """Where certificate renewal is declared or scheduled: the inventory's ``certificates.renewalJob``, a
    CronJob, a systemd service or a crontab line running ``kubeadm certs renew``."""
    out: list[tuple[Span, str]] = [(j.span, j.value) for j in cluster.renewal_jobs]
    for doc in native_documents(cluster.files):
        job = doc.get("certificates", "renewalJob")
        if isinstance(job, str) and job.strip():
            out.append((doc.loc("certificates", "renewalJob"), "inventory certificates.renewalJob"))
    for f in cluster.files:
        if f.kind is Kind.CRONJOB and _RENEW.search(f.source.text):
            out.append((f.source.start_span(), "CronJob running kubeadm certs renew"))
        elif f.kind is Kind.SYSTEMD_UNIT and isinstance(f.content, UnitFile):
            if any(e.key.startswith("ExecStart") and _RENEW.search(e.value) for e in f.content.entries):
                out.append((f.source.start_span(), "systemd service running kubeadm certs renew"))
        elif f.kind is Kind.CRONTAB and isinstance(f.content, list):
            for e in f.content:
                if isinstance(e, CronEntry) and _RENEW.search(e.command):
                    out.append((e.span, "crontab entry running kubeadm certs renew"))
    return out


def _disabled(value: object) -> bool:
    return value is False or (isinstance(value, str) and value.strip() in GO_FALSE)


@rule("OP204")
def certificate_renewal_disabled(cluster: Cluster) -> Iterator[Problem]:
    upgrades = [d for d in cluster.kubeadm_docs if d.kind == "UpgradeConfiguration"]
    if not (upgrades or cluster.upgrade_renewal_off) or renewal_jobs(cluster):
        return
    for setting in cluster.upgrade_renewal_off:
        yield Problem(
            f"{setting.value} is false, so the installer's upgrades run `kubeadm upgrade apply` without "
            "renewing the certificates, and no renewal job is declared: kubeadm's certificates expire after "
            "one year and the control plane then stops; remove the override or set "
            "auto_renew_certificates: true (kubespray's monthly k8s-certs-renew timer)",
            setting.span,
            anchor=f"installer/{setting.value}",
        )
    for doc in upgrades:
        for section, command in (("apply", "kubeadm upgrade apply"), ("node", "kubeadm upgrade node")):
            if not _disabled(doc.get(section, "certificateRenewal")):
                continue
            yield Problem(
                f"{section}.certificateRenewal is false, so `{command}` keeps the old certificates, and no "
                "renewal job is declared: kubeadm's certificates expire after one year and the control plane "
                "then stops; remove the override (upgrades renew them) or schedule `kubeadm certs renew all` "
                "on every control-plane node and declare it (inventory certificates.renewalJob)",
                doc.loc(section, "certificateRenewal"),
                anchor=f"{doc.anchor}/{section}/certificateRenewal",
            )

