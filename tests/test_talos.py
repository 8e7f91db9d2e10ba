"""Talos as talhelper and Talos will deploy it: talconfig.yaml and machine configs are recognised by content,
give nodes (every control plane an etcd member), the endpoint, the certificate names Talos adds, VIPs, flags
and versions at their own lines; ${VAR} from a plain talenv.yaml, patches inline or from a file; unknown
values are left out, and no input crashes the reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kublint.discovery import discover
from kublint.engine import load_files
from kublint.model.build import build
from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.model.talos import Env, extract, is_machine_config, is_talconfig
from kublint.model.types import CONTROL_PLANE, ETCD, WORKER, InstallerFacts

TALCONFIG = """\
clusterName: lab
kubernetesVersion: v1.36.2
endpoint: https://${vip}:6443
domain: corp.local
clusterSvcNets:
  - 10.43.0.0/16
additionalApiServerCertSans:
  - k8s.lab.example.net
nodes:
  - hostname: cp1
    ipAddress: 10.0.0.11
    controlPlane: true
    networkInterfaces:
      - interface: eth0
        vip:
          ip: ${vip}
  - hostname: cp2
    ipAddress: 10.0.0.12, fd00::12
    controlPlane: true
  - hostname: w1
    ipAddress: 10.0.0.21
    controlPlane: false
"""
MACHINE = """\
version: v1alpha1
machine:
  type: controlplane
  network:
    hostname: cp1
    interfaces:
      - interface: eth0
        addresses: [10.0.0.11/24]
        vip:
          ip: 10.0.0.10
cluster:
  controlPlane:
    endpoint: https://10.0.0.10:6443
  apiServer:
    image: registry.k8s.io/kube-apiserver:v1.36.1
    certSANs: [api.example.net]
  controllerManager:
    extraArgs:
      leader-elect: false
  etcd:
    extraArgs:
      data-dir: /x
