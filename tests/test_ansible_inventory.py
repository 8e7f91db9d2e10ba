"""Ansible inventories as Kubespray lays them out: hosts.yaml or inventory.ini with group_vars/ and
host_vars/ beside it; variables follow Ansible's precedence; addresses, zones and the API load balancer come
from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kublint.config import Config
from kublint.discovery import discover
from kublint.engine import lint, load_files
from kublint.model.ansible import expand_hosts
from kublint.model.build import build
from kublint.model.cluster import Cluster

HOSTS_YAML = """\
all:
  hosts:
    node1:
      ansible_host: 95.54.0.12
    node2:
      ansible_host: 95.54.0.13
      ip: 10.3.0.2
    node3:
      ansible_host: 95.54.0.14
      ip: 10.3.0.3
    node4:
      ansible_host: 95.54.0.15
      ip: 10.3.0.4
    node5:
      ansible_host: 95.54.0.16
  children:
    kube_control_plane:
      hosts:
        node1:
        node2:
        node3:
    kube_node:
      hosts:
        node4:
        node5:
      vars:
        node_labels:
          topology.kubernetes.io/zone: eu1-b
    etcd:
      children:
        kube_control_plane:
    k8s_cluster:
      children:
        kube_control_plane:
        kube_node:
    calico_rr:
      hosts: {}
"""

ALL_YML = """\
---
## External LB example config
apiserver_loadbalancer_domain_name: "k8s-api.example.com"
loadbalancer_apiserver:
  address: 10.3.0.100
  port: 6443
## Internal loadbalancers for apiservers
loadbalancer_apiserver_localhost: false
upstream_dns_servers:
  - 8.8.8.8
"""

K8S_CLUSTER_YML = """\
---
kube_version: v1.36.2
kube_network_plugin: calico
kube_service_addresses: 10.233.0.0/18
kube_pods_subnet: 10.233.64.0/18
node_labels:
  topology.kubernetes.io/zone: eu1-a
"""

NODE1_YML = """\
---
ip: 10.3.0.1
access_ip: 10.3.0.1
node_labels:
  topology.kubernetes.io/zone: eu1-a
"""

NODE3_YML = """\
node_labels:
  topology.kubernetes.io/zone: eu1-c
