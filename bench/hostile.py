"""Run kublint on hostile trees and print how long each takes, its peak memory and exit code.

    python3 bench/hostile.py [--only NAME ...] [--timeout 60] [--keep DIR]

Each tree is a copy of examples/ha-cluster with one hostile file (or name, or directory) added, so that
the rest of the cluster must still be linted. kublint runs once per tree as `kublint check -f concise`, in
its own process; peak RSS is that child's own maximum resident set size (wait4), not a maximum over all
children. Budget: 20 s, 500 MiB, exit 0 or 1, no traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ha-cluster"
SETPRIV = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]

KUBEADM = """apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  name: cp{i}
localAPIEndpoint:
  advertiseAddress: 10.20.{a}.{b}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.36.2
clusterName: prod-eu1
controlPlaneEndpoint: k8s-api.prod-eu1.example.com:6443
"""


def _write(tree: Path, rel: str, data: str | bytes) -> None:
    p = tree / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode() if isinstance(data, str) else data)


def braces_haproxy(t: Path) -> None:
    cfg = (EXAMPLE / "lb/haproxy.cfg").read_text()
    _write(t, "lb/haproxy.cfg", cfg + "    server x " + "{" * 100_000 + "\n")


def braces_keepalived(t: Path) -> None:
    _write(t, "lb/lb1/keepalived.conf", "global_defs {\n    router_id " + "{" * 100_000 + "\n}\n")


def braces_yaml_value(t: Path) -> None:
    join = (EXAMPLE / "kubeadm/join-cp2.yaml").read_text()
    _write(t, "kubeadm/join-cp2.yaml", join + 'caCertPath: "' + "{" * 100_000 + '"\n')


def haproxy_unknown(t: Path) -> None:
    # half of them 500 words over and over, half all different
    body = "".join(f"    frobnicate{i % 500}x on\n" if i % 2 else f"    zzkeyword{i} on\n"
                   for i in range(20_000))
    _write(t, "lb/haproxy.cfg", (EXAMPLE / "lb/haproxy.cfg").read_text() + "\nbackend junk\n" + body)


def pem_spaces(t: Path) -> None:
    spaces = " " * 1_000_000
    _write(t, "pki/ca.crt", f"-----BEGIN CERTIFICATE-----\n{spaces}\n-----END CERTIFICATE-----\n")


def kubeadm_2000(t: Path) -> None:
    shutil.rmtree(t / "kubeadm")
    for i in range(2000):
        a, b = divmod(i, 250)
        _write(t, f"kubeadm/cp{i:04d}.yaml", KUBEADM.format(i=i, a=a, b=b + 1))


def keepalived_deep(t: Path) -> None:
    _write(t, "lb/lb1/keepalived.conf", "vrrp_instance X {\n" + "a {\n" * 5000 + "}\n" * 5001)


def keepalived_unclosed(t: Path) -> None:
    _write(t, "lb/lb1/keepalived.conf", "vrrp_instance X {\n" + "a {\n" * 5000)


def bad_utf8_name(t: Path) -> None:
    with open(os.fsencode(t) + b"/bad-\xff.yaml", "wb") as f:
        f.write(b"apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n")  # a finding, so the name is printed


def ansi_name(t: Path) -> None:
    _write(t, "a\x1b[31mred.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n")


def unsearchable_dir(t: Path) -> None:
    _write(t, "locked/haproxy.cfg", "global\n")
    (t / "locked").chmod(0)  # as root this alone is not enough: run() drops CAP_DAC_* for this tree


def alias_bomb(t: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    _write(t, "bomb.yaml", "\n".join(lines) + "\n")


def merge_bomb(t: Path) -> None:
    lines = ["a0: &a0 {x: 1, y: 2}"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i}\n  <<: [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    _write(t, "merge.yaml", "\n".join(lines) + "\n")


def yaml_flow_braces(t: Path) -> None:
    _write(t, "flow.yaml", "a: " + "{" * 100_000 + "\n")


TREES: dict[str, Callable[[Path], None]] = {
    "braces-haproxy": braces_haproxy,
    "braces-keepalived": braces_keepalived,
    "braces-yaml-value": braces_yaml_value,
    "haproxy-unknown-20k": haproxy_unknown,
    "pem-1mb-spaces": pem_spaces,
    "kubeadm-2000": kubeadm_2000,
    "keepalived-deep-5000": keepalived_deep,
    "keepalived-unclosed": keepalived_unclosed,
    "name-not-utf8": bad_utf8_name,
    "name-ansi": ansi_name,
    "dir-unsearchable": unsearchable_dir,
    "yaml-alias-bomb": alias_bomb,
    "yaml-merge-bomb": merge_bomb,
    "yaml-flow-100k": yaml_flow_braces,
}


def run(kublint: list[str], tree: Path, timeout: float, no_dac: bool) -> tuple[float, float, int | str, str]:
    """Wall seconds, peak RSS MiB, exit code (or 'timeout'), first output line."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (read back after the child is reaped)
    start = time.perf_counter()
    proc = subprocess.Popen(
        # root reads a mode-000 directory anyway: drop the capabilities that let it, so it fails as for a user
        [*(SETPRIV if no_dac else []), *kublint, "check", "-f", "concise", str(tree)],
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    code: int | str
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.perf_counter() - start > timeout:
            proc.kill()
            _, _, usage = os.wait4(proc.pid, 0)
            code = "timeout"
            break
        time.sleep(0.02)
    proc.returncode = -1  # reaped above; keep Popen from waiting again
    wall = time.perf_counter() - start
    out.seek(0)
    text = out.read().decode("utf-8", "backslashreplace")
    if "Traceback" in text:
        first = "TRACEBACK: " + text.strip().splitlines()[-1]
    else:
        first = next((ln for ln in text.splitlines() if ln.strip()), "")
    return wall, usage.ru_maxrss / 1024, code, first.replace(str(tree), "T")[:110]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=[*TREES], action="append")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--keep", type=Path, help="generate the trees here and keep them")
    args = ap.parse_args()
    kublint = [sys.executable, "-m", "kublint"]  # PYTHONPATH chooses which kublint (e.g. an export of HEAD)
    base = args.keep or Path(tempfile.mkdtemp(prefix="kublint-hostile-"))
    print(f"{'tree':22} {'wall s':>7} {'RSS MiB':>8} {'exit':>7}  first line")
    try:
        for name in args.only or list(TREES):
            tree = base / name
            if tree.exists():
                for p in tree.rglob("*"):
                    if p.is_dir():
                        p.chmod(0o755)
                shutil.rmtree(tree)
            shutil.copytree(EXAMPLE, tree)
            TREES[name](tree)
            no_dac = name == "dir-unsearchable" and os.geteuid() == 0 and shutil.which("setpriv") is not None
            wall, rss, code, first = run(kublint, tree, args.timeout, no_dac)
            print(f"{name:22} {wall:7.2f} {rss:8.1f} {code!s:>7}  {first}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)  # root may remove a mode-000 directory


if __name__ == "__main__":
    main()
