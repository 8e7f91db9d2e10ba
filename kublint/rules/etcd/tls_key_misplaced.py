"""ET002: see rules/ET002.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.etcd import CLIENT, FILE, PEER, blank, text
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor

EFFECT = {
    "cert-file": "etcd serves without this certificate",
    "key-file": "etcd serves without this key",
    "client-cert-auth": "etcd does not require certificates from its {who}",
    "trusted-ca-file": "etcd does not verify its {who} against this CA",
    "auto-tls": "the setting is ignored",
    "client-cert-file": "the member does not present this certificate as a client",
    "client-key-file": "the member does not present this key as a client",
    "allowed-cn": "etcd does not restrict the certificate CN",
    "allowed-hostname": "etcd does not restrict the certificate host name",
    "skip-client-san-verification": "the setting is ignored",
}


@rule("ET002")
def tls_key_misplaced(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.etcd_configs:
        if cfg.origin != FILE:
            continue
        for s in cfg.top_level_tls:
            if blank(s):
                continue
            if s.key.startswith("peer-") and s.key[5:] in EFFECT:
                block, sub, who = PEER[:-1], s.key[5:], "peers"
            else:
                block, sub, who = CLIENT[:-1], s.key, "clients"
            value = text(s.value) or str(s.value).lower()
            nested = cfg.get(f"{block}.{sub}")
            related = (Related(nested.key_span, f"{sub} under {block}"),) if nested is not None else ()
            yield Problem(
                f"{s.key}: {value} sits at the top level of the etcd config file, where etcd ignores it (TLS "
                f"settings are read only under {block}), so {EFFECT[sub].format(who=who)}; move it to "
                f"{block}: {{{sub}: {value}}}",
                s.key_span, related, anchor=anchor(cfg, f"top-level/{s.key}"),
            )
