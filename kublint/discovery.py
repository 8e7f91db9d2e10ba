"""Walk the given paths, find the cluster roots and the files that may belong to a cluster.

A cluster root is a directory given on the command line, or a directory below it that holds an inventory file,
a ``.kublint.yaml`` or talhelper's ``talconfig.yaml``. An inventory kept in a sub-directory named
``inventory`` or ``inventories`` (the Ansible and Kubespray layout) makes its parent the root, and so does
kubespray's ``inventory/<cluster>/`` when it is the only cluster there. A file named on the command line is
linted with its whole cluster: the nearest ancestor that is a root, else its own directory.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import NamedTuple

CONFIG_NAMES = (".kublint.yaml", ".kublint.yml")
YAML_SUFFIXES = (".yaml", ".yml")
TEXT_SUFFIXES = (
    ".ini",
    ".cfg",
    ".conf",
    ".env",
    ".service",
    ".timer",
    ".cron",
    ".crontab",
    ".crt",
    ".pem",
    ".cert",
    ".kubeconfig",
    ".sh",  # check scripts that Keepalived runs
)
PLAIN_NAMES = ("hosts", "inventory", "crontab", "etcd.env")
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tpl", ".tmpl")
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
INVENTORY_DIRS = ("inventory", "inventories")
TALCONFIG_NAMES = ("talconfig.yaml", "talconfig.yml")  # talhelper's cluster definition: a root by its name


class PathNotFoundError(Exception):
    pass


class Candidate(NamedTuple):
    abspath: Path
    display: str
    explicit: bool
    unreadable: str | None = None  # why it could not be looked at (a directory that cannot be listed): SY004


class Root:
    __slots__ = ("abspath", "candidates", "display", "skipped")

    abspath: Path
    display: str
    candidates: list[Candidate]
    skipped: list[tuple[str, str]]  # (display path, why), shown with -v

    def __init__(
        self,
        abspath: Path,
        display: str,
        candidates: list[Candidate] | None = None,
        skipped: list[tuple[str, str]] | None = None,
    ) -> None:
        self.abspath = abspath
        self.display = display
        self.candidates = [] if candidates is None else candidates
        self.skipped = [] if skipped is None else skipped


# What makes a path need quoting: C0 controls, DEL, C1 controls (U+009B is a one-character CSI to some
# terminals), '"' and '\\', and the bytes that are not UTF-8 (surrogateescape keeps them as U+DC80-U+DCFF).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\"\\\\\udc80-\udcff]")
_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
              "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def quote_path(path: str) -> str:
    r"""A path as git shows it with ``core.quotePath=false``: unchanged when it is plain, else in double
    quotes with ``\"``, ``\\``, the C escapes (``\t``, ``\n``, ...) and every other unsafe byte as a 3-digit
    octal escape (``"bad-\377.yaml"``, ``"a\033[31mred.yaml"``). Unlike git, control characters above U+007F
    are escaped too (as the octal of their UTF-8 bytes); printable non-ASCII names stay readable. Every output
    format shows this text, so no file name reaches a terminal or a CI log raw, and a name that is not UTF-8
    cannot make the report fail to encode."""
    if _UNSAFE.search(path) is None:
        return path
    return '"' + _UNSAFE.sub(_escape, path) + '"'


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _C_ESCAPES:
        return _C_ESCAPES[ch]
    raw = os.fsencode(ch) if "\udc80" <= ch <= "\udcff" else ch.encode("utf-8")
    return "".join(f"\\{b:03o}" for b in raw)


_UNESCAPE = re.compile(r'\\([0-7]{3}|[abtnvfr"\\])')
_C_BYTES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def path_bytes(display: str) -> bytes:
    """The bytes of the path a ``quote_path`` text names (for a SARIF URI, which percent-encodes them)."""
    if not (len(display) >= 2 and display.startswith('"') and display.endswith('"')):
        return os.fsencode(display)
    out = bytearray()
    pos = 0
    body = display[1:-1]
    for m in _UNESCAPE.finditer(body):
        out += os.fsencode(body[pos:m.start()])
        esc = m.group(1)
        out.append(int(esc, 8) if len(esc) == 3 else _C_BYTES[esc])
        pos = m.end()
    out += os.fsencode(body[pos:])
    return bytes(out)


def display_path(p: Path, cwd: Path) -> str:
    try:
        rel = p.relative_to(cwd)
    except ValueError:
        return quote_path(p.as_posix())
    s = rel.as_posix()
    return quote_path(s) if s else "."


def is_candidate(name: str, explicit: bool) -> bool:
    lower = name.lower()
    base = lower
    for t in TEMPLATE_SUFFIXES:
        if lower.endswith(t):
            if not explicit:
                return False  # unrendered templates are linted only when named
            base = lower[: -len(t)]
    if base.endswith(YAML_SUFFIXES) or base.endswith(TEXT_SUFFIXES) or base in PLAIN_NAMES:
        return True
    return "." not in base  # files with no extension: crontabs, inventories named "hosts-prod"


def is_excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel + "/", p) for p in patterns)


_NATIVE = re.compile(r"^apiVersion:\s*['\"]?kublint\.dev/", re.M)
_ANSIBLE_YAML = re.compile(r"^(?:all|k3s_cluster):\s*$", re.M)  # k3s-ansible leaves ``all`` implicit


def sniff_inventory(path: Path) -> bool:
    """A cheap look at a file's text: is it an inventory (kublint's own or Ansible's)?"""
    name = path.name.lower()
    if not is_candidate(name, False):
        return False
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 5 * 1024 * 1024:
            return False
        text = path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return False
    if name.endswith(YAML_SUFFIXES):
        return (bool(_NATIVE.search(text)) and "Inventory" in text) or bool(
            _ANSIBLE_YAML.search(text) and ("hosts:" in text or "children:" in text)
        )
    from kublint.parsers.ini import looks_like_ini_inventory

    return looks_like_ini_inventory(text)