"""

NODE5_YML = """\
ip: 10.3.0.5
"""


def write(base: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        p = base / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def model(tmp_path: Path, files: dict[str, str], groups: dict[str, list[str]] | None = None) -> Cluster:
    write(tmp_path, files)
    roots = [r for r in discover(["."], tmp_path) if r.candidates]
    clusters = [build(r.display, load_files(r, 5 << 20, 1), groups) for r in roots]
    (c,) = [c for c in clusters if c.nodes]
    return c


def kubespray_layout() -> dict[str, str]:
    return {
        "inventory/mycluster/hosts.yaml": HOSTS_YAML,
        "inventory/mycluster/group_vars/all/all.yml": ALL_YML,
        "inventory/mycluster/group_vars/k8s_cluster/k8s-cluster.yml": K8S_CLUSTER_YML,
        "inventory/mycluster/host_vars/node1.yml": NODE1_YML,
        "inventory/mycluster/host_vars/node3.yml": NODE3_YML,
        "inventory/mycluster/host_vars/node5.yml": NODE5_YML,
    }


def addresses(c: Cluster, name: str) -> list[str]:
    n = c.node(name)
    assert n is not None
    return [a.value for a in n.addresses]


def zone(c: Cluster, name: str) -> str | None:
    n = c.node(name)
    assert n is not None
    return n.zone.value if n.zone else None


def test_host_vars_give_addresses(tmp_path: Path) -> None:
    c = model(tmp_path, kubespray_layout())
    assert addresses(c, "node1") == ["10.3.0.1", "95.54.0.12"]  # ip and access_ip from host_vars/node1.yml
    assert addresses(c, "node2") == ["10.3.0.2", "95.54.0.13"]
    assert addresses(c, "node5") == ["10.3.0.5", "95.54.0.16"]
    n1 = c.node("node1")
    assert n1 is not None and n1.addresses[0].span.path == "inventory/mycluster/host_vars/node1.yml"
    assert n1.addresses[0].span.line == 2


def test_roles_from_kubespray_groups(tmp_path: Path) -> None:
    c = model(tmp_path, kubespray_layout())
    assert [n.name for n in c.control_plane] == ["node1", "node2", "node3"]
    assert sorted(n.name for n in c.etcd_nodes()) == ["node1", "node2", "node3"]
    assert c.worker_count == 2


def test_zones_follow_ansible_precedence(tmp_path: Path) -> None:
    c = model(tmp_path, kubespray_layout())
    assert zone(c, "node1") == "eu1-a"  # host_vars
    assert zone(c, "node3") == "eu1-c"  # host_vars beat group_vars
    assert zone(c, "node2") == "eu1-a"  # group_vars/k8s_cluster
    # kube_node's vars: in hosts.yaml are inventory group vars, below group_vars/ files in Ansible's order
    assert zone(c, "node4") == "eu1-a"
    z = c.node("node3")
    assert z is not None and z.zone is not None
    assert (z.zone.span.path, z.zone.span.line) == ("inventory/mycluster/host_vars/node3.yml", 2)


def test_load_balancer_from_group_vars_all(tmp_path: Path) -> None:
    c = model(tmp_path, kubespray_layout())
    assert c.lb_dns is not None and c.lb_dns.value == "k8s-api.example.com"
    assert c.lb_vip is not None and c.lb_vip.value == "10.3.0.100"
    assert c.lb_vip.span.path == "inventory/mycluster/group_vars/all/all.yml" and c.lb_vip.span.line == 5


def test_group_vars_file_named_after_the_group(tmp_path: Path) -> None:
    files = kubespray_layout()
    del files["inventory/mycluster/group_vars/k8s_cluster/k8s-cluster.yml"]
    files["inventory/mycluster/group_vars/kube_node.yml"] = (
        "node_labels: {topology.kubernetes.io/zone: eu1-z}\n")
    c = model(tmp_path, files)
    assert zone(c, "node4") == "eu1-z" and zone(c, "node5") == "eu1-z"
    assert zone(c, "node2") is None


def test_kube_vip(tmp_path: Path) -> None:
    files = kubespray_layout()
    files["inventory/mycluster/group_vars/all/all.yml"] = (
        "kube_vip_enabled: true\nkube_vip_address: 10.3.0.200\n")
    c = model(tmp_path, files)
    assert c.lb_vip is not None and c.lb_vip.value == "10.3.0.200" and c.lb_dns is None


def test_templated_values_are_not_addresses(tmp_path: Path) -> None:
    files = kubespray_layout()
    files["inventory/mycluster/group_vars/all/all.yml"] = 'access_ip: "{{ ip }}"\n'
    c = model(tmp_path, files)
    assert addresses(c, "node2") == ["10.3.0.2", "95.54.0.13"]


INI = """\
[all]
node1 ansible_host=95.54.0.12 ip=10.3.0.1
node2 ansible_host=95.54.0.13
node3 ansible_host=95.54.0.14
node4 ansible_host=95.54.0.15

[kube_control_plane]
node1
node2
node3

[etcd:children]
kube_control_plane

[kube_node]
node4

[rack_b]
node2
node4

[rack_b:vars]
node_labels='{"topology.kubernetes.io/zone": "rack-b"}'

[all:vars]
apiserver_loadbalancer_domain_name=k8s-api.example.com
"""


def test_ini_group_vars(tmp_path: Path) -> None:
    etcd_vars = "node_labels: {topology.kubernetes.io/zone: rack-e}\n"
    c = model(tmp_path, {"inventory/prod/inventory.ini": INI,
                         "inventory/prod/host_vars/node2.yml": "ip: 10.3.0.2\n",
                         "inventory/prod/group_vars/etcd.yml": etcd_vars})
    assert addresses(c, "node1") == ["10.3.0.1", "95.54.0.12"]
    assert addresses(c, "node2") == ["10.3.0.2", "95.54.0.13"]  # host_vars/node2.yml
    assert zone(c, "node4") == "rack-b"  # [rack_b:vars]
    assert zone(c, "node2") == "rack-e"  # group_vars/etcd.yml beats [rack_b:vars]
    assert zone(c, "node3") == "rack-e"  # etcd through etcd:children
    assert c.lb_dns is not None and c.lb_dns.value == "k8s-api.example.com"
    assert (c.lb_dns.span.path, c.lb_dns.span.line) == ("inventory/prod/inventory.ini", 26)


def test_deeper_group_wins_among_inventory_group_vars(tmp_path: Path) -> None:
    ini = """\
