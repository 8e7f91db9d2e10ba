"""kublint/schema.py and schemas/: valid schemas, positioned problems with "did you mean", a fast path that
agrees with jsonschema, and the cost of a 5,000-node inventory."""

from __future__ import annotations

import copy
import datetime
import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kublint import schema as ks
from kublint.parsers.yaml import NodeLoc, YamlDocument, parse_yaml
from kublint.schema_fast import resolve
from kublint.source import SourceFile
from tests.rule_cases import case, cases_of

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
OURS = ("kubeadm-v1beta3", "kubeadm-v1beta4", "inventory", "kublint-config")

DESIGN_CONFIG = """\
select: [ET, KA, security]            # default: all stable rules
ignore: [HP115]
fail-on: error
rules:
  IV102: {severity: error, options: {min_cpus: 8, min_memory_gib: 16}}
  IV201: {options: {max_rtt_ms: 2}}
per-file-ignores: {"legacy/*.cfg": [HP114]}
exclude: ["vendor/**"]
kinds: [{glob: "lb/*.conf", kind: haproxy}]
inventory: {groups: {control-plane: [masters]}}
environment: production               # overrides the inventory's cluster.environment
"""


def docs(text: str, name: str = "t.yaml") -> list[YamlDocument]:
    text = textwrap.dedent(text)
    parsed = parse_yaml(SourceFile(name, Path(name), text))
    assert not parsed.errors, parsed.errors
    return parsed.documents


def doc(text: str) -> YamlDocument:
    (only,) = docs(text)
    return only


def found(d: YamlDocument, name: str) -> list[tuple[int, int, str]]:
    return [(p.span.start.line, p.span.start.col, p.message) for p in ks.schema_problems(d, name)]


# --- the schemas themselves -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", OURS)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    data = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert data["$id"] == f"https://kublint.dev/schemas/{name}.schema.json"
    jsonschema.Draft202012Validator.check_schema(data)


@pytest.mark.parametrize("name", OURS)
def test_fast_checker_compiles_every_schema(name: str) -> None:
    assert ks.fast_checker(name) is not None
    for definition in ks.load_schema(name).get("$defs", {}):
        assert ks.fast_checker(name, definition) is not None


@pytest.mark.parametrize("name", OURS)
def test_every_ref_resolves(name: str) -> None:
    def refs(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    yield v
                else:
                    yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    root = ks.load_schema(name)
    for ref in refs(root):
        target, _ = resolve(ref, root)
        assert isinstance(target, dict), ref


def test_kubeadm_types_are_closed() -> None:
    """Unknown fields are caught: every object of the kubeadm schemas sets additionalProperties."""
    for version in ("v1beta3", "v1beta4"):
        root = ks.load_schema(f"kubeadm-{version}")
        for name, d in root["$defs"].items():
            if "properties" in d:
                assert "additionalProperties" in d, f"{version} {name}"


def test_schema_name_may_carry_the_suffix() -> None:
    assert ks.load_schema("inventory.schema.json") is ks.load_schema("inventory")


# --- the configuration schema -----------------------------------------------------------------------------


def test_config_schema_accepts_the_design_example() -> None:
    d = doc(DESIGN_CONFIG)
    assert ks.schema_problems(d, "kublint-config") == []
    jsonschema.Draft202012Validator(ks.load_schema("kublint-config")).validate(d.data)


def test_config_schema_accepts_the_remaining_keys() -> None:
    d = doc("""\
        select: ET1,KA
        exclude: "vendor/**"
        etcd-version: "3.5.21"
        max-file-size: 1048576
        kinds: [{glob: "etc/*.cfg", kind: keepalived}]
        inventory: {groups: {etcd: [etcd_nodes], worker: nodes, lb: [balancers]}}
        rules: {inventory.control-plane-undersized: {severity: info}, iv201: {options: {max_rtt_ms: 3}}}
        """)
    assert ks.schema_problems(d, "kublint-config") == []


def test_config_schema_errors_have_positions_and_suggestions() -> None:
    d = doc("""\
        select: [ET]
        fail_on: warning
        rules:
          IV10: {severity: error}
          IV201: {severty: warning}
        kinds: [{glob: "lb/*.conf", kind: haproxi}]
        etcd-version: 3.5
        """)
    got = found(d, "kublint-config")
    assert (2, 1) in [(line, col) for line, col, _ in got]
    msgs = {(line, col): m for line, col, m in got}
    assert 'did you mean "fail-on"' in msgs[(2, 1)]
    assert 'key "IV10" is not a rule id' in msgs[(4, 3)]
    assert 'did you mean "severity"' in msgs[(5, 11)]
    assert 'did you mean "haproxy"' in msgs[(6, 35)]
    assert 'quote it ("3.5")' in msgs[(7, 15)]


# --- kubeadm: positions and messages ----------------------------------------------------------------------


def test_unknown_key_is_reported_at_the_key_with_did_you_mean() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        controlPlaneEndPoint: k8s-api.example.com:6443
        apiServer:
          certSans: [k8s-api.example.com]
        """)
    got = found(d, "kubeadm-v1beta4")
    assert [(line, col) for line, col, _ in got] == [(3, 1), (5, 3)]
    assert 'unknown field "controlPlaneEndPoint"' in got[0][2]
    assert 'did you mean "controlPlaneEndpoint"?' in got[0][2]
    assert 'did you mean "certSANs"?' in got[1][2]
    problems = ks.schema_problems(d, "kubeadm-v1beta4")
    assert problems[1].span == d.loc("apiServer", "certSans", key=True)
    assert problems[1].anchor == "ClusterConfiguration#0/apiServer/certSans"


def test_each_unknown_key_is_its_own_problem() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: ClusterConfiguration
        networking:
          podSubnett: 10.244.0.0/16
          serviceSubnett: 10.96.0.0/12
        """)
    got = found(d, "kubeadm-v1beta3")
    assert [(line, col) for line, col, _ in got] == [(4, 3), (5, 3)]
    assert 'did you mean "podSubnet"' in got[0][2] and 'did you mean "serviceSubnet"' in got[1][2]