def dir_is_root(d: Path) -> bool:
    try:
        if any((d / n).is_file() for n in (*CONFIG_NAMES, *TALCONFIG_NAMES)):
            return True
    except OSError:  # a directory that cannot be searched: the walk reports it (SY004), it is no root
        return False
    for sub in (d, *(d / n for n in INVENTORY_DIRS)):
        try:
            entries = sorted(sub.iterdir()) if sub.is_dir() else []
            if any(e.is_file() and sniff_inventory(e) for e in entries):
                return True
        except OSError:
            continue
    return False


def _one_cluster_inside(d: Path) -> bool:
    """``inventory/mycluster/hosts.yaml`` alone (kubespray's layout): the files beside ``inventory/`` (load
    balancers, backup jobs) are that cluster's. With several clusters inside, each is a root of its own."""
    try:
        subs = [s for s in d.iterdir() if s.is_dir() and not s.name.startswith(".")]
    except OSError:
        return False
    return sum(1 for s in subs if dir_is_root(s)) == 1


def _root_for_file(f: Path, cwd: Path) -> Path:
    stop = cwd if f.is_relative_to(cwd) else Path(f.anchor)
    d = f.parent
    while True:
        if dir_is_root(d):
            if d.parent.name in INVENTORY_DIRS and d != stop and _one_cluster_inside(d.parent):
                return d.parent.parent
            return d
        if d == stop or d.parent == d:
            return f.parent
        d = d.parent


def discover(paths: list[str], cwd: Path, exclude: tuple[str, ...] = ()) -> list[Root]:
    """Cluster roots with their candidate files, in a stable order."""
    roots: dict[Path, Root] = {}
    explicit_files: dict[Path, set[Path]] = {}
    for raw in paths:
        p = Path(raw)
        ap = p if p.is_absolute() else cwd / p
        if not ap.exists() and not ap.is_symlink():
            raise PathNotFoundError(raw)
        ap = Path(os.path.abspath(ap))
        if ap.is_dir():
            _walk_dir(ap, cwd, exclude, roots)
        else:
            root_dir = _root_for_file(ap, cwd)
            explicit_files.setdefault(root_dir, set()).add(ap)
            if root_dir not in roots:
                _walk_dir(root_dir, cwd, exclude, roots)
    # files named explicitly are candidates even when their name would not make them one
    for root_dir, files in explicit_files.items():
        owner = roots.get(root_dir) or roots.setdefault(root_dir, Root(root_dir, display_path(root_dir, cwd)))
        known = {c.abspath: i for i, c in enumerate(owner.candidates)}
        for f in sorted(files):
            cand = Candidate(f, display_path(f, cwd), True)
            if f in known:
                owner.candidates[known[f]] = cand
            else:
                owner.candidates.append(cand)
    out = [roots[k] for k in sorted(roots)]
    for r in out:
        r.candidates.sort(key=lambda c: c.display)
    return out


def _walk_dir(top: Path, cwd: Path, exclude: tuple[str, ...], roots: dict[Path, Root]) -> None:
    top_root = roots.setdefault(top, Root(top, display_path(top, cwd)))
    owner_of: dict[Path, Root] = {top: top_root}
    single: set[Path] = set()  # inventory directories that hold one cluster's directory

    def unlistable(exc: OSError) -> None:
        # a directory the walk cannot list is an SY004 finding at its path, and the walk goes on
        d = Path(exc.filename) if exc.filename is not None else top
        owner = owner_of.get(d, top_root)
        why = f"cannot list the directory: {exc.strerror or exc}; its files are not linted"
        owner.candidates.append(Candidate(d, display_path(d, cwd), True, why))

    for dirpath, dirnames, filenames in os.walk(top, onerror=unlistable, followlinks=False):
        d = Path(dirpath)
        owner = owner_of[d]
        keep = []
        for name in sorted(dirnames):
            sub = d / name
            rel = sub.relative_to(top).as_posix()
            if name.startswith(".") or name in SKIP_DIRS or is_excluded(rel, exclude):
                continue
            if name in INVENTORY_DIRS:
                owner_of[sub] = owner
                if _one_cluster_inside(sub):
                    single.add(sub)
            elif d in single:
                owner_of[sub] = owner  # kubespray's inventory/<cluster>/: the repository is the cluster
            elif dir_is_root(sub):
                owner_of[sub] = roots.setdefault(sub, Root(sub, display_path(sub, cwd)))
            else:
                owner_of[sub] = owner
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            f = d / name
            rel = f.relative_to(top).as_posix()
            if name in CONFIG_NAMES or is_excluded(rel, exclude):
                continue
            if not is_candidate(name, False):
                if name.lower().endswith(TEMPLATE_SUFFIXES):
                    owner.skipped.append((display_path(f, cwd), "template (lint it by naming it)"))
                continue
            owner.candidates.append(Candidate(f, display_path(f, cwd), False))
