"""KA213: see rules/KA213.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.components import component_views, kubelet_configs, kubelet_flags, split_list
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule
from kublint.source import Span

# kube-bench cfg/cis-1.12 master.yaml 1.2.29 (the API server's; kublint applies it to every control-plane
# component and to etcd).
CONTROL_PLANE_SUITES = frozenset({
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
})
# kube-bench cfg/cis-1.12 node.yaml 4.2.12 (kubelet).
KUBELET_SUITES = frozenset({
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
})


def _problem(who: str, what: str, weak: list[str], cis: str, span: Span, anchor: str) -> Problem:
    return Problem(
        f"{who} allows {', '.join(weak)} ({what}), outside the CIS allow-list ({cis}): suites without "
        "forward secrecy or with CBC/SHA-1 constructions weaken TLS to older attacks; keep only ECDHE "
        "suites with AES-GCM or ChaCha20-Poly1305",
        span, anchor=anchor,
    )


def _weak(items: list[str], allowed: frozenset[str]) -> list[str]:
    return [s for s in items if s not in allowed and not has_kubeadm_placeholder(s)]


@rule("KA213")
def weak_tls_ciphers(cluster: Cluster) -> Iterator[Problem]:
    for view in component_views(cluster):
        flag = view.explicit("tls-cipher-suites")
        if flag is None:
            continue
        weak = _weak(split_list(flag.value), CONTROL_PLANE_SUITES)
        if weak:
            yield _problem(view.component, f"tls-cipher-suites in {flag.origin}", weak,
                           "CIS 1.2.29", flag.span, view.flag_anchor("tls-cipher-suites"))
    for f in kubelet_flags(cluster):
        if f.name == "tls-cipher-suites":
            weak = _weak(split_list(f.value), KUBELET_SUITES)
            if weak:
                yield _problem("kubelet", f"tls-cipher-suites in {f.origin}", weak, "CIS 4.2.12",
                               f.span, f"kubelet/{f.origin}/tls-cipher-suites")
    for doc in kubelet_configs(cluster):
        raw = doc.get("tlsCipherSuites")
        for k, suite in enumerate(raw if isinstance(raw, list) else []):
            if isinstance(suite, str) and _weak([suite.strip()], KUBELET_SUITES):
                yield _problem("kubelet", "KubeletConfiguration tlsCipherSuites", [suite.strip()],
                               "CIS 4.2.12", doc.loc("tlsCipherSuites", k),
                               f"{doc.anchor}/tlsCipherSuites/{suite.strip()}")
    for cfg in cluster.etcd_configs:
        setting = cfg.get("cipher-suites")
        if setting is None or setting.implicit:
            continue
        value = setting.value
        if isinstance(value, list):
            items = [str(v).strip() for v in value if isinstance(v, str)]
        elif isinstance(value, str):
            items = split_list(value)
        else:
            continue
        weak = _weak(items, CONTROL_PLANE_SUITES)
        if weak:
            yield _problem("etcd", f"cipher-suites in the {cfg.origin}", weak,
                           "the API server's list, CIS "
                           "1.2.29", setting.span, f"etcd/{cfg.origin}/cipher-suites")
