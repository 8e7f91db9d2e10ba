"""k3s and RKE2 config files: which files are theirs, how one node's files merge (drop-ins, ``key+``), what
the model takes from them (roles, endpoint, certificate names, flags, snapshots), unknown values and odd
input that must never crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from kublint.config import Config
from kublint.discovery import discover
from kublint.engine import lint, load_files
from kublint.load import classify
from kublint.model.build import build
from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.model.k3s_config import is_config
from kublint.model.types import CONTROL_PLANE, ETCD, WORKER, InstallerFacts
from kublint.source import SourceFile

FIXTURES = Path(__file__).resolve().parent / "fixtures"

SERVER1 = """\
cluster-init: true
node-name: cp1
node-ip: 10.0.0.11
tls-san:
  - k3s.example.net
"""
JOINER = """\
server: https://{host}:6443
node-name: {name}
node-ip: {ip}
tls-san: [k3s.example.net]
"""


def model(tmp_path: Path, files: dict[str, str]) -> Cluster:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (root,) = [r for r in discover(["."], tmp_path) if r.candidates]
    return build(root.display, load_files(root, 5 << 20, 1))


def facts(c: Cluster) -> InstallerFacts:
    (f,) = [i for i in c.installers if i.installer in ("k3s", "rke2")]
    return f


def roles(c: Cluster) -> dict[str, set[str]]:
    return {n.name: set(n.roles) for n in c.nodes}


# --- classification -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "data", "want"), [
    ("etc/rancher/k3s/config.yaml", {"token": "x"}, True),  # the place alone
    ("etc/rancher/rke2/config.yaml", {"cni": "canal"}, True),
    ("etc/rancher/k3s/config.yaml.d/10-san.yaml", {"whatever": 1}, True),  # any drop-in
    ("nodes/cp1.yaml", {"cluster-init": True, "node-ip": "10.0.0.1"}, True),
    ("nodes/cp1.yaml", {"tls-san": ["a"], "write-kubeconfig-mode": "0644"}, True),
    ("k3s/agent.yaml", {"server": "https://a:6443", "token": "t"}, True),  # weak keys, but a k3s path
    ("nodes/agent.yaml", {"server": "https://a:6443", "token": "t"}, False),  # weak keys only
    ("values.yaml", {"server": "x", "token": "y", "replicas": 2}, False),
    ("values.yaml", {"node-ip": "1.2.3.4", "image": {}, "resources": {}, "ingress": {}, "tolerations": []},
     False),  # one known key among many others
    ("group_vars/all.yaml", {"cluster-init": True, "tls-san": ["a"]}, False),  # Ansible's variables
    ("cp1.yaml", {"apiVersion": "v1", "kind": "ConfigMap", "tls-san": [], "cluster-init": True}, False),
    ("cp1.yaml", ["cluster-init", "tls-san"], False),
    ("cp1.yaml", {}, False),
])
def test_is_config(path: str, data: object, want: bool) -> None:
    assert is_config(data, path) is want


def _fixture_files() -> list[Path]:
    out = []
    for p in sorted(FIXTURES.rglob("*")):
        rel = p.relative_to(FIXTURES).as_posix()
        if p.is_file() and "k3s" not in rel and "rke2" not in rel:
            out.append(p)
    return out


def test_no_other_fixture_or_corpus_file_is_k3s(shared: Path) -> None:
    files = _fixture_files() + sorted(p for p in (shared / "corpus").rglob("*") if p.is_file())
    examples = Path(__file__).resolve().parent.parent / "examples"
    files += sorted(p for p in examples.rglob("*") if p.is_file())
    wrong = []
    for p in files:
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        pf = classify(SourceFile(p.as_posix(), p, text), False, None)
        if pf is not None and pf.kind is Kind.K3S:
            wrong.append(p)
    assert len(files) > 500
    assert wrong == []


def test_classified_with_label(tmp_path: Path) -> None:
    c = model(tmp_path, {"rke2/server-1.yaml": "node-ip: 10.0.0.1\nprofile: cis\ncni: cilium\n"})
    assert [f.kind for f in c.files] == [Kind.K3S]
    assert facts(c).installer == "rke2"
    report = lint([str(tmp_path)], Config(jobs=1), cwd=tmp_path)
    assert [label for _, label in report.read_files] == ["k3s (rke2)"]


# --- merging ------------------------------------------------------------------------------------------------


def test_drop_ins_merge_in_name_order_with_appends(tmp_path: Path) -> None:
    base = "cp1/etc/rancher/k3s/"
    c = model(tmp_path, {
        base + "config.yaml": SERVER1 + "etcd-snapshot-retention: 3\n",
        base + "config.yaml.d/20-late.yaml": "tls-san+: [late.example.net]\netcd-snapshot-retention: 9\n",
        base + "config.yaml.d/10-early.yaml": "tls-san+:\n  - early.example.net\nnode-ip: 10.0.0.99\n",
        base + "config.yaml.d/30-replace.yml": "kube-apiserver-arg: [audit-log-maxage=30]\n",
    })
    assert [n.name for n in c.nodes] == ["cp1"]  # one node, named by node-name
    (sans,) = facts(c).cert_sans
    assert [e.value for e in sans.entries] == ["k3s.example.net", "early.example.net", "late.example.net"]
    assert [(e.span.path.rsplit("/", 1)[-1], e.span.line) for e in sans.entries] == [
        ("config.yaml", 5), ("10-early.yaml", 2), ("20-late.yaml", 1)]
    assert sans.span is not None and sans.span.path.endswith("20-late.yaml")  # the key that set it last
    assert [a.value for a in c.nodes[0].addresses] == ["10.0.0.99"]  # the later file replaced node-ip
    (backup,) = c.backups
    assert "9 kept" in backup.description
    (flag,) = [f for f in c.flags if f.component == "kube-apiserver"]
    assert (flag.name, flag.value, flag.span.line) == ("audit-log-maxage", "30", 1)


def test_append_without_earlier_value_sets_it_and_plain_key_replaces(tmp_path: Path) -> None:
    c = model(tmp_path, {
        "etc/rancher/k3s/config.yaml": "cluster-init: true\nnode-ip: 10.0.0.1\n",
        "etc/rancher/k3s/config.yaml.d/a.yaml": "tls-san+: a.example\n",
        "etc/rancher/k3s/config.yaml.d/b.yaml": "tls-san: b.example,c.example\n",
    })
    (sans,) = facts(c).cert_sans
    assert [e.value for e in sans.entries] == ["b.example", "c.example"]


def test_drop_ins_without_main_file(tmp_path: Path) -> None:
    c = model(tmp_path, {"srv/config.yaml.d/00.yaml": "cluster-init: true\n",
                         "srv/config.yaml.d/01.yaml": "node-ip: 10.1.1.1\n"})
    assert [(n.name, [a.value for a in n.addresses]) for n in c.nodes] == [("srv", ["10.1.1.1"])]


# --- roles, endpoint, names, flags, backups -----------------------------------------------------------------


def test_three_servers_and_an_agent(tmp_path: Path) -> None:
    c = model(tmp_path, {
        "k3s/cp1.yaml": SERVER1,
        "k3s/cp2.yaml": JOINER.format(host="k3s.example.net", name="cp2", ip="10.0.0.12"),
        "k3s/cp3.yaml": JOINER.format(host="k3s.example.net", name="cp3", ip="10.0.0.13"),
        "k3s/worker-1.yaml": "server: https://k3s.example.net:6443\ntoken: abc\nnode-label: [a=b]\n",
    })
    both = {CONTROL_PLANE, ETCD}
    assert roles(c) == {"cp1": both, "cp2": both, "cp3": both, "worker-1": {WORKER}}
    assert c.voting_count == 3
    (e,) = facts(c).endpoints
    assert (e.host, e.port, e.raw.value) == ("k3s.example.net", 6443, "https://k3s.example.net:6443")
    assert "agent worker-1" in e.origin
    assert len(c.backups) == 3
    assert {b.schedule.value for b in c.backups if b.schedule} == {"0 */12 * * *"}


def test_single_server_endpoint_is_its_own_address(tmp_path: Path) -> None:
    c = model(tmp_path, {"k3s/server.yaml": SERVER1 + "https-listen-port: 7443\n"})
    (e,) = facts(c).endpoints
    assert (e.host, e.port, e.raw.span.line) == ("10.0.0.11", 7443, 3)


def test_rke2_registers_on_9345_and_serves_6443(tmp_path: Path) -> None:
    c = model(tmp_path, {
        "a/s1.yaml": "node-ip: 10.0.0.1\ntls-san: [lb]\n",
        "a/s2.yaml": "server: https://lb.example:9345\nnode-ip: 10.0.0.2\ntls-san: [lb]\n",
    })
    f = facts(c)
    assert f.installer == "rke2"  # by the supervisor port
    (e,) = f.endpoints
    assert (e.host, e.port) == ("lb.example", 6443)
    assert roles(c)["s1"] == {CONTROL_PLANE, ETCD}  # RKE2's first server needs no cluster-init


def test_datastores_and_split_roles(tmp_path: Path) -> None:
    c = model(tmp_path, {
        "k3s/db.yaml": "datastore-endpoint: mysql://u:p@tcp(db:3306)/k3s\ntls-san: [x]\n",
        "k3s/lite.yaml": "write-kubeconfig-mode: '0644'\ndisable: [traefik]\n",  # SQLite: no etcd
        "k3s/cp-only.yaml": "server: https://x:6443\ndisable-etcd: true\n",
        "k3s/etcd-only.yaml": "server: https://x:6443\ndisable-apiserver: true\ndisable-scheduler: true\n",
    })
    assert roles(c) == {"db": {CONTROL_PLANE}, "lite": {CONTROL_PLANE}, "cp-only": {CONTROL_PLANE},
                        "etcd-only": {ETCD}}
    assert [b.description.split(":")[0] for b in c.backups] == ["k3s etcd snapshots on etcd-only"]


def test_certificate_names_and_flags(tmp_path: Path) -> None:
    c = model(tmp_path, {"k3s/cp1.yaml": SERVER1 + (
        "service-cidr: 10.96.0.0/16\ncluster-domain: k8s.local\n"
        "kube-controller-manager-arg:\n  - leader-elect=false\n  - --profiling\n"
        "kube-scheduler-arg: bind-address=127.0.0.1\n"
        "etcd-arg: [heartbeat-interval=250]\nkubelet-arg: [max-pods=200]\n")})
    (sans,) = facts(c).cert_sans
    assert {"10.96.0.1", "kubernetes.default.svc.k8s.local", "cp1", "10.0.0.11", "localhost"} <= set(
        sans.implicit)
    assert (sans.setting, sans.adder, sans.node_names) == ("tls-san", "k3s", True)
    got = [(f.component, f.name, f.value, f.span.line, f.origin) for f in c.flags]
    assert ("kube-controller-manager", "leader-elect", "false", 9, "kube-controller-manager-arg") in got
    assert ("kube-controller-manager", "profiling", "true", 10, "kube-controller-manager-arg") in got
    assert ("kube-scheduler", "bind-address", "127.0.0.1", 11, "kube-scheduler-arg") in got
    assert ("etcd", "heartbeat-interval", "250", 12, "etcd-arg") in got
    assert ("kubelet", "max-pods", "200", 13, "kubelet-arg") in got
    assert {c.component for c in facts(c).components} == {"kube-apiserver", "kube-controller-manager",
                                                         "kube-scheduler"}


def test_snapshots_schedule_disabled_and_s3(tmp_path: Path) -> None:
    c = model(tmp_path, {
        "k3s/a.yaml": SERVER1 + "etcd-snapshot-schedule-cron: '0 1 * * *'\netcd-s3: true\n",
        "k3s/b.yaml": JOINER.format(host="10.0.0.11", name="b", ip="10.0.0.12")
        + "etcd-disable-snapshots: true\n",
    })
    (b,) = c.backups
    assert b.schedule is not None and (b.schedule.value, b.schedule.span.line) == ("0 1 * * *", 6)
    assert "in S3" in b.description
    c2 = model(tmp_path / "off", {"k3s/a.yaml": SERVER1 + "etcd-disable-snapshots: true\n"})
    assert c2.backups == ()
    assert c2.backups_span is not None and c2.backups_span.line == 6


# --- unknown and odd values ---------------------------------------------------------------------------------


def test_placeholders_are_unknown(tmp_path: Path) -> None:
    c = model(tmp_path, {
        "k3s/cp1.yaml": "cluster-init: true\nnode-name: ${HOSTNAME}\nnode-ip: '{{ ansible_host }}'\n"
                        "tls-san: ['${VIP}', k3s.lan]\netcd-snapshot-schedule-cron: ${CRON}\n",
        "k3s/cp2.yaml": "server: https://{{ vip }}:6443\ntls-san: [k3s.lan]\n"
                        "etcd-disable-snapshots: '{{ off }}'\n",
    })
    assert {n.name for n in c.nodes} == {"cp1", "cp2"}  # file names, not ${HOSTNAME}
    assert all(not n.addresses for n in c.nodes)
    assert facts(c).endpoints == ()  # no server: is known and two servers: no endpoint guessed
    assert [e.value for s in facts(c).cert_sans for e in s.entries] == ["k3s.lan", "k3s.lan"]
    assert len(c.backups) == 2 and all(b.schedule is None for b in c.backups)  # neither guessed


@pytest.mark.parametrize("text", [
    "cluster-init: [1, 2]\ntls-san: {a: 1}\nnode-ip: [1, [2]]\nserver: 12\n",
    "tls-san: 5\nkube-apiserver-arg: 5\nkube-scheduler-arg: [{a: b}, null, '=x', '']\n"
    "https-listen-port: abc\n",
    "cluster-init: true\nnode-name: [x]\netcd-snapshot-schedule-cron: {a: 1}\n"
    "etcd-disable-snapshots: maybe\n",
    "server: 'not a url ::'\ntoken: x\ndisable: servicelb\nnode-ip: ','\nadvertise-address: ''\n",
    "cluster-init: true\n1: 2\n? [a]\n: b\ntls-san+: x\n",
])
def test_odd_values_never_crash(tmp_path: Path, text: str) -> None:
    (tmp_path / "etc/rancher/k3s").mkdir(parents=True)
    (tmp_path / "etc/rancher/k3s/config.yaml").write_text(text)
    (tmp_path / "etc/rancher/k3s/config.yaml.d").mkdir()
    (tmp_path / "etc/rancher/k3s/config.yaml.d/a.yaml").write_text("- a list\n- not a mapping\n")
    (tmp_path / "etc/rancher/k3s/config.yaml.d/b.yaml").write_text("")
    (tmp_path / "etc/rancher/k3s/config.yaml.d/c.yaml").write_text("tls-san+: [b\n")  # broken YAML
    report = lint([str(tmp_path)], Config(jobs=1), cwd=tmp_path)
    assert not [f for f in report.findings if f.rule_id == "SY900"]


def test_huge_lists(tmp_path: Path) -> None:
    sans = "".join(f"  - n{i}.example\n" for i in range(20_000))
    args = "".join(f"  - a{i}=b\n" for i in range(20_000))
    c = model(tmp_path, {"k3s/cp1.yaml": "cluster-init: true\ntls-san:\n" + sans
                         + "kube-apiserver-arg:\n" + args})
    (s,) = facts(c).cert_sans
    assert s.entries == ()  # beyond MAX_ITEMS: not read item by item
    assert c.control_plane_count == 1
