"""KA113: see rules/KA113.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule

TLS_FILES = ("caFile", "certFile", "keyFile")


@rule("KA113")
def external_etcd_misconfigured(cluster: Cluster) -> Iterator[Problem]:
    for doc in cluster.cluster_configs():
        external = doc.get("etcd", "external")
        if external is None:
            continue  # absent or null: kubeadm runs stacked etcd
        here = doc.loc("etcd", "external", key=True)
        anchor = f"{doc.anchor}/etcd/external"
        if doc.get("etcd", "local") is not None:
            yield Problem(
                "etcd.local and etcd.external are both set: they are mutually exclusive and kubeadm refuses "
                "the configuration; keep etcd.local for the stacked etcd kubeadm runs on each control-plane "
                "node, or etcd.external for an etcd cluster you run yourself",
                here, (Related(doc.loc("etcd", "local", key=True), "etcd.local"),), anchor=f"{anchor}/local",
            )
        if not isinstance(external, dict):
            continue  # a scalar is a schema error (KA001)
        raw = external.get("endpoints")
        endpoints = [(k, e.strip()) for k, e in enumerate(raw if isinstance(raw, list) else [])
                     if isinstance(e, str) and e.strip()]
        if not endpoints:
            has_list = doc.has("etcd", "external", "endpoints")
            where = doc.loc("etcd", "external", "endpoints") if has_list else here
            yield Problem(
                "etcd.external lists no endpoints: the API server would have no etcd to store the cluster "
                "in; list the client URL of every etcd member (https://<host>:2379)",
                where, anchor=f"{anchor}/endpoints",
            )
            continue
        https = [k for k, e in endpoints if e.lower().startswith("https://")]
        missing = [name for name in TLS_FILES
                   if not (isinstance(external.get(name), str) and external[name].strip())]
        if https and missing:
            first = doc.loc("etcd", "external", "endpoints", https[0])
            yield Problem(
                f"etcd.external uses https endpoints but {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not set: the API server then cannot verify etcd's "
                "certificate or present a client certificate, and an etcd that requires client certificates "
                "(CIS 2.2) turns it away; set caFile to the etcd CA and certFile/keyFile to the API "
                "server's etcd client certificate and key",
                here, (Related(first, "https endpoint"),), anchor=f"{anchor}/tls",
            )