def test_field_of_another_kind_names_the_kind() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: InitConfiguration
        controlPlaneEndpoint: k8s-api.example.com:6443
        """)
    ((line, col, message),) = found(d, "kubeadm-v1beta3")
    assert (line, col) == (3, 1) and "ClusterConfiguration field" in message


def test_missing_required_key_is_reported_at_its_parent() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        apiServer:
          extraVolumes:
            - name: audit
              mountPath: /var/log/kubernetes
        """)
    ((line, col, message),) = found(d, "kubeadm-v1beta4")
    assert (line, col) == (5, 7)  # the list item that lacks it
    assert message == 'ClusterConfiguration apiServer.extraVolumes[0] lacks the required field "hostPath"'


def test_field_of_another_kind_at_the_top_level_only() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        discovery: {}
        """)
    ((line, col, message),) = found(d, "kubeadm-v1beta4")
    assert (line, col) == (3, 1) and "did you mean" not in message and "JoinConfiguration field" in message


def test_missing_required_top_level_key_is_reported_at_the_kind() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: JoinConfiguration
        nodeRegistration: {name: w1}
        """)
    ((line, col, message),) = found(d, "kubeadm-v1beta4")
    assert (line, col) == (2, 7) and '"discovery"' in message


def test_type_error_is_reported_at_the_value() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: 1.30
        networking:
          dnsDomain: [cluster.local]
        """)
    got = found(d, "kubeadm-v1beta4")
    assert [(line, col) for line, col, _ in got] == [(3, 20), (5, 14)]
    assert 'quote it ("1.30")' in got[0][2]
    assert "is a list, but must be a string" in got[1][2]


def test_v1beta3_map_in_v1beta4_gets_the_migrate_message() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        apiServer:
          extraArgs:
            authorization-mode: Node,RBAC
        """)
    ((line, col, message),) = found(d, "kubeadm-v1beta4")
    assert (line, col) == (5, 5)
    assert "is a map" in message and "list of {name, value}" in message.replace("lists of", "list of")
    assert "kubeadm config migrate" in message


def test_v1beta4_list_in_v1beta3_gets_its_message() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: InitConfiguration
        nodeRegistration:
          kubeletExtraArgs:
            - {name: node-ip, value: 10.0.0.11}
        """)
    ((line, col, message),) = found(d, "kubeadm-v1beta3")
    assert (line, col) == (5, 5)  # the list starts at its first "-"
    assert "is a list" in message and "v1beta4 form" in message


def test_fields_moved_in_v1beta4_get_their_new_place() -> None:
    d = docs("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        apiServer:
          timeoutForControlPlane: 4m0s
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: JoinConfiguration
        discovery:
          file: {kubeConfigPath: /etc/kubernetes/discovery.conf}
          timeout: 5m0s
        """)
    ((l1, c1, m1),) = found(d[0], "kubeadm-v1beta4")
    ((l2, c2, m2),) = found(d[1], "kubeadm-v1beta4")
    assert (l1, c1) == (4, 3) and "timeouts.controlPlaneComponentHealthCheck" in m1
    assert (l2, c2) == (10, 3) and "timeouts.discovery" in m2


