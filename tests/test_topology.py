"""kublint topology: the cluster as kublint understands it, for people and (stable JSON) for tools."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kublint.cli import main
from kublint.discovery import discover
from kublint.engine import load_files
from kublint.model.build import build
from kublint.topology import Topology, describe, document, quorum, tolerated
from tests.conftest import ROOT
from tests.rule_cases import materialize

EXAMPLES = ROOT / "examples"

INVENTORY = """\
apiVersion: kublint.dev/v1alpha1
kind: Inventory
cluster:
  name: prod-eu1
  environment: production
  loadBalancer: {dns: k8s-api.example.com, vip: 10.0.0.100}
nodes:
  - {name: lb1, address: 10.0.0.5, roles: [lb], zone: eu1-a}
  - {name: cp1, address: 10.0.0.11, roles: [control-plane, etcd], zone: eu1-a}
  - {name: cp2, address: 10.0.0.12, roles: [control-plane, etcd], zone: eu1-b}
  - {name: cp3, address: 10.0.0.13, roles: [control-plane, etcd], zone: eu1-c}
  - {name: w1, address: 10.0.0.21, roles: [worker], zone: eu1-a}
  - {name: w2, address: 10.0.0.22, roles: [worker], zone: eu1-b}
"""
KUBEADM = """\
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration: {name: cp1}
localAPIEndpoint: {advertiseAddress: 10.0.0.11}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.36.2
controlPlaneEndpoint: k8s-api.example.com:6443
"""


def topology_of(tmp_path: Path, files: dict[str, str]) -> Topology:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (root,) = discover(["."], tmp_path)
    return describe(build(root.display, load_files(root, 5 << 20, 1)))


def cli(*args: str, cwd: Path) -> tuple[int, str, str]:
    old = Path.cwd()
    try:
        os.chdir(cwd)
        res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr


def test_quorum_arithmetic() -> None:
    assert [(n, quorum(n), tolerated(n)) for n in (1, 2, 3, 4, 5, 7)] == [
        (1, 1, 0), (2, 2, 0), (3, 2, 1), (4, 3, 1), (5, 3, 2), (7, 4, 3)]


def test_three_node_ha_cluster(tmp_path: Path) -> None:
    t = topology_of(tmp_path, {"inventory.yaml": INVENTORY, "kubeadm.yaml": KUBEADM})
    assert [m.name for m in t.control_plane] == ["cp1", "cp2", "cp3"]
    assert t.etcd.topology == "stacked"
    assert (t.etcd.size, t.etcd.quorum, t.etcd.tolerates_failures) == (3, 2, 1)
    assert [(z.zone, z.survives) for z in t.etcd.zone_losses] == [("eu1-a", True), ("eu1-b", True),
                                                                   ("eu1-c", True)]
    assert [m.name for m in t.load_balancers] == ["lb1"]
    assert t.lb_vip is not None and t.lb_vip.value == "10.0.0.100" and t.lb_vip.source == "inventory.yaml:6"
    assert t.workers.total == 2 and t.workers.by_zone == {"eu1-a": 1, "eu1-b": 1}
    assert [(z.zone, z.control_plane, z.workers) for z in t.zones] == [
        ("eu1-a", ("cp1",), 1), ("eu1-b", ("cp2",), 1), ("eu1-c", ("cp3",), 0)]
    assert t.architecture.recommended.label == "ha-stacked" and t.architecture.matches


def test_text_names_every_control_plane_node_and_the_fault_tolerance(tmp_path: Path) -> None:
    for name, text in {"inventory.yaml": INVENTORY, "kubeadm.yaml": KUBEADM}.items():
        (tmp_path / name).write_text(text)
    code, out, _ = cli("topology", "--no-color", ".", cwd=tmp_path)
    assert code == 0
    for node in ("cp1", "cp2", "cp3"):
        assert node in out
    assert "tolerates 1 failure" in out
    assert "quorum 2" in out
    assert "inventory.yaml:9" in out  # every fact shows where it comes from


def test_every_fact_has_a_source(tmp_path: Path) -> None:
    t = topology_of(tmp_path, {"inventory.yaml": INVENTORY, "kubeadm.yaml": KUBEADM})
    assert all(m.source for m in (*t.control_plane, *t.load_balancers))
    assert all(m.source for m in t.etcd.members)
    assert t.kubernetes_version is not None and t.kubernetes_version.source == "kubeadm.yaml:8"
    assert all(e.source == "kubeadm.yaml:9" for e in t.endpoints)


def test_json_is_the_documented_shape() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = cli("topology", "--format", "json", "ha-cluster", "broken-cluster", cwd=EXAMPLES)
    assert code == 0
    data = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "topology.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    assert data["schemaVersion"] == 1
    ha = next(c for c in data["clusters"] if c["root"] == "ha-cluster")
    assert [n["name"] for n in ha["controlPlane"]["nodes"]] == ["cp1", "cp2", "cp3"]
    assert ha["etcd"]["toleratesFailures"] == 1 and ha["etcd"]["quorum"] == 2
    assert ha["architecture"]["matches"] is True


def test_two_member_etcd_tolerates_nothing_and_the_matrix_says_so() -> None:
    code, out, _ = cli("topology", "--format", "json", "broken-cluster", cwd=EXAMPLES)
    assert code == 0
    (c,) = json.loads(out)["clusters"]
    assert c["etcd"]["size"] == 2 and c["etcd"]["toleratesFailures"] == 0
    assert not any(z["survives"] for z in c["etcd"]["zoneLosses"])
    assert c["architecture"]["matches"] is False


def test_external_etcd_in_a_small_cluster(tmp_path: Path) -> None:
    rule_dir = materialize("CL102", "fail-external-etcd-small", tmp_path).parent
    code, out, _ = cli("topology", "--format", "json", "fail-external-etcd-small", cwd=rule_dir)
    assert code == 0
    (c,) = json.loads(out)["clusters"]
    assert c["etcd"]["topology"] == "external"
    assert [m["name"] for m in c["etcd"]["members"]] == ["etcd1", "etcd2", "etcd3"]
    assert any("CL102" in d for d in c["architecture"]["differences"])


def test_single_small_development_cluster_is_fine(tmp_path: Path) -> None:
    inv = INVENTORY.replace("production", "development").replace(
        "  - {name: cp2, address: 10.0.0.12, roles: [control-plane, etcd], zone: eu1-b}\n", "").replace(
        "  - {name: cp3, address: 10.0.0.13, roles: [control-plane, etcd], zone: eu1-c}\n", "")
    t = topology_of(tmp_path, {"inventory.yaml": inv, "kubeadm.yaml": KUBEADM})
    assert t.architecture.recommended.label == "single"
    assert t.architecture.matches
    assert t.etcd.tolerates_failures == 0


def test_large_cluster_recommends_dedicated_etcd(tmp_path: Path) -> None:
    inv = INVENTORY.replace("  environment: production\n", "  environment: production\n  workerCount: 400\n")
    t = topology_of(tmp_path, {"inventory.yaml": inv, "kubeadm.yaml": KUBEADM})
    assert t.node_count == 403
    assert t.architecture.recommended.etcd == "external"
    assert any("CL103" in d for d in t.architecture.differences)


def test_config_thresholds_change_the_recommendation(tmp_path: Path) -> None:
    inv = INVENTORY.replace("  environment: production\n", "  environment: production\n  workerCount: 400\n")
    for name, text in {"inventory.yaml": inv, "kubeadm.yaml": KUBEADM,
                       ".kublint.yaml": "rules:\n  CL103: {options: {max_stacked_nodes: 1000}}\n"}.items():
        (tmp_path / name).write_text(text)
    code, out, _ = cli("topology", "--format", "json", ".", cwd=tmp_path)
    assert code == 0
    (c,) = json.loads(out)["clusters"]
    assert c["architecture"]["recommended"]["etcd"] == "stacked"


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = cli("topology", "nope", cwd=tmp_path)
    assert code == 2 and "path not found" in err


def test_document_of_nothing() -> None:
    assert document([]) == {"schemaVersion": 1, "clusters": []}


def test_nothing_to_compare_without_a_control_plane(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    inv = "[kube_node]\nw1 ansible_host=10.0.0.21\n"
    (tmp_path / "hosts.ini").write_text(inv)
    code, out, _ = cli("topology", "--format", "json", ".", cwd=tmp_path)
    assert code == 0
    data = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "topology.schema.json").read_text())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    (c,) = data["clusters"]
    assert c["architecture"]["matches"] is None and c["etcd"]["topology"] == "unknown"
    assert c["workers"]["count"] == 1
