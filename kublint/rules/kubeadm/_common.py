"""What the kubeadm rules share."""

from __future__ import annotations

import ipaddress
import re

from kublint.model.cluster import Cluster
from kublint.model.components import ComponentView, EffectiveFlag
from kublint.model.types import Sourced
from kublint.model.versions import Version, kubernetes_target, parse_version
from kublint.parsers.yaml import YamlDocument

GO_FALSE = frozenset({"0", "f", "F", "false", "False", "FALSE"})  # strconv.ParseBool's false spellings


def endpoint_targets(cluster: Cluster) -> list[YamlDocument]:
    """The documents where ``controlPlaneEndpoint`` belongs: each ClusterConfiguration, else the
    InitConfigurations (kubeadm then builds a default ClusterConfiguration)."""
    configs = cluster.cluster_configs()
    if configs:
        return configs
    return [d for d in cluster.kubeadm_docs if d.kind == "InitConfiguration"]


def has_endpoint(doc: YamlDocument) -> bool:
    v = doc.get("controlPlaneEndpoint")
    return isinstance(v, str) and bool(v.strip())


def is_ha(cluster: Cluster) -> bool:
    return len(cluster.control_plane) > 1 or bool(cluster.anonymous_cp_joins)


def missing_endpoint_phrase(doc: YamlDocument) -> str:
    if doc.kind == "ClusterConfiguration":
        return "ClusterConfiguration sets no controlPlaneEndpoint"
    return (
        f"there is no ClusterConfiguration beside this {doc.kind}, so kubeadm's defaults apply and they set "
        "no controlPlaneEndpoint (add a ClusterConfiguration document that sets it)"
    )


# --- added for the KA1xx/KA2xx flag and hygiene rules -------------------------------------------------------

_DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN = re.compile(rf"^{_DNS1123_LABEL}(\.{_DNS1123_LABEL})*$")


def is_dns1123_subdomain(text: str) -> bool:
    """apimachinery ``IsDNS1123Subdomain``: lower-case labels of ``[a-z0-9-]``, at most 253 characters."""
    return len(text) <= 253 and _DNS1123_SUBDOMAIN.match(text) is not None


def is_wildcard_dns1123_subdomain(text: str) -> bool:
    """``IsWildcardDNS1123Subdomain``: ``*.`` followed by a DNS-1123 subdomain."""
    return len(text) <= 253 and text.startswith("*.") and _DNS1123_SUBDOMAIN.match(text[2:]) is not None


def is_go_ip(text: str) -> bool:
    """Go's ``net.ParseIP``: a dotted IPv4 or an IPv6 address, with no brackets, zone or prefix."""
    if not text or "%" in text or "/" in text:
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def docs_of_kind(cluster: Cluster, kind: str) -> list[YamlDocument]:
    return [d for d in cluster.kubeadm_docs if d.kind == kind]


def value_text(value: object) -> str | None:
    """A scalar as text (YAML may read ``ttl: 0`` or a token of digits as a number); None for collections."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


TOKEN = "token"
CERTIFICATE_KEY = "certificate key"


def secret_fields(cluster: Cluster) -> list[tuple[YamlDocument, tuple[str | int, ...], str, str]]:
    """Every bootstrap token and certificate key written in a kubeadm document:
    (document, path, TOKEN or CERTIFICATE_KEY, label), whatever the value."""
    out: list[tuple[YamlDocument, tuple[str | int, ...], str, str]] = []
    for doc in cluster.kubeadm_docs:
        if doc.kind == "InitConfiguration":
            tokens = doc.get("bootstrapTokens")
            for i, t in enumerate(tokens if isinstance(tokens, list) else []):
                if isinstance(t, dict) and "token" in t:
                    out.append((doc, ("bootstrapTokens", i, "token"), TOKEN, f"bootstrapTokens[{i}].token"))
            if doc.has("certificateKey"):
                out.append((doc, ("certificateKey",), CERTIFICATE_KEY, "certificateKey"))
        elif doc.kind == "JoinConfiguration":
            if doc.has("discovery", "bootstrapToken", "token"):
                out.append(
                    (doc, ("discovery", "bootstrapToken", "token"), TOKEN, "discovery.bootstrapToken.token")
                )
            if doc.has("discovery", "tlsBootstrapToken"):
                out.append((doc, ("discovery", "tlsBootstrapToken"), TOKEN, "discovery.tlsBootstrapToken"))
            if doc.has("controlPlane", "certificateKey"):
                out.append(
                    (doc, ("controlPlane", "certificateKey"), CERTIFICATE_KEY, "controlPlane.certificateKey")
                )
    return out


KUBEADM_GROUP = "kubeadm.k8s.io/"
# Older to newer; "v1" is the experimental placeholder that cannot be used yet: it ranks below every real one.
API_VERSION_RANK = {
    "v1": -1,
    "v1alpha1": 0,
    "v1alpha2": 1,
    "v1alpha3": 2,
    "v1beta1": 3,
    "v1beta2": 4,
    "v1beta3": 5,
    "v1beta4": 6,
}


def kubeadm_api_version(doc: YamlDocument) -> str | None:
    """``v1beta4`` for ``kubeadm.k8s.io/v1beta4``; None for other groups."""
    v = doc.api_version.strip()
    return v[len(KUBEADM_GROUP) :] if v.startswith(KUBEADM_GROUP) else None


def unset_phrase(view: ComponentView, flag: EffectiveFlag) -> str:
    """How a message says that a flag is at its default: where it is missing and whose default applies."""
    shown = f"{flag.name}={flag.value}" if flag.value else f"(empty {flag.name})"
    if flag.kubeadm_default:
        return f"{flag.name} is not set in {view.where}, so kubeadm's default {shown} applies"
    if view.source == "static Pod":
        return (
            f"the {view.component} static Pod sets no --{flag.name}, so {view.component}'s own default "
            f"{shown} applies"
        )
    return f"{flag.name} is not set in {view.where}, so {view.component}'s own default {shown} applies"


def target_version_for(cluster: Cluster, doc: YamlDocument) -> Sourced[Version] | None:
    """The Kubernetes version a kubeadm document is meant for: the kubernetesVersion of the
    ClusterConfiguration in its own file, else the cluster's target (``kubernetes_target``)."""
    for cfg in cluster.kubeadm_docs_in(doc.source.path):
        if cfg.kind == "ClusterConfiguration":
            v = parse_version(cfg.get("kubernetesVersion"))
            if v is not None:
                return Sourced(v, cfg.loc("kubernetesVersion"))
    return kubernetes_target(cluster)
