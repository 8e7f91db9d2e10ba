"""What KubeKey will deploy, read from its v3 Cluster: nodes and roles with ranges, the endpoint as KubeKey
resolves it, the certificate names it adds, component args, backups; odd values never crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kublint.discovery import discover
from kublint.engine import load_files
from kublint.model.build import build
from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.model.kubekey import expand, on_calendar
from kublint.model.types import InstallerFacts

HEAD = """\
apiVersion: kubekey.kubesphere.io/v1alpha2
kind: Cluster
metadata: {name: t}
spec:
  hosts:
  - {name: m1, address: 192.168.0.11, internalAddress: 10.0.0.11}
  - {name: m2, address: 192.168.0.12, internalAddress: 10.0.0.12}
  - {name: m3, address: 192.168.0.13, internalAddress: "10.0.0.13,fd00::13"}
  - {name: w1, address: 192.168.0.21, internalAddress: 10.0.0.21}
  roleGroups:
    etcd: [m1, m2, m3]
    control-plane: ["m[1:3]"]
    worker: [w1]
"""


def model(tmp_path: Path, text: str) -> Cluster:
    (tmp_path / "config.yaml").write_text(text)
    (root,) = [r for r in discover(["."], tmp_path) if r.candidates]
    return build(root.display, load_files(root, 5 << 20, 1))


def kubekey(c: Cluster) -> InstallerFacts:
    (facts,) = [i for i in c.installers if i.installer == "kubekey"]
    return facts


def test_classified_and_roles(tmp_path: Path) -> None:
    c = model(tmp_path, HEAD)
    assert [f.kind for f in c.files] == [Kind.KUBEKEY]
    assert [n.name for n in c.control_plane] == ["m1", "m2", "m3"]
    assert c.voting_count == 3
    m3 = next(n for n in c.nodes if n.name == "m3")
    assert [a.value for a in m3.addresses] == ["10.0.0.13", "fd00::13", "192.168.0.13"]


def test_endpoint_is_the_first_masters_internal_address(tmp_path: Path) -> None:
    c = model(tmp_path, HEAD + "  controlPlaneEndpoint: {domain: lb.kubesphere.local, port: 6443}\n")
    (e,) = kubekey(c).endpoints
    assert (e.host, e.port, e.raw.span.line) == ("10.0.0.11", 6443, 14)


@pytest.mark.parametrize(("cpe", "host"), [
    ("{internalLoadbalancer: haproxy, address: \"\"}", "lb.kubesphere.local"),
    ("{externalDNS: true, domain: api.example.net}", "api.example.net"),
    ("{address: 10.0.0.100, internalLoadbalancer: kube-vip}", "10.0.0.100"),
    ("{address: 127.0.0.1}", "10.0.0.11"),  # KubeKey replaces 127.0.0.1 with the first master
])
def test_endpoint_forms(tmp_path: Path, cpe: str, host: str) -> None:
    c = model(tmp_path, HEAD + f"  controlPlaneEndpoint: {cpe}\n")
    (e,) = kubekey(c).endpoints
    assert e.host == host


def test_kube_vip_address_is_a_load_balancer_address(tmp_path: Path) -> None:
    cpe = "  controlPlaneEndpoint: {address: 10.0.0.100, internalLoadbalancer: kube-vip}\n"
    c = model(tmp_path, HEAD + cpe)
    assert c.lb_vip is not None and c.lb_vip.value == "10.0.0.100"


def test_certificate_names(tmp_path: Path) -> None:
    c = model(tmp_path, HEAD + "  kubernetes:\n    apiserverCertExtraSans: [api.example.net]\n")
    (sans,) = kubekey(c).cert_sans
    assert [s.value for s in sans.entries] == ["api.example.net"]
    for name in ("lb.kubesphere.local", "w1", "w1.cluster.local", "192.168.0.21", "10.233.0.1", "fd00::13"):
        assert name in sans.implicit, name


def test_flags_version_renewal(tmp_path: Path) -> None:
    c = model(tmp_path, HEAD + (
        "  kubernetes:\n    version: v1.34.2\n    autoRenewCerts: true\n"
        "    schedulerArgs: [leader-elect=false, \"--profiling=true\", junk, 7]\n"
    ))
    got = [(f.component, f.name, f.value, f.span.line) for f in c.flags]
    assert got == [("kube-scheduler", "leader-elect", "false", 17),
                   ("kube-scheduler", "profiling", "true", 17)]
    facts = kubekey(c)
    assert facts.kubernetes_version is not None and facts.kubernetes_version.value == "v1.34.2"
    assert len(c.renewal_jobs) == 1


@pytest.mark.parametrize(("etcd", "schedule"), [
    ("", "OnCalendar=*-*-* 00:00:00"),
    ("  etcd: {backupPeriod: 30}\n", "OnCalendar=*-*-* *:00/30:00"),
    ("  etcd: {backupPeriod: 360}\n", "OnCalendar=*-*-* 00/6:00:00"),
    ("  etcd: {type: kubeadm}\n", None),
    ("  etcd: {type: external, external: {endpoints: [https://10.0.1.1:2379]}}\n", None),
])
def test_backups(tmp_path: Path, etcd: str, schedule: str | None) -> None:
    c = model(tmp_path, HEAD + etcd)
    got = [b.schedule.value for b in c.backups if b.schedule is not None]
    assert got == ([schedule] if schedule else [])


def test_etcd_type_kubeadm_stacks_on_the_masters(tmp_path: Path) -> None:
    c = model(tmp_path, HEAD.replace("etcd: [m1, m2, m3]", "etcd: [w1]") + "  etcd: {type: kubeadm}\n")
    assert sorted(n.name for n in c.etcd_nodes()) == ["m1", "m2", "m3"]


def test_expand_and_calendar() -> None:
    assert expand("node[2:4]") == ["node2", "node3", "node4"]
    assert expand("plain") == ["plain"]
    assert len(expand("n[0:999999]")) == 10_000
    assert on_calendar(0) == "*-*-* *:00/30:00"
    assert on_calendar(1440 * 3) == "*-*-* 00:00:00"


@pytest.mark.parametrize("spec", [
    {"hosts": "x"}, {"hosts": [None, 3, {"name": None}]}, {"roleGroups": [1]}, {"roleGroups": {"etcd": "m1"}},
    {"controlPlaneEndpoint": {"port": "abc"}}, {"controlPlaneEndpoint": "x"}, {"etcd": {"backupPeriod": "x"}},
    {"kubernetes": {"apiserverCertExtraSans": "x", "controllerManagerArgs": {"a": 1}}},
    {"etcd": {"heartbeatInterval": [1], "electionTimeout": 10**30}},
])
def test_odd_values_never_crash(tmp_path: Path, spec: dict[str, Any]) -> None:
    import json

    text = "apiVersion: kubekey.kubesphere.io/v1alpha2\nkind: Cluster\nspec: " + json.dumps(spec) + "\n"
    c = model(tmp_path, text)
    assert kubekey(c).installer == "kubekey"


V4_INVENTORY = """\
apiVersion: kubekey.kubesphere.io/v1
kind: Inventory
spec:
  hosts:
    a: {internal_ipv4: 10.9.0.1}
    b: {connector: {host: 10.9.0.2}}
    c: {internal_ipv4: 10.9.0.3}
  groups:
    k8s_cluster: {groups: [kube_control_plane, kube_worker]}
    kube_control_plane: {hosts: [a, b, c]}
    kube_worker: {hosts: [c, ghost]}
    etcd: {hosts: [a, b, c]}
"""


def test_v4_inventory_and_config(tmp_path: Path) -> None:
    (tmp_path / "kk-config.yaml").write_text(
        "apiVersion: kubekey.kubesphere.io/v1\nkind: Config\nspec:\n"
        "  kubernetes:\n    kube_version: v1.35.0\n"
        "  etcd: {backup: {on_calendar: '*-*-* 02:00:00'}}\n"
    )
    c = model(tmp_path, V4_INVENTORY)
    assert sorted(n.name for n in c.control_plane) == ["a", "b", "c"]
    assert [n.name for n in c.nodes if n.has("worker")] == ["c"]  # "ghost" is not a host: dropped
    facts = kubekey(c)
    (e,) = facts.endpoints
    assert (e.host, e.raw.span.line) == ("10.9.0.1", 10)
    assert facts.kubernetes_version is not None and facts.kubernetes_version.value == "v1.35.0"
    assert [b.schedule.value for b in c.backups if b.schedule] == ["OnCalendar=*-*-* 02:00:00"]