[kube_control_plane]
cp1

[k8s_cluster:children]
kube_control_plane

[k8s_cluster:vars]
ip=10.0.0.99

[kube_control_plane:vars]
ip=10.0.0.11
"""
    c = model(tmp_path, {"hosts.ini": ini})
    assert addresses(c, "cp1") == ["10.0.0.11"]


def test_host_ranges(tmp_path: Path) -> None:
    ini = "[masters]\nmaster[1:3].lab.local\n\n[workers]\nworker[01:02].lab.local\n"
    c = model(tmp_path, {"hosts": ini})
    assert [n.name for n in c.control_plane] == [f"master{i}.lab.local" for i in (1, 2, 3)]
    assert sorted(n.name for n in c.nodes if "worker" in n.roles) == [f"worker0{i}.lab.local" for i in (1, 2)]


@pytest.mark.parametrize(("pattern", "hosts"), [
    ("www[01:03].example.com", ["www01.example.com", "www02.example.com", "www03.example.com"]),
    ("db-[a:c]", ["db-a", "db-b", "db-c"]),
    ("n[1:9:4]", ["n1", "n5", "n9"]),
    ("plain", ["plain"]),
])
def test_expand_hosts(pattern: str, hosts: list[str]) -> None:
    assert expand_hosts(pattern) == hosts


def test_rules_see_the_kubespray_facts(tmp_path: Path) -> None:
    """The load balancer from group_vars/all reaches KA104; the addresses from host_vars join the nodes."""
    files = kubespray_layout()
    files["inventory/mycluster/kubeadm.yaml"] = """\
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.36.2
controlPlaneEndpoint: k8s-api.example.com:6443
"""
    files["inventory/mycluster/init.yaml"] = """\
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint: {advertiseAddress: 10.3.0.1}
"""
    write(tmp_path, files)
    report = lint(["inventory/mycluster"], Config(select=("KA104",), jobs=1), cwd=tmp_path)
    got = [(f.rule_id, f.span.path, f.span.line) for f in report.findings]
    assert got == [("KA104", "inventory/mycluster/kubeadm.yaml", 4)]  # 10.3.0.100 is not in the certificate
    (root,) = [r for r in discover(["inventory/mycluster"], tmp_path)]
    c = build(root.display, load_files(root, 5 << 20, 1))
    assert [n.name for n in c.control_plane] == ["node1", "node2", "node3"]  # the init joins node1 by address


CORPUS = [
    ("inventory/kubespray-docs-inventory.ini", ["node1", "node2"], 3),
    ("inventory/kubespray-calico-rr-inventory.ini", ["node2", "node3"], 3),
    ("inventory/rameshwar-dudhe-2node-inventory.ini", ["k8s-cp-0"], 1),
    ("inventory/dmitriy-py-diploma-hosts.yaml", ["master"], 1),
    ("inventory/haozheng95-kubespray-v2.12-hosts.yaml", ["node1"], 3),
    ("inventory/adamcathersides-singlenode-hosts.ini", ["node1"], 1),
    ("mixed-cluster/robmokkink-k8s-homelab/hosts", [f"master{i}.lab.local" for i in (1, 2, 3)], 0),
]


@pytest.mark.parametrize(("path", "control_plane", "etcd"), CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_inventories(shared: Path, tmp_path: Path, path: str, control_plane: list[str],
                            etcd: int) -> None:
    src = shared / "corpus" / path
    shutil.copy(src, tmp_path / src.name)
    c = model(tmp_path, {})
    assert [n.name for n in c.control_plane] == control_plane
    assert len(c.etcd_nodes()) == etcd


def test_corpus_calico_rr_keeps_deprecated_ssh_host(shared: Path, tmp_path: Path) -> None:
    src = shared / "corpus" / "inventory" / "kubespray-calico-rr-inventory.ini"
    shutil.copy(src, tmp_path / "inventory.ini")
    c = model(tmp_path, {})
    assert addresses(c, "rr0") == ["10.210.1.10"]  # ip and ansible_ssh_host agree
