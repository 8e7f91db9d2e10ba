"""KP113: see rules/KP113.md.

The check script is read when it is a file under the cluster root: the file named like the script path of the
``vrrp_script`` (``/etc/keepalived/check_apiserver.sh`` -> a ``check_apiserver.sh`` under the root, the one
nearest to the keepalived file). This is the only rule that reads a file the model does not hold; it reads at
most 512 KiB of text inside the root and follows no link out of it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.files import Kind, ParsedFile
from kublint.model.keepalived import VrrpScript, vrrp_instances, vrrp_scripts
from kublint.model.values import int_text
from kublint.model.vrrp_values import header_span, instance_name, is_placeholder, keepalived_files, track_refs
from kublint.rules.api import rule
from kublint.rules.keepalived._common import join_and
from kublint.source import Pos, Span
from kublint.text import is_digits

MAX_SCRIPT_BYTES = 512 * 1024
MAX_WALK = 5000
SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", "venv", ".venv", "site-packages"})
SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})

_VAR = r"\$\{?[A-Za-z_0-9][A-Za-z0-9_]*\}?"
_PORT = rf"(?P<port>\d{{1,5}}|{_VAR})"
_PATTERNS = (
    re.compile(rf"(?P<scheme>https?)://(?P<host>\[[^\]\s]+\]|[^/\s:'\"]+)(?::{_PORT})?"),
    re.compile(rf"/dev/(?:tcp|udp)/[^/\s'\"]+/{_PORT}"),
    re.compile(rf"\bnc\b(?:\s+-[A-Za-z]+)*\s+[^\s|;&'\"]+\s+{_PORT}"),
    re.compile(rf"(?<![/\w.])(?:localhost|\d{{1,3}}(?:\.\d{{1,3}}){{3}}|{_VAR}):{_PORT}\b"),
)
_LISTEN = re.compile(rf"\b(?:netstat|ss|lsof)\b.*?\bgrep\b(?:\s+-[A-Za-z]+)*\s+['\"]?[^\s'\"]*?:?{_PORT}\b")
_ASSIGN = re.compile(r"^\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\S*)")


class Probe(NamedTuple):
    port: int
    span: Span
    text: str


def _resolve(token: str, env: dict[str, str]) -> int | None:
    if is_digits(token):
        return int_text(token)
    name = token.strip("${}")
    value = env.get(name)
    return int_text(value) if value is not None and is_digits(value) else None


def probes(text: str, path: str, env: dict[str, str], first_line: int = 1, first_col: int = 1) -> list[Probe]:
    """Ports a shell text connects to (URLs, /dev/tcp, nc, host:port, a netstat/ss grep), each with its span.
    ``env`` resolves ``$1`` and simple ``NAME=value`` assignments; unresolved variables are no port."""
    env = dict(env)
    out: list[Probe] = []
    for i, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        m = _ASSIGN.match(line)
        if m:
            value = m.group(2).strip("'\"")
            env[m.group(1)] = env.get(value.strip("${}"), value) if value.startswith("$") else value
        found: list[tuple[int, int, int]] = []
        for pat in (*_PATTERNS, _LISTEN):
            for mm in pat.finditer(line):
                token = mm.group("port")
                if token is None:
                    scheme = mm.groupdict().get("scheme")
                    if scheme is None:
                        continue
                    port: int | None = 443 if scheme == "https" else 80
                    start, end = mm.start(), mm.end()
                else:
                    port = _resolve(token, env)
                    start, end = mm.start("port"), mm.end("port")
                if port is None or any(s <= start < e for _, s, e in found):
                    continue
                found.append((port, start, end))
        for port, start, end in found:
            col0 = first_col if i == 0 else 1
            span = Span(path, Pos(first_line + i, col0 + start), Pos(first_line + i, col0 + end))
            out.append(Probe(port, span, line.strip()))
    return out


def _find(cluster: Cluster, near: ParsedFile, name: str) -> ParsedFile | None:
    """The cluster's script file called ``name`` nearest to the keepalived file (same directory first)."""
    here = PurePosixPath(near.path).parent
    best: tuple[int, ParsedFile] | None = None
    for f in cluster.files:
        if f.kind is not Kind.SCRIPT or PurePosixPath(f.path).name != name or not isinstance(f.content, str):
            continue
        p = PurePosixPath(f.path).parent
        common = len([a for a, b in zip(p.parts, here.parts, strict=False) if a == b])
        distance = len(p.parts) + len(here.parts) - 2 * common
        if best is None or distance < best[0]:
            best = (distance, f)
    return best[1] if best else None


