"""KA211: see rules/KA211.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, component_views, kubelet_configs, kubelet_flags, parse_bool
from kublint.rules.api import rule


def _signed_serving_certs(cluster: Cluster) -> tuple[bool, list[Related]]:
    """(whether every kubelet gets a CA-signed serving certificate, the KubeletConfigurations that do not)."""
    for f in kubelet_flags(cluster):
        if f.name == "rotate-server-certificates" and parse_bool(f.value) is True:
            return True, []
        if f.name == "tls-cert-file" and f.value.strip():
            return True, []
    lacking = []
    for doc in kubelet_configs(cluster):
        if parse_bool(doc.get("serverTLSBootstrap")) is True:
            continue
        cert = doc.get("tlsCertFile")
        if isinstance(cert, str) and cert.strip():
            continue  # serving certificates provided from outside, presumably signed by a CA
        where = doc.loc("serverTLSBootstrap") if doc.has("serverTLSBootstrap") else doc.kind_span()
        lacking.append(Related(where, "KubeletConfiguration without serverTLSBootstrap: true"))
    configs = kubelet_configs(cluster)
    return bool(configs) and not lacking, lacking


@rule("KA211")
def kubelet_ca_without_serving_certs(cluster: Cluster) -> Iterator[Problem]:
    ok, lacking = _signed_serving_certs(cluster)
    if ok:
        return
    for view in component_views(cluster, APISERVER):
        flag = view.explicit("kubelet-certificate-authority")
        if flag is None or not flag.value.strip():
            continue
        which = ("no KubeletConfiguration enables serverTLSBootstrap" if not lacking
                 else f"{len(lacking)} KubeletConfiguration{'s' if len(lacking) > 1 else ''} "
                 f"{'have' if len(lacking) > 1 else 'has'} no serverTLSBootstrap: true")
        yield Problem(
            f"{view.component} sets {flag.describe()} while {which}: kubeadm leaves kubelets with "
            "self-signed serving certificates, which that CA cannot verify, so `kubectl logs`, `exec` and "
            "`port-forward` fail; first set serverTLSBootstrap: true in the KubeletConfiguration and "
            "approve the kubelet serving CSRs (a CSR approver), then set the flag",
            flag.span, tuple(lacking), anchor=view.flag_anchor("kubelet-certificate-authority"),
        )
