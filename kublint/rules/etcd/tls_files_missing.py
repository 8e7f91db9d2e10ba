"""ET305: see rules/ET305.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.etcd import CLIENT, PEER, EtcdConfig, blank, truthy
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, section_span, spelled


@rule("ET305")
def tls_files_missing(cluster: Cluster) -> Iterator[Problem]:
    n = cluster.voting_count
    for cfg in cluster.active_etcd_configs:
        yield from _side(cluster, cfg, CLIENT, "clients", "CIS 2.1")
        if n is not None and n > 1:  # CIS 2.4: "applicable only for etcd clusters"
            yield from _side(cluster, cfg, PEER, "peers", "CIS 2.4")


def _side(cluster: Cluster, cfg: EtcdConfig, block: str, who: str, cis: str) -> Iterator[Problem]:
    cert, key = cfg.get(block + "cert-file"), cfg.get(block + "key-file")
    missing = [k for k, s in (("cert-file", cert), ("key-file", key)) if blank(s)]
    if missing:
        written = [s for s in (cert, key) if s is not None and not s.implicit and blank(s)]
        span = written[0].key_span if written else section_span(cluster, cfg, block + "cert-file")
        names = " and ".join(spelled(cfg, block + k) for k in missing)
        yield Problem(
            f"{names} {'is' if len(missing) == 1 else 'are'} not set: etcd has no certificate of its own "
            f"to serve its {who} over TLS ({cis} requires both); set {spelled(cfg, block + 'cert-file')} "
            f"and {spelled(cfg, block + 'key-file')} to a certificate and key from the etcd CA",
            span, anchor=anchor(cfg, block + "cert-file"),
        )
    auth = cfg.get(block + "client-cert-auth")
    ca = cfg.get(block + "trusted-ca-file")
    if auth is not None and truthy(auth.value) is True and blank(ca):
        span = ca.key_span if ca is not None and not ca.implicit else auth.span
        related = (Related(auth.span, "client-cert-auth"),) if span is not auth.span else ()
        yield Problem(
            f"{spelled(cfg, block + 'client-cert-auth')} is on but "
            f"{spelled(cfg, block + 'trusted-ca-file')} is not set: etcd then verifies its {who}' "
            "certificates against the machine's system CAs, so a certificate from any public CA is "
            "accepted; set trusted-ca-file to a dedicated etcd CA",
            span, related, anchor=anchor(cfg, block + "trusted-ca-file"),
        )
