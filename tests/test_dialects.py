"""Other tools' cluster definitions are recognised (SY008), and nothing kublint reads is taken for one."""

from __future__ import annotations

from typing import Any

import pytest

from kublint.dialects import unsupported


@pytest.mark.parametrize(("api_version", "kind", "data", "tool"), [
    ("kops.k8s.io/v1alpha2", "Cluster", {}, "kops"),
    ("kops.k8s.io/v1alpha2", "InstanceGroup", {}, "kops"),
    ("eksctl.io/v1alpha5", "ClusterConfig", {}, "eksctl"),
    ("kind.x-k8s.io/v1alpha4", "Cluster", {}, "kind"),
    ("k0s.k0sproject.io/v1beta1", "ClusterConfig", {}, "k0s"),
    ("k0sctl.k0sproject.io/v1beta1", "Cluster", {}, "k0sctl"),
    ("kubeone.k8c.io/v1beta2", "KubeOneCluster", {}, "KubeOne"),
    ("provisioning.cattle.io/v1", "Cluster", {}, "Rancher (cluster provisioning)"),
    ("core.gardener.cloud/v1beta1", "Shoot", {}, "Gardener"),
    ("", "", {"nodes": [{"address": "10.0.0.1", "role": ["controlplane", "etcd"]}]}, "RKE1"),
    ("v1", "", {"baseDomain": "example.com", "platform": {}, "compute": []}, "the OpenShift installer"),
])
def test_recognised(api_version: str, kind: str, data: Any, tool: str) -> None:
    found = unsupported([(api_version, kind, data)])
    assert found is not None and found.tool == tool


@pytest.mark.parametrize(("api_version", "kind", "data"), [
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration", {}),
    ("kublint.dev/v1alpha1", "Inventory", {"nodes": [{"address": "10.0.0.1", "roles": ["control-plane"]}]}),
    ("", "", {"nodes": [{"address": "10.0.0.1", "role": "controlplane"}]}),  # role not a list
    ("", "", {"nodes": []}),
    ("", "", {"all": {"hosts": {}}}),
    ("v1", "ConfigMap", {"baseDomain": "x", "platform": {}, "compute": []}),
    ("kind.x-k8s.io/v1alpha4", "Other", {}),
    ("", "", ["nodes"]),
])
def test_not_recognised(api_version: str, kind: str, data: Any) -> None:
    assert unsupported([(api_version, kind, data)]) is None