"""


def model(tmp_path: Path, files: dict[str, str]) -> Cluster:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    roots = [r for r in discover(["."], tmp_path) if r.candidates]
    (root,) = roots
    return build(root.display, load_files(root, 5 << 20, 1))


def talos(c: Cluster) -> InstallerFacts:
    (facts,) = [i for i in c.installers if i.installer == "talos"]
    return facts


def kinds(c: Cluster) -> dict[str, Kind | None]:
    return {f.path: f.kind for f in c.files}


# --- recognition --------------------------------------------------------------------------------------------


def test_talconfig_and_machine_config_are_talos_by_content(tmp_path: Path) -> None:
    c = model(tmp_path, {"cluster/cfg.yaml": TALCONFIG, "cluster/cp1.yaml": MACHINE,
                         "cluster/talenv.yaml": "vip: 10.0.0.10\n"})
    k = kinds(c)
    assert k["cluster/cfg.yaml"] is Kind.TALOS
    assert k["cluster/cp1.yaml"] is Kind.TALOS
    assert k["cluster/talenv.yaml"] is None


def test_recognition_needs_the_shape() -> None:
    assert is_talconfig({"nodes": [{"hostname": "a"}], "endpoint": "https://a:6443"})
    assert is_talconfig({"nodes": [{"ipAddress": "10.0.0.1"}]}, "talconfig.yml")  # the name is a hint
    assert not is_talconfig({"nodes": [{"ipAddress": "10.0.0.1"}]}, "nodes.yaml")
    assert not is_talconfig({"nodes": [{"name": "a"}], "clusterName": "x"})
    assert not is_talconfig({"nodes": "cp1", "clusterName": "x"})
    assert is_machine_config({"version": "v1alpha1", "machine": {"type": "worker"}, "cluster": {}})
    assert not is_machine_config({"version": "v1alpha1", "machine": "x", "cluster": {}})
    assert not is_machine_config({"version": "v1", "machine": {}, "cluster": {}})


def test_multi_document_machine_config(tmp_path: Path) -> None:
    text = MACHINE.replace("    hostname: cp1\n", "")
    text += "---\napiVersion: v1alpha1\nkind: HostnameConfig\nhostname: cp9\n"
    c = model(tmp_path, {"controlplane.yaml": text})
    assert [n.name for n in c.control_plane] == ["cp9"]


def test_a_talconfig_directory_is_a_root(tmp_path: Path) -> None:
    (tmp_path / "talos").mkdir()
    (tmp_path / "talos" / "talconfig.yaml").write_text(TALCONFIG)
    (tmp_path / "README.md").write_text("x")
    roots = [r.display for r in discover(["."], tmp_path) if r.candidates]
    assert roots == ["talos"]


# --- extraction ---------------------------------------------------------------------------------------------


def test_talconfig_nodes_roles_and_member_list(tmp_path: Path) -> None:
    c = model(tmp_path, {"talconfig.yaml": TALCONFIG, "talenv.yaml": "vip: 10.0.0.10\n"})
    roles = {n.name: n.roles for n in c.nodes}
    assert roles == {"cp1": {CONTROL_PLANE, ETCD}, "cp2": {CONTROL_PLANE, ETCD}, "w1": {WORKER}}
    cp2 = c.node("cp2")
    assert cp2 is not None and [a.value for a in cp2.addresses] == ["10.0.0.12", "fd00::12"]
    assert c.etcd_member_list is not None and (c.etcd_member_list.line, c.etcd_member_list.col) == (9, 1)
    assert c.voting_members is not None and c.voting_members.names == ("cp1", "cp2")


def test_endpoint_sans_and_vip_from_talenv(tmp_path: Path) -> None:
    c = model(tmp_path, {"talconfig.yaml": TALCONFIG, "talenv.yaml": "vip: 10.0.0.10\n"})
    t = talos(c)
    (e,) = t.endpoints
    assert (e.host, e.port, e.setting) == ("10.0.0.10", 6443, "endpoint")
    assert (e.raw.value, e.raw.span.line, e.raw.span.col) == ("https://10.0.0.10:6443", 3, 11)
    (s,) = t.cert_sans
    assert [x.value for x in s.entries] == ["k8s.lab.example.net"]
    assert s.span is not None and s.span.line == 7 and s.setting == "additionalApiServerCertSans"
    for name in ("10.0.0.10", "kubernetes.default.svc.corp.local", "10.43.0.1", "localhost", "127.0.0.1"):
        assert name in s.implicit
    assert s.adder == "Talos" and s.node_names
    assert c.lb_vip is not None and (c.lb_vip.value, c.lb_vip.span.line) == ("10.0.0.10", 16)
    assert t.kubernetes_version is not None and t.kubernetes_version.value == "v1.36.2"
    assert {s.name for s in t.settings} >= {"clusterName", "vip"}


@pytest.mark.parametrize("talenv", [None, "sops:\n  version: 3\nvip: ENC[AES256_GCM,data:x]\n",
                                    "vip: ENC[AES256_GCM,data:x]\n", "other: 1\n"])
def test_an_unknown_variable_is_no_fact(tmp_path: Path, talenv: str | None) -> None:
    files = {"talconfig.yaml": TALCONFIG}
    if talenv is not None:
        files["talenv.yaml"] = talenv
    c = model(tmp_path, files)
    t = talos(c)
    assert t.endpoints == ()
    assert c.lb_vip is None
    assert "10.0.0.10" not in t.cert_sans[0].implicit


def test_env_substitution() -> None:
    env = Env({"a": "1", "b": "x"})
    assert env.text("${a}.${b}") == "1.x"
    assert env.text("${c}") is None
    assert env.text("$c") is None  # a bare variable is unknown too
    assert env.text(True) == "true"
    assert env.text(["x"]) is None


def test_patches_inline_file_and_order(tmp_path: Path) -> None:
    text = TALCONFIG.replace("vip: ${vip}", "vip: 10.0.0.10").replace("${vip}", "10.0.0.10") + """\
patches:
  - "@./patches/etcd.yaml"
  - '{"cluster": {"scheduler": {"extraArgs": {"v": "2"}}}}'
  - |-
    - op: add
      path: /cluster/apiServer/extraArgs
      value: {profiling: "true"}
controlPlane:
  patches:
    - |-
      cluster:
        controllerManager:
          extraArgs:
            leader-elect: "false"
        etcd:
          extraArgs:
            quota-backend-bytes: "${quota}"
