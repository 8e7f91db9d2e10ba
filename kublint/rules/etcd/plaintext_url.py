"""ET301: see rules/ET301.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.etcd import items
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, spelled

URL_KEYS = {
    "listen-client-urls": "client",
    "advertise-client-urls": "client",
    "listen-client-http-urls": "client",
    "listen-peer-urls": "peer",
    "initial-advertise-peer-urls": "peer",
}


def _plain(url: str) -> tuple[str, str] | None:
    """(host, port text) of an http:// URL on a host other than loopback, else None."""
    if not url.strip().lower().startswith("http://"):
        return None
    hp = net.url_host_port(url)
    if hp is None or net.is_loopback(hp.host):
        return None
    return hp.host, f":{hp.port}" if hp.port else ""


@rule("ET301")
def plaintext_url(cluster: Cluster) -> Iterator[Problem]:
    for cfg in cluster.active_etcd_configs:
        for key, side in URL_KEYS.items():
            s = cfg.get(key)
            if s is None or s.implicit:
                continue
            for url, span in items(s):
                found = _plain(url)
                if found is None:
                    continue
                host, port = found
                where = "on every interface" if net.is_unspecified(host) else f"on {host}"
                block = f"{side}-transport-security" if side == "peer" else "client-transport-security"
                yield Problem(
                    f"{spelled(cfg, key)} has {url}: plain http {where}, so {side} traffic (every key, "
                    "including the cluster's Secrets) crosses the network unencrypted and "
                    f"unauthenticated; use https://{host}{port} and configure {block} (cert-file, "
                    "key-file, trusted-ca-file)",
                    span, anchor=anchor(cfg, f"{key}/{url}"),
                )
    for d in cluster.cluster_configs():
        eps = d.get("etcd", "external", "endpoints")
        for i, ep in enumerate(eps if isinstance(eps, list) else []):
            if not isinstance(ep, str) or (found := _plain(ep)) is None:
                continue
            host, port = found
            yield Problem(
                f"kubeadm's external etcd endpoint {ep} is plain http on {host}: the API server sends "
                "every object, including Secrets, to etcd unencrypted and without authenticating it; use "
                f"https://{host}{port} with etcd.external caFile, certFile and keyFile",
                d.loc("etcd", "external", "endpoints", i), anchor=f"{d.anchor}/etcd/external/endpoints/{ep}",
            )
