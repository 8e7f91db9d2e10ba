"""The HAProxy API backend as evidence of the control plane (model/loadbalancer.py, backend_evidence): its
servers are control-plane nodes when no inventory or installer lists them, marked as inferred, never
duplicating a node another input names, and never winning over an inventory."""

from __future__ import annotations

from pathlib import Path

from kublint.config import Config
from kublint.discovery import discover
from kublint.engine import lint, load_files
from kublint.model.build import build
from kublint.model.cluster import Cluster
from kublint.model.loadbalancer import INFERRED_FROM_BACKEND

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


def haproxy(*servers: str) -> str:
    lines = "".join(f"    server {s} check\n" for s in servers)
    return (
        "defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 1h\n    timeout server 1h\n\n"
        "frontend api\n    bind *:6443\n    default_backend api\n\nbackend api\n" + lines
    )


INVENTORY = """\
apiVersion: kublint.dev/v1alpha1
kind: Inventory
cluster: {name: c}
nodes:
  - {name: cp1, address: 10.0.0.11, roles: [control-plane, etcd]}
  - {name: cp2, address: 10.0.0.12, roles: [control-plane, etcd]}
  - {name: cp3, address: 10.0.0.13, roles: [control-plane, etcd]}
"""


def write(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def model(tmp_path: Path, files: dict[str, str]) -> Cluster:
    write(tmp_path, files)
    (root,) = discover(["."], tmp_path)
    return build(root.display, load_files(root, 5 << 20, 1))


def rule_ids(tmp_path: Path, files: dict[str, str], *ids: str) -> list[tuple[str, str, int]]:
    write(tmp_path, files)
    report = lint([str(tmp_path)], Config()._replace(select=ids, ignore=(), jobs=1), cwd=tmp_path)
    return sorted((f.rule_id, Path(f.span.path).name, f.span.start.line) for f in report.findings)


def test_backend_servers_are_the_control_plane_without_inventory(tmp_path: Path) -> None:
    c = model(tmp_path, {"kubeadm.yaml": KUBEADM,
                         "haproxy.cfg": haproxy("cp1 10.0.0.11:6443", "cp2 10.0.0.12:6443")})
    assert [n.name for n in c.control_plane] == ["cp1", "cp2"]
    cp1, cp2 = c.node("cp1"), c.node("cp2")
    assert cp1 is not None and cp1.inferred_from is None  # the InitConfiguration names it: not inferred
    assert len(cp1.evidence) == 2 and cp1.span.path.endswith("kubeadm.yaml")
    assert cp2 is not None and cp2.inferred_from == INFERRED_FROM_BACKEND
    assert c.etcd_stacked and c.voting_count == 2
    assert c.voting_members is not None and c.voting_members.where.path.endswith("haproxy.cfg")


def test_inventory_wins_and_nodes_are_not_duplicated(tmp_path: Path) -> None:
    c = model(tmp_path, {"inventory.yaml": INVENTORY, "kubeadm.yaml": KUBEADM,
                         "haproxy.cfg": haproxy("m1 10.0.0.11:6443", "m2 10.0.0.12:6443")})
    assert [n.name for n in c.nodes] == ["cp1", "cp2", "cp3"]
    assert all(n.inferred_from is None for n in c.nodes)
    assert c.voting_count == 3


def test_servers_that_cannot_be_nodes_are_no_evidence(tmp_path: Path) -> None:
    keepalived = ("vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 61\n"
                  "    priority 110\n    virtual_ipaddress {\n        10.0.0.100/24\n    }\n}\n")
    c = model(tmp_path, {
        "kubeadm.yaml": KUBEADM,
        "lb1/keepalived.conf": keepalived,
        "haproxy.cfg": haproxy("cp1 10.0.0.11:6443", "local 127.0.0.1:6443", "vip 10.0.0.100:6443",
                               "todo ${CP2_IP}:6443", "x 192.168.x.x:6443"),
    })
    assert [n.name for n in c.control_plane] == ["cp1"]
    assert c.voting_count == 1


def test_a_server_named_like_a_node_elsewhere_gives_its_address_only(tmp_path: Path) -> None:
    c = model(tmp_path, {"kubeadm.yaml": KUBEADM,
                         "haproxy.cfg": haproxy("cp1 10.0.0.21:6443", "cp2 10.0.0.12:6443")})
    assert sorted(n.name for n in c.control_plane) == ["10.0.0.21", "cp1", "cp2"]
    cp1 = c.node("cp1")
    assert cp1 is not None and [a.value for a in cp1.addresses] == ["10.0.0.11"]


def test_two_servers_and_stacked_etcd_give_et101_at_the_backend(tmp_path: Path) -> None:
    got = rule_ids(tmp_path, {"kubeadm.yaml": KUBEADM,
                              "haproxy.cfg": haproxy("cp1 10.0.0.11:6443", "cp2 10.0.0.12:6443")}, "ET101")
    assert got == [("ET101", "haproxy.cfg", 11)]


def test_external_etcd_is_not_counted_from_the_backend(tmp_path: Path) -> None:
    kubeadm = KUBEADM + "etcd:\n  external:\n    endpoints: [https://10.0.1.1:2379, https://10.0.1.2:2379, " \
                        "https://10.0.1.3:2379]\n"
    got = rule_ids(tmp_path, {"kubeadm.yaml": kubeadm,
                              "haproxy.cfg": haproxy("cp1 10.0.0.11:6443", "cp2 10.0.0.12:6443")}, "ET101")
    assert got == []


def test_hp101_skips_nodes_only_another_backend_names(tmp_path: Path) -> None:
    got = rule_ids(tmp_path, {
        "kubeadm.yaml": KUBEADM,
        "lb1/haproxy.cfg": haproxy("cp1 10.0.0.11:6443", "cp2 10.0.0.12:6443"),
        "lb2/haproxy.cfg": haproxy("cp1 10.0.0.11:6443", "cp2 10.0.0.12:6443", "cp3 10.0.0.13:6443"),
    }, "HP101", "HP102")
    assert got == []
