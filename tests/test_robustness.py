"""Hostile and random input: a finding or a clear error, never a traceback, a hang or a changed file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kublint.config import Config
from kublint.engine import lint
from kublint.load import classify
from kublint.source import SourceFile
from tests.conftest import ROOT, shared_dir

NAMES = (
    "kubeadm.yaml",
    "hosts.ini",
    "hosts",
    "etcd.env",
    "backup.service",
    "backup.timer",
    "crontab",
    "haproxy.cfg",
    "keepalived.conf",
    "ca.crt",
    "admin.conf",
)
SNIPPETS = (
    "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n",
    "controlPlaneEndpoint: a:6443\n",
    "[kube_control_plane]\ncp1 ip=10.0.0.1\n",
    "ETCD_NAME=e1\nETCD_INITIAL_CLUSTER=e1=https://1.2.3.4:2380\n",
    "[Service]\nExecStart=etcdctl snapshot save /x\n",
    "0 * * * * etcdctl snapshot save /b\n",
    "frontend api\n  bind *:6443\n  default_backend b\nbackend b\n  server s 10.0.0.1:6443 check\n",
    "vrrp_instance V {\n state MASTER\n virtual_ipaddress {\n 10.0.0.9\n }\n}\n",
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    "&a [*a, *a]\n",
    "{{ x }}\n",
    "'\"\n",
    "\t- : ,[{\n",
    "#!\n",
    "}\n{\n",
    "\x00",
    "\ufeff",
    "\r\n",
    "é€\U0001f600",
)


def spans_inside(source: SourceFile, spans: list[object]) -> None:
    for span in spans:
        line, col = span.start.line, span.start.col  # type: ignore[attr-defined]
        assert 1 <= line <= source.line_count, (span, source.line_count)
        assert 1 <= col <= len(source.line_text(line)) + 1, (span, source.line_text(line))


def check_parse(name: str, text: str) -> None:
    src = SourceFile(name, Path(name), text)
    first = classify(src, True, None)
    second = classify(SourceFile(name, Path(name), text), True, None)
    assert (first.kind if first else None) == (second.kind if second else None)
    if first is not None:
        spans_inside(src, [p.span for ps in first.problems.values() for p in ps])
        for d in first.documents:
            for path in list(d.raw)[:200]:
                spans_inside(src, [d.loc(*path), d.loc(*path, key=True)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(NAMES), st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=40)), max_size=12)
)
def test_random_text_never_raises_and_spans_stay_inside(name: str, parts: list[str]) -> None:
    check_parse(name, "".join(parts))


def _real_files() -> list[Path]:
    files = sorted(
        p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.is_file() and p.stat().st_size < 200_000
    )
    shared = shared_dir()
    if shared:
        files += sorted(p for p in (shared / "corpus").rglob("*") if p.is_file())
    return [f for f in files if b"\x00" not in f.read_bytes()[:4096]]


REAL = _real_files()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REAL), st.data())
def test_mutated_real_files_never_raise(path: Path, data: st.DataObject) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    for _ in range(data.draw(st.integers(1, 5))):
        i = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(("cut", "dup", "insert")))
        if op == "cut":
            text = text[:i] + text[i + data.draw(st.integers(1, 30)) :]
        elif op == "dup":
            text = text[:i] + text[i : i + 40] + text[i:]
        else:
            text = (
                text[:i]
                + data.draw(st.sampled_from(("{", "}", '"', "'", ":", "\n", "  ", "#", "!", "[")))
                + text[i:]
            )
    check_parse(path.name, text)


def run_cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kublint", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_clean_exit(res: subprocess.CompletedProcess[str]) -> None:
    assert res.returncode in (0, 1), res.stderr
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout


def test_bad_input_suite(tmp_path: Path) -> None:
    root = tmp_path / "cluster"
    root.mkdir()
    (root / "binary.yaml").write_bytes(b"\x7fELF\x00\x01\x02" * 100)
    (root / "latin1.yaml").write_bytes("clusterName: caf\xe9\n".encode("latin-1"))
    (root / "bom.yaml").write_bytes(
        b"\xef\xbb\xbfapiVersion: kubeadm.k8s.io/v1beta4\r\nkind: ClusterConfiguration\r\n"
    )
    (root / "empty.yaml").write_text("")
    (root / "only-comments.yaml").write_text("# nothing\n---\n# here\n")
    with open(root / "huge.yaml", "wb") as fh:  # 50 MB, over the size limit: never read
        fh.truncate(50 * 1024 * 1024)
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        p, c = chr(96 + i), chr(97 + i)
        bomb.append(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]")
    (root / "bomb.yaml").write_text("\n".join(bomb) + "\n")
    (root / "deep.yaml").write_text("[" * 5000 + "]" * 5000 + "\n")
    (root / "deep-block.yaml").write_text(
        "".join("  " * i + f"k{i}:\n" for i in range(1000))
    )  # 1,000 levels, about 1 MB
    (root / "haproxy.cfg").write_text('frontend x\n  bind "*:6443\n' + "backend {{\n" * 3)
    (root / "keepalived.conf").write_text("vrrp_instance A {\n" * 200 + "  state 'MAS#TER\n")
    (root / "loop").symlink_to(root, target_is_directory=True)
    outside = tmp_path / "secret.yaml"
    outside.write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n")
    (root / "link.yaml").symlink_to(outside)
    (root / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    os.mkfifo(root / "pipe.yaml")  # reading it would block forever: it must be skipped, not read
    before = sorted((p.name, p.lstat().st_mtime_ns) for p in root.iterdir())
    res = run_cli(".", "-f", "concise", cwd=root)
    assert_clean_exit(res)
    out = res.stdout
    for name, rule in (
        ("binary.yaml", "SY004"),
        ("latin1.yaml", "SY004"),
        ("huge.yaml", "SY004"),
        ("link.yaml", "SY004"),
        ("deep.yaml", "SY001"),
        ("deep-block.yaml", "SY001"),
        ("haproxy.cfg", "SY001"),
        ("keepalived.conf", "SY001"),
    ):
        assert any(line.startswith(f"{name}:") and f" {rule} " in line for line in out.splitlines()), (
            name,
            out,
        )
    bom = [line for line in out.splitlines() if line.startswith("bom.yaml:")]
    assert bom and not any(" SY0" in line for line in bom)  # a BOM and CRLF are fine: read, no syntax finding
    assert any(line.startswith("bom.yaml:2:7: KA102") for line in bom)  # positions count without the BOM
    assert "SY900" not in out
    assert sorted((p.name, p.lstat().st_mtime_ns) for p in root.iterdir()) == before


def test_unreadable_file_is_sy004(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kubeadm.yaml").write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n")
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "kubeadm.yaml":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    report = lint(["."], Config(jobs=1), cwd=tmp_path)
    assert [(f.rule_id, f.span.path) for f in report.findings] == [("SY004", "kubeadm.yaml")]
    assert "Permission denied" in report.findings[0].message


def test_corpus_lints_without_crash_and_spans_stay_in_their_files(shared: Path) -> None:
    corpus = shared / "corpus"
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "MANIFEST.tsv")
    report = lint([str(p) for p in files], Config(jobs=1), cwd=corpus)
    assert [f for f in report.findings if f.rule_id == "SY900"] == []
    texts: dict[str, SourceFile] = {}
    for f in report.findings:
        for span in (f.span, *(r.span for r in f.related)):
            if span.path not in texts:
                p = corpus / span.path
                texts[span.path] = SourceFile(
                    span.path, p, p.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
                )
            spans_inside(texts[span.path], [span])


_HUGE = "9" * 5000  # beyond int()'s 4,300-digit limit and beyond a float
HOSTILE_VALUES = [
    # (file under examples/ha-cluster, text, replacement): each must lint without SY900
    ("backup/etcd-backup-cronjob.yaml", '"0 */6 * * *"', '"0 */\u00b2 * * *"'),
    ("backup/etcd-backup-cronjob.yaml", '"0 */6 * * *"', f'"0 */{_HUGE} * * *"'),
    ("backup/etcd-backup-cronjob.yaml", '"0 */6 * * *"', f'"{_HUGE} 1 * * *"'),
    ("inventory.yaml", '"0 */6 * * *"', '"@every 1\u00b2h"'),
    ("inventory.yaml", "kubernetesVersion: v1.36.2", f"kubernetesVersion: v1.{_HUGE}.2"),
    ("inventory.yaml", "cpus: 4, memoryGiB: 16", f"cpus: {_HUGE}, memoryGiB: .inf"),
    ("inventory.yaml", "cpus: 4, memoryGiB: 16", "cpus: .nan, memoryGiB: -.inf"),
    ("inventory.yaml", "cpus: 2, memoryGiB: 4", "cpus: 1e400, memoryGiB: \u00b2"),
    ("kubeadm/init-cp1.yaml", "kubernetesVersion: v1.36.2", f"kubernetesVersion: v{_HUGE}.36.2"),
    ("kubeadm/init-cp1.yaml", "bindPort: 6443", f"bindPort: {_HUGE}"),
    ("kubeadm/init-cp1.yaml", "serviceSubnet: 10.96.0.0/12", "serviceSubnet: 10.96.0.1/32"),
    ("lb/haproxy.cfg", "timeout tunnel 1h", f"timeout tunnel {_HUGE}h"),
    ("lb/haproxy.cfg", "bind *:6443", "bind *:\u00b2"),
    ("lb/haproxy.cfg", "bind *:6443", f"bind *:{_HUGE}"),
    ("lb/haproxy.cfg", "inter 2s fall 3", f"inter {_HUGE} fall \u00b2"),
    ("lb/haproxy.cfg", "server cp1 10.20.0.11:6443", "server cp1 10.20.0.11:\u00b2"),
    ("lb/lb1/keepalived.conf", "virtual_router_id 61", f"virtual_router_id {_HUGE}"),
    ("lb/lb1/keepalived.conf", "priority 110", "priority \u00b2"),
    ("lb/lb1/keepalived.conf", "advert_int 1", f"advert_int {_HUGE}"),
]


@pytest.mark.parametrize(("name", "old", "new"), HOSTILE_VALUES, ids=[f"{n}-{i}" for i, (n, _, _) in
                                                                     enumerate(HOSTILE_VALUES)])
def test_hostile_values_give_findings_not_crashes(tmp_path: Path, name: str, old: str, new: str) -> None:
    import shutil

    from kublint.engine import lint

    tree = tmp_path / "cluster"
    shutil.copytree(ROOT / "examples" / "ha-cluster", tree)
    target = tree / name
    text = target.read_text()
    assert old in text, (name, old)
    target.write_text(text.replace(old, new, 1))
    report = lint([tree], cwd=tmp_path)
    crashes = [f"{f.span.path}:{f.span.start.line}: {f.message}" for f in report.findings
               if f.rule_id == "SY900"]
    assert not crashes


def test_a_crashing_requirement_is_the_rules_sy900(monkeypatch: pytest.MonkeyPatch) -> None:
    from kublint import inputs
    from kublint.config import Config
    from kublint.engine import lint

    def boom(cluster: object) -> bool:
        raise ValueError("bad value")

    monkeypatch.setitem(inputs.INPUTS, "kubeadm", inputs.INPUTS["kubeadm"]._replace(check=boom))
    report = lint([ROOT / "examples" / "ha-cluster"], Config(select=("KA101",)), cwd=ROOT)
    crashes = [f for f in report.findings if f.rule_id == "SY900"]
    assert crashes and all("KA101" in f.message and "bad value" in f.message for f in crashes)


def test_topology_reports_a_model_crash_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import kublint.model.build
    from kublint.cli import main

    def boom(*args: object, **kwargs: object) -> object:
        raise ValueError("bad value")

    monkeypatch.setattr(kublint.model.build, "build", boom)
    res = CliRunner().invoke(main, ["topology", str(ROOT / "examples" / "ha-cluster")])
    assert res.exit_code == 3
    assert "building the cluster model failed: ValueError: bad value" in res.output
    assert "Traceback" not in res.output


def _tag_every_value(text: str, tag: str) -> str:
    """The file with each scalar value (not key, nor apiVersion and kind) under ``tag``, as an Ansible
    vault or a template engine would leave it."""
    from kublint.parsers.yaml import Node
    from kublint.parsers.yaml_compose import compose_stream

    starts: list[int] = []
    for composed in compose_stream(text).documents:
        stack = [composed.root] if composed.root is not None else []
        seen: set[int] = set()
        while stack:
            node = stack.pop()
            if not isinstance(node, Node) or id(node) in seen:
                continue
            seen.add(id(node))
            if node.id == "mapping":
                for k, v in node.value:
                    if k.value in ("apiVersion", "kind"):
                        continue  # the document stays what it is, so the rules read the tagged values
                    (starts.append(v.start) if v.id == "scalar" and v.end > v.start else stack.append(v))
            elif node.id == "sequence":
                for v in node.value:
                    (starts.append(v.start) if v.id == "scalar" and v.end > v.start else stack.append(v))
    for at in sorted(set(starts), reverse=True):
        text = text[:at] + tag + " " + text[at:]
    return text


@pytest.mark.parametrize("tag", ["!vault", "!Ref", "!!python/object:os.system"])
@pytest.mark.parametrize("example", ["ha-cluster", "broken-cluster"])
def test_opaque_values_everywhere_give_no_crash_and_no_syntax_error(
    tmp_path: Path, example: str, tag: str
) -> None:
    import shutil

    from kublint.engine import lint

    tree = tmp_path / "cluster"
    shutil.copytree(ROOT / "examples" / example, tree)
    changed = 0
    for path in sorted(tree.rglob("*.y*ml")):
        text = path.read_text(encoding="utf-8")
        tagged = _tag_every_value(text, tag)
        changed += tagged != text
        path.write_text(tagged, encoding="utf-8")
    assert changed >= 2
    report = lint([tree], cwd=tmp_path)
    bad = [f"{f.rule_id} {f.span.path}:{f.span.start.line}: {f.message}" for f in report.findings
           if f.rule_id in ("SY900", "SY001")]
    assert bad == []
