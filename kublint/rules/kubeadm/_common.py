"""What the kubeadm rules share."""

from __future__ import annotations

from kublint.model.cluster import Cluster
from kublint.parsers.yaml import YamlDocument

GO_FALSE = frozenset({"0", "f", "F", "false", "False", "FALSE"})  # strconv.ParseBool's false spellings


def endpoint_targets(cluster: Cluster) -> list[YamlDocument]:
    """The documents where ``controlPlaneEndpoint`` belongs: each ClusterConfiguration, else the InitConfigurations
    (kubeadm then builds a default ClusterConfiguration)."""
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
    return (f"there is no ClusterConfiguration beside this {doc.kind}, so kubeadm's defaults apply and they set "
            "no controlPlaneEndpoint (add a ClusterConfiguration document that sets it)")