"""
    c = model(tmp_path, {
        "talconfig.yaml": text,
        "patches/etcd.yaml": "cluster:\n  etcd:\n    extraArgs:\n      quota-backend-bytes: '4096'\n"
                             "      election-timeout: '2000'\n",
    })
    flags = {(f.component, f.name): f for f in talos(c).flags}
    le = flags[("kube-controller-manager", "leader-elect")]
    assert (le.value, le.span.line, le.span.col) == ("false", 36, 27)  # its own line in the literal block
    assert le.origin == "cluster.controllerManager.extraArgs (controlPlane.patches[0])"
    et = flags[("etcd", "election-timeout")]
    assert (et.span.path, et.span.line) == ("patches/etcd.yaml", 5)
    assert "@./patches/etcd.yaml" in et.origin
    # a later patch with an unknown value: the earlier value no longer holds
    assert ("etcd", "quota-backend-bytes") not in flags
    v = flags[("kube-scheduler", "v")]
    assert v.span.line == 25 and v.value == "2"  # a quoted patch reports at its string
    assert ("kube-apiserver", "profiling") not in flags  # RFC6902 patches are not read
    assert c.control_plane_count == 2


def test_missing_patch_file_and_odd_patch_items(tmp_path: Path) -> None:
    text = TALCONFIG + (
        "patches:\n  - '@./nowhere.yaml'\n  - 12\n  - '- not a map'\n  - 'a: [unclosed'\n  - null\n")
    c = model(tmp_path, {"talconfig.yaml": text})
    assert talos(c).flags == ()


def test_machine_configs(tmp_path: Path) -> None:
    worker = "version: v1alpha1\nmachine:\n  type: worker\n  network: {hostname: w1}\ncluster:\n" \
             "  controlPlane: {endpoint: 'https://10.0.0.10:6443'}\n"
    template = MACHINE.replace("    hostname: cp1\n", "").replace("type: controlplane", "type: init")
    c = model(tmp_path, {"cp1.yaml": MACHINE, "w1.yaml": worker, "templates/controlplane.yaml": template})
    assert {n.name: n.roles for n in c.nodes} == {"cp1": {CONTROL_PLANE, ETCD}, "w1": {WORKER}}
    cp1 = c.node("cp1")
    assert cp1 is not None and [a.value for a in cp1.addresses] == ["10.0.0.11"]
    facts = [i for i in c.installers if i.installer == "talos"]
    assert len(facts) == 2  # cp1 and the template; a worker runs no control plane
    t = facts[0]
    assert t.endpoints[0].setting == "cluster.controlPlane.endpoint"
    assert t.kubernetes_version is not None and t.kubernetes_version.value == "v1.36.1"
    assert [x.value for x in t.cert_sans[0].entries] == ["api.example.net"]
    assert {(f.component, f.name, f.value) for f in t.flags} == {
        ("kube-controller-manager", "leader-elect", "false"), ("etcd", "data-dir", "/x")}


def test_talhelper_output_is_not_read_twice(tmp_path: Path) -> None:
    c = model(tmp_path, {"talconfig.yaml": TALCONFIG, "talenv.yaml": "vip: 10.0.0.10\n",
                         "clusterconfig/lab-cp1.yaml": MACHINE})
    assert len([i for i in c.installers if i.installer == "talos"]) == 1


def test_topology_shows_the_talos_facts(tmp_path: Path) -> None:
    from kublint.topology import describe, to_json

    c = model(tmp_path, {"talconfig.yaml": TALCONFIG, "talenv.yaml": "vip: 10.0.0.10\n"})
    t = describe(c)
    assert [f.value for f in t.endpoints] == ["https://10.0.0.10:6443"]
    assert t.lb_vip is not None and t.lb_vip.value == "10.0.0.10"
    assert [i.name for i in t.installers] == ["talos"]
    assert "talos" in json.dumps(to_json(t))


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "clusterName: x\nnodes: [1, null, [], {hostname: [a]}, {ipAddress: {a: 1}},\n"
    "  {hostname: cp, controlPlane: yes}]\n",
    "clusterName: x\nendpoint: 5\nnodes: [{hostname: a, networkInterfaces: 3}]\n"
    "additionalApiServerCertSans: a\n",
    "clusterName: x\nendpoint: 'https://[::1'\n"
    "nodes: [{hostname: a, networkInterfaces: [{vip: 3}, {vlans: x}]}]\n",
    "clusterName: x\nnodes: [{hostname: a}]\npatches: {a: b}\ncontrolPlane: [1]\nclusterSvcNets: [null, 1]\n",
    "clusterName: x\nnodes: [{hostname: a}]\ndomain: [x]\npatches: ['" + "a" * 200_000 + "']\n",
    "clusterName: x\nnodes: [{hostname: " + "n" * 100_000 + ", ipAddress: '" + "1," * 5000 + "'}]\n",
    "clusterName: x\nnodes: [{hostname: a}]\npatches:\n  - |\n    cluster: " + "[" * 300 + "\n",
])
def test_odd_talconfigs_never_crash(tmp_path: Path, text: str) -> None:
    c = model(tmp_path, {"talconfig.yaml": text})
    assert talos(c).installer == "talos"


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
_KEYS = st.sampled_from(["endpoint", "nodes", "patches", "additionalApiServerCertSans", "clusterSvcNets",
                         "domain", "kubernetesVersion", "controlPlane", "clusterName"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(_KEYS, _VALUES, max_size=6), st.dictionaries(_KEYS, _VALUES, max_size=4))
def test_any_values_give_facts_or_nothing(top: dict[str, object], node: dict[str, object]) -> None:
    from kublint.model.files import ParsedFile
    from kublint.parsers.yaml import parse_yaml
    from kublint.source import SourceFile

    data = {"clusterName": "x", **top, "nodes": [{"hostname": "cp1", "controlPlane": True, **node}]}
    src = SourceFile("talconfig.yaml", Path("/nonexistent/talconfig.yaml"), json.dumps(data))
    pf = ParsedFile(src, Kind.TALOS, False, documents=parse_yaml(src).documents)
    for facts in extract(pf, (pf,)):
        assert facts.installer is not None
        for e in facts.installer.endpoints:
            assert isinstance(e.raw.value, str)
