"""The cluster model: one node per machine however many inputs name it, roles from Ansible groups."""

from __future__ import annotations

from pathlib import Path

from kublint.discovery import discover
from kublint.engine import load_files
from kublint.model.build import build
from kublint.model.cluster import Cluster


def model(tmp_path: Path, files: dict[str, str], groups: dict[str, list[str]] | None = None) -> Cluster:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (root,) = discover(["."], tmp_path)
    return build(root.display, load_files(root, 5 << 20, 1), groups)


INVENTORY = """\
apiVersion: kublint.dev/v1alpha1
kind: Inventory
cluster: {name: c}
nodes:
  - {name: cp1, address: 10.0.0.11, roles: [control-plane, etcd]}
  - {name: cp2, address: 10.0.0.12, roles: [control-plane, etcd]}
  - {name: cp3, address: 10.0.0.13, roles: [control-plane, etcd]}
"""


def test_node_named_by_inventory_and_kubeadm_is_one(tmp_path: Path) -> None:
    kubeadm = """\
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint: {advertiseAddress: 10.0.0.11}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
nodeRegistration: {name: cp2}
controlPlane: {localAPIEndpoint: {advertiseAddress: 10.0.0.12}}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
"""
    c = model(tmp_path, {"inventory.yaml": INVENTORY, "kubeadm.yaml": kubeadm})
    assert [n.name for n in c.control_plane] == ["cp1", "cp2", "cp3"]
    assert c.etcd_stacked and c.etcd_count == 3
    cp1 = c.node("cp1")
    assert cp1 is not None and len(cp1.evidence) == 2 and cp1.span.path == "inventory.yaml"


def test_external_members_joined_by_address(tmp_path: Path) -> None:
    etcd = """\
name: e1
initial-advertise-peer-urls: https://10.0.1.1:2380
initial-cluster: e1=https://10.0.1.1:2380,e2=https://10.0.1.2:2380,e3=https://10.0.1.3:2380
"""
    kubeadm = """\
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
etcd:
  external:
    endpoints: [https://10.0.1.1:2379, https://10.0.1.2:2379, "https://[::ffff:10.0.1.3]:2379"]
"""
    c = model(tmp_path, {"etcd.yaml": etcd, "kubeadm.yaml": kubeadm})
    assert not c.etcd_stacked
    assert sorted(m.name for m in c.etcd_members) == ["e1", "e2", "e3"]
    assert c.etcd_member_list is not None and c.etcd_member_list.path == "etcd.yaml"


def test_kubespray_ini_groups_map_to_roles(tmp_path: Path) -> None:
    ini = """\
[all]
node1 ansible_host=95.54.0.12 ip=10.3.0.1 etcd_member_name=etcd1
node2 ansible_host=95.54.0.13 ip=10.3.0.2
node3 ansible_host=95.54.0.14 ip=10.3.0.3
node4 ansible_host=95.54.0.15 ip=10.3.0.4

[kube-master]
node1
node2

[etcd]
node1
node2
node3

[kube-node]
node4

[k8s-cluster:children]
kube-master
kube-node
"""
    c = model(tmp_path, {"hosts.ini": ini})
    roles = {n.name: sorted(n.roles) for n in c.nodes}
    assert roles == {
        "node1": ["control-plane", "etcd"],
        "node2": ["control-plane", "etcd"],
        "node3": ["etcd"],
        "node4": ["worker"],
    }
    assert [a.value for a in c.nodes[0].addresses] == ["10.3.0.1", "95.54.0.12"]
    assert not c.etcd_stacked and c.etcd_count == 3
    assert c.worker_count == 1


def test_ansible_yaml_children_and_custom_groups(tmp_path: Path) -> None:
    yml = """\
all:
  hosts:
    m1: {ansible_host: 10.0.0.1}
    m2: {ansible_host: 10.0.0.2}
    w1: {ansible_host: 10.0.0.9}
  children:
    masters:
      hosts: {m1: {}, m2: {}}
    db:
      hosts: {m1: {}, m2: {}}
    compute:
      children:
        gpu:
          hosts: {w1: {}}
"""
    c = model(tmp_path, {"hosts.yaml": yml}, groups={"etcd": ["db"], "worker": ["compute"]})
    roles = {n.name: sorted(n.roles) for n in c.nodes}
    assert roles == {"m1": ["control-plane", "etcd"], "m2": ["control-plane", "etcd"], "w1": ["worker"]}


def test_flags_v1beta3_map_and_v1beta4_list(tmp_path: Path) -> None:
    kubeadm = """\
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  extraArgs: {profiling: "false", audit-log-path: /var/log/audit.log}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controllerManager:
  extraArgs:
    - {name: leader-elect, value: "true"}
    - {name: leader-elect, value: "false"}
"""
    c = model(tmp_path, {"kubeadm.yaml": kubeadm})
    assert [(f.name, f.value) for f in c.flags_for("kube-apiserver", "profiling")] == [("profiling", "false")]
    le = c.flags_for("kube-controller-manager", "leader-elect")
    assert [f.value for f in le] == ["true", "false"] and le[1].span.line == 11


def test_backups_from_every_source(tmp_path: Path) -> None:
    files = {
        "kubeadm.yaml": "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n",
        "cron/etcd-backup": "0 1 * * * root etcdutl snapshot save /b/db\n",
        "systemd/backup.service": "[Service]\nExecStart=/usr/bin/etcdctl snapshot save /b/db\n",
        "systemd/backup.timer": "[Timer]\nOnCalendar=daily\n",
    }
    c = model(tmp_path, files)
    assert sorted((b.kind, b.schedule.value if b.schedule else None) for b in c.backups) == [
        ("crontab", "0 1 * * *"),
        ("systemd-timer", "OnCalendar=daily"),
    ]