def _frontend_ports(cluster: Cluster, files: set[str] | None) -> list[tuple[int, Span, str]]:
    """Bind ports of the HAProxy API frontends (of ``files`` only, when given). With no frontend tied to the
    control plane, frontends whose servers all listen on the API server's port count."""
    chosen = [p for p in cluster.api_proxies if files is None or p.file.path in files]
    for tied in (True, False):
        out = [
            (a.port, a.span, f"HAProxy API frontend bind {a.text}" if tied
             else f"HAProxy frontend bind {a.text} (its servers listen on the API server's port)")
            for p in chosen if p.tied is tied and p.frontend is not None
            for b in p.frontend.binds for a in b.addresses if a.port is not None
        ]
        if out:
            return out
    return []


def expected_ports(cluster: Cluster, f: ParsedFile, hosts: set[str]) -> list[tuple[int, Span, str]]:
    """Ports clients use for the API, as seen from one keepalived file: the frontends of the HAProxy files on
    the same hosts or in the same directory when there are such, else all API frontends; and the
    controlPlaneEndpoint port."""
    here = PurePosixPath(f.path).parent
    local = {lb.file.path for lb in cluster.tied_proxies if hosts & set(lb.hosts)}
    local |= {h.path for h in cluster.files
              if h.kind is Kind.HAPROXY and PurePosixPath(h.path).parent == here}
    out = _frontend_ports(cluster, local) if local else []
    if not out:
        out = _frontend_ports(cluster, None)
    for ep in cluster.endpoints:
        if ep.port is not None:
            out.append((ep.port, ep.raw.span, f"controlPlaneEndpoint {ep.raw.value}"))
    return out


def _command(script: VrrpScript) -> tuple[str, list[str]] | None:
    cmd = script.script
    if cmd is None or is_placeholder(cmd.value):
        return None
    try:
        words = shlex.split(cmd.value)
    except ValueError:
        words = cmd.value.split()
    return (words[0], words[1:]) if words else None


def script_probes(cluster: Cluster, f: ParsedFile, script: VrrpScript) -> list[Probe]:
    cmd = script.script
    parsed = _command(script)
    if cmd is None or parsed is None:
        return []
    program, args = parsed
    if PurePosixPath(program).name in SHELLS and args and not args[0].startswith("-"):
        program, args = args[0], args[1:]  # "/bin/bash /etc/keepalived/check.sh 8443"
    inline = probes(cmd.value, cmd.span.path, {}, cmd.span.start.line, cmd.span.start.col)
    if inline:
        return [Probe(p.port, cmd.span, cmd.value) for p in inline]
    name = PurePosixPath(program).name
    if not name or name in SHELLS or name in ("curl", "nc", "wget", "killall", "pidof", "pgrep", "systemctl"):
        return []
    found = _find(cluster, f, name)
    if found is None or not isinstance(found.content, str):
        return []
    env = {str(i + 1): a for i, a in enumerate(args)}
    return probes(found.content, found.path, env)


@rule("KP113")
def check_script_wrong_port(cluster: Cluster) -> Iterator[Problem]:
    hosts_of = {v.file.path: set(v.hosts) for v in cluster.vrrps}
    for f, cfg in keepalived_files(cluster.files):
        expected = expected_ports(cluster, f, hosts_of.get(f.path, set()))
        if not expected:
            continue
        ports = {p for p, _, _ in expected}
        want = join_and(sorted({str(p) for p in ports}))
        scripts = {s.name.value: s for s in vrrp_scripts(cfg) if s.name is not None}
        for inst in vrrp_instances(cfg):
            for ref in [r.name.value for r in track_refs(inst.block, "track_script")]:
                script = scripts.get(ref)
                if script is None:
                    continue
                found = script_probes(cluster, f, script)
                if not found or any(p.port in ports for p in found):
                    continue
                probed = join_and(sorted({str(p.port) for p in found}))
                name = instance_name(inst)
                related = [Related(p.span, f"the check probes port {p.port}: {p.text[:80]}")
                           for p in found[:3]]
                related += [Related(s, what) for _, s, what in expected[:2]]
                yield Problem(
                    f"{name} tracks vrrp_script {ref}, which probes port {probed}, but clients reach the API "
                    f"through port {want}: the check watches something other than the load balancer in front "
                    "of the API, so the VIP stays on a host whose HAProxy is down (or moves away from a "
                    "healthy one); kubeadm's check_apiserver.sh probes the load balancer's port: probe port "
                    f"{want}",
                    header_span(inst.block), tuple(related), anchor=f"vrrp_instance:{name}/check-port/{ref}",
                )
