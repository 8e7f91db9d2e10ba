"""KA218: see rules/KA218.md."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.components import (
    CONTROLLER_MANAGER,
    KUBEADM,
    cluster_config_for,
    component_views,
    dns_service_ip,
    kube_proxy_configs,
    kubelet_configs,
    networking,
    split_list,
)
from kublint.parsers.yaml import YamlDocument
from kublint.placeholders import has_kubeadm_placeholder
from kublint.rules.api import rule

FIX = "leave the field out so that kubeadm fills it in from the ClusterConfiguration, or make the two equal"


def _governing(cluster: Cluster, doc: YamlDocument) -> tuple[YamlDocument | None, bool]:
    """The ClusterConfiguration whose networking applies to ``doc``, and whether that is known: with no
    ClusterConfiguration at all kubeadm's defaults apply; with several, none in ``doc``'s file, it is not
    known."""
    cfg = cluster_config_for(cluster, doc)
    if cfg is not None:
        return cfg, True
    return None, not cluster.cluster_configs()


def _networks(text: str) -> frozenset[ipaddress.IPv4Network | ipaddress.IPv6Network] | None:
    try:
        return frozenset(ipaddress.ip_network(p, strict=False) for p in split_list(text))
    except ValueError:
        return None


def _differs(a: str, b: str) -> bool:
    na, nb = _networks(a), _networks(b)
    return na is not None and nb is not None and bool(na) and bool(nb) and na != nb


def _pod_subnet(cfg: YamlDocument | None) -> tuple[str | None, tuple[Related, ...]]:
    pod, _, _ = networking(cfg)
    if cfg is None or pod is None or has_kubeadm_placeholder(pod):
        return None, ()
    return pod, (Related(cfg.loc("networking", "podSubnet"), f"networking.podSubnet {pod}"),)


@rule("KA218")
def cidr_mismatch(cluster: Cluster) -> Iterator[Problem]:
    for doc in kube_proxy_configs(cluster):
        cfg, known = _governing(cluster, doc)
        pod, related = _pod_subnet(cfg)
        cidr = doc.get("clusterCIDR")
        if not known or pod is None or not isinstance(cidr, str) or has_kubeadm_placeholder(cidr):
            continue
        if not _differs(cidr, pod):
            continue
        yield Problem(
            f"KubeProxyConfiguration clusterCIDR {cidr.strip()} differs from networking.podSubnet {pod}: "
            "kube-proxy then treats some Pod traffic as external (masquerading it, or not) and "
            f"Pod-to-Service traffic breaks in ways that are hard to trace; {FIX}",
            doc.loc("clusterCIDR"), related, anchor=f"{doc.anchor}/clusterCIDR",
        )
    for view in component_views(cluster, CONTROLLER_MANAGER):
        flag = view.explicit("cluster-cidr")
        if flag is None or has_kubeadm_placeholder(flag.value) or view.document is None:
            continue  # an installer's view: no podSubnet to compare with here
        if view.source == KUBEADM and view.document.kind == "ClusterConfiguration":
            cfg, known = view.document, True
        else:
            cfg, known = _governing(cluster, view.document)
        pod, related = _pod_subnet(cfg)
        if not known or pod is None or not _differs(flag.value, pod):
            continue
        yield Problem(
            f"{view.component} sets {flag.describe()}, which differs from networking.podSubnet {pod}: node "
            "Pod CIDRs are then carved from another range than the one kube-proxy and the CNI expect; "
            "remove the override (kubeadm passes cluster-cidr=podSubnet) or make the two equal",
            flag.span, related, anchor=view.flag_anchor("cluster-cidr"),
        )
    for doc in kubelet_configs(cluster):
        cfg, known = _governing(cluster, doc)
        if not known:
            continue
        _, service_subnet, domain = networking(cfg)
        dns = doc.get("clusterDNS")
        expected = dns_service_ip(service_subnet)
        if (isinstance(dns, list) and dns and expected
                and not any(has_kubeadm_placeholder(str(d)) for d in dns)
                and (len(dns) != 1 or not net.same_host(str(dns[0]), expected))):
            related = ()
            if cfg is not None and cfg.has("networking", "serviceSubnet"):
                related = (Related(cfg.loc("networking", "serviceSubnet"),
                                   f"networking.serviceSubnet {service_subnet}"),)
            yield Problem(
                f"KubeletConfiguration clusterDNS {', '.join(str(d) for d in dns)} is not [{expected}], the "
                f"10th address of the service subnet {service_subnet} where kubeadm puts the cluster DNS "
                f"Service: Pods get a resolver that answers nothing unless a DNS cache listens there; {FIX}",
                doc.loc("clusterDNS", 0) if len(dns) == 1 else doc.loc("clusterDNS"), related,
                anchor=f"{doc.anchor}/clusterDNS",
            )
        cluster_domain = doc.get("clusterDomain")
        if (isinstance(cluster_domain, str) and cluster_domain.strip()
                and not has_kubeadm_placeholder(cluster_domain)
                and cluster_domain.strip().rstrip(".").lower() != domain.rstrip(".").lower()):
            related = ((Related(cfg.loc("networking", "dnsDomain"), f"networking.dnsDomain {domain}"),)
                       if cfg is not None and cfg.has("networking", "dnsDomain") else ())
            yield Problem(
                f"KubeletConfiguration clusterDomain {cluster_domain.strip()} differs from "
                f"networking.dnsDomain {domain}{'' if related else ' (the default)'}: Pods search a domain "
                f"CoreDNS does not serve, so Service names do not resolve; {FIX}",
                doc.loc("clusterDomain"), related, anchor=f"{doc.anchor}/clusterDomain",
            )
