"""KA217: see rules/KA217.md."""

from __future__ import annotations

from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import kube_proxy_configs
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule


def bind_host(address: str) -> str:
    """The host part of ``host:port`` (``[::1]:10249``, ``:10249``); an empty host means every interface."""
    a = address.strip()
    if a.startswith(":"):
        return ""
    hp = net.parse_host_port(a)
    return hp.host if hp is not None else a


@rule("KA217")
def metrics_exposed(cluster: Cluster) -> Iterator[Problem]:
    for doc in kube_proxy_configs(cluster):
        value = doc.get("metricsBindAddress")
        if not isinstance(value, str) or not value.strip() or has_kubeadm_placeholder(value):
            continue  # unset or empty: kube-proxy's default 127.0.0.1:10249
        host = bind_host(value)
        if host and net.is_loopback(host):
            continue
        where = "every interface" if not host or net.is_unspecified(host) else host
        yield Problem(
            f"KubeProxyConfiguration metricsBindAddress is {value.strip()}: kube-proxy serves /metrics (and "
            f"/debug/pprof with profiling on) without authentication on {where} (CIS 4.3.1); bind it to "
            "127.0.0.1:10249 (the default) and scrape through a local agent or an authenticated proxy",
            doc.loc("metricsBindAddress"), anchor=f"{doc.anchor}/metricsBindAddress",
        )
