"""Cluster API manifests: the KubeadmControlPlane's clusterConfiguration is read as a ClusterConfiguration at
its own spans, replicas are control-plane machines with stacked etcd, clusterctl defaults are taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from kublint.discovery import discover
from kublint.engine import load_files
from kublint.model.build import build
from kublint.model.capi import substitute
from kublint.model.cluster import Cluster
from kublint.model.embedded import EmbeddedDocument
from kublint.model.files import Kind

KCP = """\
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata: {name: cp}
spec:
  replicas: REPLICAS
  version: v1.35.1
  kubeadmConfigSpec:
    clusterConfiguration:
      etcdBLOCK
      controllerManager:
        extraArgs:
          - {name: leader-elect, value: "false"}
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata: {name: c}
spec:
  controlPlaneEndpoint: {host: "${VIP:=10.1.1.1}", port: 6443}
  controlPlaneRef: {apiGroup: controlplane.cluster.x-k8s.io, kind: KubeadmControlPlane, name: cp}
"""


def model(tmp_path: Path, replicas: str = "3", etcd: str = "") -> Cluster:
    text = KCP.replace("REPLICAS", replicas).replace("etcdBLOCK", etcd or "dns: {}")
    (tmp_path / "cluster.yaml").write_text(text)
    (root,) = [r for r in discover(["."], tmp_path) if r.candidates]
    return build(root.display, load_files(root, 5 << 20, 1))


def test_embedded_cluster_configuration(tmp_path: Path) -> None:
    c = model(tmp_path)
    assert [f.kind for f in c.files] == [Kind.CAPI]
    (doc,) = c.cluster_configs()
    assert isinstance(doc, EmbeddedDocument)
    assert doc.get("kubernetesVersion") == "v1.35.1" and doc.loc("kubernetesVersion").line == 6
    assert doc.get("controlPlaneEndpoint") == "10.1.1.1:6443" and doc.loc("controlPlaneEndpoint").line == 18
    flag = next(f for f in c.flags if f.name == "leader-elect")
    assert (flag.value, flag.span.line) == ("false", 12)


def test_replicas_are_stacked_members(tmp_path: Path) -> None:
    c = model(tmp_path, "2")
    assert c.control_plane_count == 2 and c.voting_count == 2
    assert c.voting_members is not None and c.voting_members.where.line == 5


def test_external_etcd_is_not_stacked(tmp_path: Path) -> None:
    c = model(tmp_path, "3", "etcd: {external: {endpoints: [https://10.2.0.1:2379, https://10.2.0.2:2379]}}")
    assert not c.etcd_stacked


@pytest.mark.parametrize(("replicas", "count"), [("${N:=5}", 5), ("${N}", 0), ("-1", 0), ("abc", 0)])
def test_replicas_values(tmp_path: Path, replicas: str, count: int) -> None:
    assert model(tmp_path, f'"{replicas}"').control_plane_count == count


@pytest.mark.parametrize(("text", "value"), [
    ("${A:=x}", "x"), ("${A:-y}", "y"), ("${A=z}", "z"), ("${A}", "${A}"), ("plain", "plain"),
])
def test_substitute(text: str, value: str) -> None:
    assert substitute(text) == value
