"""ET306: see rules/ET306.md."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.etcd import CLIENT, PEER, blank, text
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, spelled
from kublint.source import Span

# Where kubeadm and Kubespray keep the Kubernetes cluster CA.
KNOWN_CLUSTER_CAS = {"/etc/kubernetes/pki/ca.crt": "kubeadm's cluster CA",
                     "/etc/kubernetes/ssl/ca.crt": "Kubespray's cluster CA"}
CA_FLAGS = (("kube-apiserver", "client-ca-file"), ("kube-controller-manager", "root-ca-file"),
            ("kube-controller-manager", "cluster-signing-cert-file"), ("kubelet", "client-ca-file"))


def _norm(path: str) -> str:
    return posixpath.normpath(path.strip())


def cluster_cas(cluster: Cluster) -> dict[str, tuple[str, Span | None]]:
    """Paths of the Kubernetes cluster CA, each with why and where it is known."""
    out: dict[str, tuple[str, Span | None]] = {p: (why, None) for p, why in KNOWN_CLUSTER_CAS.items()}
    for d in cluster.cluster_configs():
        certs = d.get("certificatesDir")
        if isinstance(certs, str) and certs.strip():
            why = "the CA in the ClusterConfiguration's certificatesDir"
            out[_norm(posixpath.join(certs, "ca.crt"))] = (why, d.loc("certificatesDir"))
    for component, name in CA_FLAGS:
        for f in cluster.flags_for(component, name):
            if f.value.strip():
                out.setdefault(_norm(f.value), (f"the CA {component} uses for --{name}", f.span))
    return out


@rule("ET306")
def shares_cluster_ca(cluster: Cluster) -> Iterator[Problem]:
    cas = cluster_cas(cluster)
    for cfg in cluster.active_etcd_configs:
        for block, who in ((CLIENT, "clients"), (PEER, "peers")):
            s = cfg.get(block + "trusted-ca-file")
            if s is None or s.implicit or blank(s):
                continue
            path = _norm(text(s.value) or "")
            if path not in cas:
                continue
            why, where = cas[path]
            related = (Related(where, why),) if where is not None else ()
            yield Problem(
                f"{spelled(cfg, block + 'trusted-ca-file')} {path} is the Kubernetes cluster CA ({why}): "
                f"etcd then trusts as {who} every certificate that CA signs (kubelets, controllers, any "
                "user certificate), and etcd holds all cluster data; use a separate etcd CA such as "
                "kubeadm's /etc/kubernetes/pki/etcd/ca.crt (CIS 2.7)",
                s.span, related, anchor=anchor(cfg, block + "trusted-ca-file"),
            )