def test_one_of_reports_the_schemas_note_at_the_object() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: JoinConfiguration
        discovery:
          tlsBootstrapToken: abcdef.0123456789abcdef
        """)
    ((line, col, message),) = found(d, "kubeadm-v1beta4")
    assert (line, col) == (3, 1) and "exactly one of bootstrapToken or file" in message


def test_enum_and_pattern_messages() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        bootstrapTokens:
          - {token: abcdef.0123456789abcdef, ttl: 1 day}
        nodeRegistration:
          imagePullPolicy: always
          taints: [{key: a, effect: NoSchedul}]
        """)
    msgs = {(line, col): m for line, col, m in found(d, "kubeadm-v1beta4")}
    assert "not a Go duration" in msgs[(4, 43)]
    assert 'did you mean "Always"' in msgs[(6, 20)]
    assert 'did you mean "NoSchedule"' in msgs[(7, 29)]


def test_what_other_rules_judge_is_not_a_schema_error() -> None:
    """KA112 (token and key form), KA113 (etcd modes), SY007 (placeholders); null is Go's "unset"."""
    d = docs(case("KA001", "pass-left-to-other-rules").files()["kubeadm.yaml"].decode("utf-8"))
    assert [ks.schema_problems(x, "kubeadm-v1beta4") for x in d] == [[], [], []]


def test_ecdsa_p384_and_null_taints_are_valid() -> None:
    d = docs("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        encryptionAlgorithm: ECDSA-P384
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        nodeRegistration: {taints: null}
        """)
    assert [ks.schema_problems(x, "kubeadm-v1beta4") for x in d] == [[], []]


def test_upgrade_apply_accepts_both_skip_phases_spellings() -> None:
    d = doc("""\
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: UpgradeConfiguration
        apply: {skipPhases: [addon/kube-proxy], SkipPhases: [addon/coredns]}
        """)
    assert ks.schema_problems(d, "kubeadm-v1beta4") == []


def test_definition_selects_one_type() -> None:
    d = doc("""\
        cpus: 4
        memoryGiB: 16
        disk: []
        """)
    ((line, col, message),) = [(p.span.start.line, p.span.start.col, p.message)
                               for p in ks.schema_problems(d, "inventory", "Hardware")]
    assert (line, col) == (3, 1) and 'did you mean "disks"' in message
    with pytest.raises(KeyError):
        ks.schema_problems(d, "inventory", "NoSuchDefinition")


# --- the inventory ----------------------------------------------------------------------------------------


def test_inventory_misspelled_node_field_and_bad_role() -> None:
    d = doc("""\
        apiVersion: kublint.dev/v1alpha1
        kind: Inventory
        nodes:
          - name: cp1
            roles: [master]
            hardware: {cpu: 4, memoryGiB: 16}
        """)
    got = found(d, "inventory")
    assert [(line, col) for line, col, _ in got] == [(5, 13), (6, 16)]
    assert 'did you mean "control-plane"' in got[0][2]
    assert 'did you mean "cpus"' in got[1][2]


def test_inventory_dates_are_strings() -> None:
    d = doc("""\
        apiVersion: kublint.dev/v1alpha1
        kind: Inventory
        backups: {etcd: {lastRestoreTest: 2026-06-01}}
        certificates:
          lastRenewal: 2026-03-01T10:00:00Z
        """)
    assert isinstance(d.get("backups", "etcd", "lastRestoreTest"), datetime.date)
    assert ks.schema_problems(d, "inventory") == []


def test_inventory_wrong_api_version() -> None:
    d = doc("""\
        apiVersion: kublint.dev/v1
        kind: Inventory
        """)
    ((line, col, message),) = found(d, "inventory")
    assert (line, col) == (1, 13) and '"kublint.dev/v1alpha1"' in message


# --- the fast path agrees with jsonschema -----------------------------------------------------------------


def _plain(data: Any) -> Any:
    """The document as JSON would have it (dates as strings), for a reference validator that knows no YAML."""
    return json.loads(json.dumps(data, default=lambda o: o.isoformat()))


def _mutations(data: Any) -> Iterator[Any]:
    """Each document with one change: a key dropped, renamed or retyped, an item retyped."""
    replacements: list[Any] = [None, 0, 1.5, True, "x", [], {}, ["x"], {"name": "x", "value": "y"}]

    def paths(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        yield path
        if isinstance(node, dict):
            for k, v in node.items():
                yield from paths(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from paths(v, (*path, i))

    def at(node: Any, path: tuple[Any, ...]) -> Any:
        for p in path:
            node = node[p]
        return node

    for i, path in enumerate(paths(data, ())):
        if not path:
            continue
        parent_path, last = path[:-1], path[-1]
        for j, value in enumerate(replacements):
            if (i + j) % 3:  # a deterministic third of the retypings keeps the run short
                continue
            m = copy.deepcopy(data)
            at(m, parent_path)[last] = value
            yield m
        if isinstance(last, str):
            m = copy.deepcopy(data)
            del at(m, parent_path)[last]
            yield m
            m = copy.deepcopy(data)
            parent = at(m, parent_path)
            parent[last.upper()] = parent.pop(last)
            yield m


def _pass_documents() -> Iterator[tuple[str, Any]]:
    pass_cases = [c for c in (*cases_of("IV001"), *cases_of("KA001")) if c.passing]
    files = [(f"{c.rule_id}/{c.name}/{rel}", data) for c in pass_cases for rel, data in c.files().items()
             if "/" not in rel and rel.endswith(".yaml")]
    for name, data in sorted(files):
        path = Path(name)
        parsed = parse_yaml(SourceFile(name, path, data.decode("utf-8")))
        assert not parsed.errors, path
        for d in parsed.documents:
            if d.api_version in ("kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4"):
                yield f"kubeadm-{d.api_version.rsplit('/', 1)[1]}", d.data
            elif d.kind == "Inventory":
                yield "inventory", d.data
    yield "kublint-config", doc(DESIGN_CONFIG).data


def test_pass_fixtures_hold_every_kind() -> None:
    kinds = {(name, data.get("kind")) for name, data in _pass_documents()}
    for kind in ("InitConfiguration", "ClusterConfiguration", "JoinConfiguration"):
        assert ("kubeadm-v1beta3", kind) in kinds
    for kind in ("InitConfiguration", "ClusterConfiguration", "JoinConfiguration", "ResetConfiguration",
                 "UpgradeConfiguration"):
        assert ("kubeadm-v1beta4", kind) in kinds
    assert ("inventory", "Inventory") in kinds


def test_fast_checker_agrees_with_jsonschema_on_mutations() -> None:
    reference = {n: jsonschema.Draft202012Validator(ks.load_schema(n)) for n in OURS}
    checked = 0
    for name, data in _pass_documents():
        assert ks.is_valid(data, name), name
        for m in _mutations(data):
            plain = _plain(m)
            expected = reference[name].is_valid(plain)
            assert ks.is_valid(plain, name) == expected, (name, plain)
            assert ks.is_valid(m, name) == expected, (name, m)
            # stage two skips only what stage one accepts: it finds the errors the reference finds
            ours = {(tuple(e.absolute_path), e.validator) for e in ks.validator(name).iter_errors(plain)}
            ref = {(tuple(e.absolute_path), e.validator) for e in reference[name].iter_errors(plain)}
            assert ours == ref, (name, plain)
            checked += 1
    assert checked > 500


def test_valid_document_does_not_import_jsonschema(tmp_path: Path) -> None:
    code = textwrap.dedent("""\
        import sys
        from pathlib import Path
        from kublint.parsers.yaml import parse_yaml
        from kublint.schema import schema_problems
        from kublint.source import SourceFile
        p = Path(sys.argv[1])
        for d in parse_yaml(SourceFile(str(p), p, p.read_text())).documents:
            if d.api_version.startswith("kubeadm.k8s.io/"):
                assert schema_problems(d, "kubeadm-" + d.api_version.rsplit("/", 1)[1]) == []
        print("jsonschema" in sys.modules)
        """)
    path = case("KA001", "pass-v1beta4-all-kinds").write(tmp_path) / "kubeadm.yaml"
    res = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert res.stdout.strip() == "False"


# --- cost: a 5,000-node inventory -------------------------------------------------------------------------


def big_inventory(nodes: int) -> dict[str, Any]:
    """A native inventory with every optional node field filled in."""
    zones = ("eu1-a", "eu1-b", "eu1-c")
    return {
        "apiVersion": "kublint.dev/v1alpha1", "kind": "Inventory",
        "cluster": {"name": "big", "environment": "production", "kubernetesVersion": "v1.34.2",
                    "loadBalancer": {"dns": "api.example.com", "vip": "10.0.0.100"}},
        "nodes": [
            {
                "name": f"node-{i:05d}",
                "address": f"10.{i // 62500}.{i // 250 % 250}.{i % 250 + 1}",
                "network": "10.0.0.0/8",
                "roles": ["control-plane", "etcd"] if i < 3 else ["worker"],
                "zone": zones[i % 3],
                "identity": {"mac": "52:54:00:00:00:01", "productUUID": "4c4c4544-0047-3510-8052-b4c04f4b"},
                "hardware": {"cpus": 8, "memoryGiB": 32, "nicGbps": 10, "swap": False,
                             "disks": [{"mount": "/", "type": "ssd"},
                                       {"mount": "/var/lib/etcd", "type": "nvme", "seqIOPS": 3000}]},
                "versions": {"kubelet": "v1.34.2", "kubeProxy": "v1.34.2"},
                "containerRuntime": {"name": "containerd", "version": "2.1.0", "cgroupDriver": "systemd"},
            }
            for i in range(nodes)
        ],
        "latency": [{"a": "eu1-a", "b": "eu1-b", "rttMs": 0.8}],
        "backups": {"etcd": {"schedule": "0 */6 * * *", "method": "etcdctl-snapshot", "target": "s3://b/etcd"}},
    }


def test_5000_node_inventory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Correctness at scale; the timings are printed (pytest -s) for the record, not asserted.

    The file is JSON (which is YAML) read with the json module: a YAML parse of 5,000 nodes takes seconds and
    is not what is measured here. Without a YAML parse the document has no positions below its root."""
    path = tmp_path / "inventory.yaml"
    path.write_text(json.dumps(big_inventory(5000), indent=1), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    source = SourceFile("inventory.yaml", path, text)
    d = YamlDocument(source, 0, json.loads(text), {(): NodeLoc(None, source.start_span())})
    ks.fast_checker("inventory")  # one-off compile, not part of the per-document cost
    t0 = time.perf_counter()
    assert ks.schema_problems(d, "inventory") == []
    t_valid = time.perf_counter() - t0

    hw = d.data["nodes"][4321]["hardware"]
    hw["cpu"] = hw.pop("cpus")
    ks.validator("inventory")
    t0 = time.perf_counter()
    problems = ks.schema_problems(d, "inventory")
    t_broken = time.perf_counter() - t0
    messages = [p.message.split(";")[0] for p in problems]
    assert messages == ['unknown field "cpu" in Inventory nodes[4321].hardware']
    assert problems[0].anchor == "Inventory#0/nodes/4321/hardware/cpu"
    with capsys.disabled():
        print(f"\n5,000-node inventory: valid {t_valid * 1000:.0f} ms, one bad node {t_broken * 1000:.0f} ms")


def test_any_of_without_a_note_reports_the_most_relevant_branch(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kublint.dev/schemas/test-anyof.schema.json",
        "type": "object",
        "properties": {
            "endpoint": {"anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": False, "required": ["host"],
                 "properties": {"host": {"type": "string"}, "port": {"type": "integer"}}},
            ]},
        },
    }
    (tmp_path / "test-anyof.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    monkeypatch.setattr("kublint.schema_files.schemas_dir", lambda: tmp_path)
    d = doc("""\
        endpoint:
          host: k8s-api.example.com
          prot: 6443
        """)
    ((line, col, message),) = found(d, "test-anyof")
    assert (line, col) == (3, 3)
    assert message.startswith('unknown field "prot" in the document endpoint; did you mean "port"?')


def test_etcd_config_schema_is_current_and_valid() -> None:
    import jsonschema as js

    from kublint.rules.etcd._schema import etcd_config_schema

    path = Path(__file__).resolve().parents[1] / "schemas" / "etcd-config.schema.json"
    on_disk = json.loads(path.read_text())
    assert on_disk == etcd_config_schema(), "regenerate schemas/etcd-config.schema.json from the key tables"
    js.Draft202012Validator.check_schema(on_disk)
    sample = {"name": "e1", "heartbeat-interval": 100, "election-timeout": 1000,
              "listen-peer-urls": "https://10.0.0.1:2380",
              "client-transport-security": {"cert-file": "/p/server.crt", "client-cert-auth": True}}
    js.Draft202012Validator(on_disk).validate(sample)
    bad = dict(sample, **{"election-timout": 1000})
    assert list(js.Draft202012Validator(on_disk).iter_errors(bad))
    v35 = {"$ref": "#/$defs/v3.5", "$defs": on_disk["$defs"]}
    js.Draft202012Validator(v35).validate({"enable-v2": True})
    assert list(js.Draft202012Validator(on_disk).iter_errors({"enable-v2": True}))  # removed in 3.6
