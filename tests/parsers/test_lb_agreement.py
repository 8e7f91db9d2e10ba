"""kublint's unknown-keyword lists against the real programs: ``haproxy -c`` and ``keepalived -t``.

For every fixture and corpus file without template placeholders: each keyword the program calls unknown,
kublint reports on the same line; and each line kublint reports, the program rejects too. Skipped when a
binary is absent. The figures are recorded in docs/lb-parsers.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from kublint.parsers.haproxy import looks_like_haproxy, parse_haproxy
from kublint.parsers.haproxy_keywords import unknown_keywords as haproxy_unknown
from kublint.parsers.keepalived import looks_like_keepalived, parse_keepalived
from kublint.parsers.keepalived_keywords import unknown_keywords as keepalived_unknown
from kublint.source import SourceFile

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "parsers"
_PLACEHOLDER = re.compile(r"\{\{|\{%|\$\{|<[A-Za-z][A-Za-z0-9_ .-]*>")
HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
KEEPALIVED = shutil.which("keepalived") or (
    "/usr/sbin/keepalived" if Path("/usr/sbin/keepalived").exists() else None
)


def corpus_dir() -> Path | None:
    env = os.environ.get("KUBLINT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared"]:
        if (cand / "corpus").is_dir():
            return cand / "corpus"
    return None


def _corpus(sub: str) -> list[Path]:
    base = corpus_dir()
    return sorted(p for p in (base / sub).rglob("*") if p.is_file()) if base and (base / sub).is_dir() else []


def haproxy_files() -> list[Path]:
    corpus = [p for d in ("haproxy", "mixed-cluster") for p in _corpus(d) if looks_like_haproxy(_text(p))]
    return sorted((FIXTURES / "haproxy").rglob("*.cfg")) + corpus


def keepalived_files() -> list[Path]:
    dirs = ("keepalived", "mixed-cluster")
    corpus = [p for d in dirs for p in _corpus(d) if looks_like_keepalived(_text(p))]
    return sorted((FIXTURES / "keepalived").rglob("*.conf")) + corpus


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def source_of(path: Path) -> SourceFile:
    return SourceFile(path.name, path, _text(path))


def templated(path: Path) -> bool:
    return _PLACEHOLDER.search(_text(path)) is not None


def _name(path: Path) -> str:
    return path.name.replace("/", "_")


# ---------------------------------------------------------------- HAProxy

_HP_UNKNOWN = re.compile(
    r":(\d+)\].*?(?:unknown (?:keyword|option|statement) '([^']*)'(?! out of section)"
    r"|'timeout' supports .*\(got '([^']*)'\))"
)
_HP_ALERT = re.compile(r"\[ALERT\].*?\[[^\]]*?:(\d+)\]")
_HP_STOP = re.compile(  # errors after which HAProxy reads no further
    r":(\d+)\].*?(too many fatal errors|lone '\.(?:endif|else|elif)'|in log-forward section)"
)


def haproxy_says(path: Path) -> tuple[set[tuple[int, str]], set[int], int]:
    """(unknown (line, keyword) pairs, lines with an alert, the line after which HAProxy stopped reading)."""
    assert HAPROXY is not None
    out = subprocess.run(
        [HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True, errors="replace", timeout=60
    )
    text = out.stdout + out.stderr
    unknown = {(int(m[1]), m[2] or m[3]) for m in _HP_UNKNOWN.finditer(text)}
    alerts = {int(m[1]) for m in _HP_ALERT.finditer(text)}
    stops = [int(m[1]) for m in _HP_STOP.finditer(text)]
    return unknown, alerts, min(stops) if stops else 1 << 30


def kublint_haproxy(path: Path) -> tuple[set[tuple[int, str]], set[int]]:
    """kublint's unknown (line, keyword) pairs, and the lines under .if conditions (HAProxy may skip them)."""
    config = parse_haproxy(source_of(path))
    conditioned = {d.line for d in config.directives if d.conditions}
    return {(span.start.line, kw) for span, kw, _ in haproxy_unknown(config)}, conditioned


HP_CASES = [p for p in haproxy_files() if not templated(p)]


@pytest.mark.skipif(HAPROXY is None, reason="haproxy is not installed")
@pytest.mark.parametrize("path", HP_CASES, ids=_name)
def test_haproxy_agrees(path: Path) -> None:
    theirs, alerts, stop = haproxy_says(path)
    ours, conditioned = kublint_haproxy(path)
    theirs = {(ln, kw) for ln, kw in theirs if ln not in conditioned and ln <= stop}
    ours = {(ln, kw) for ln, kw in ours if ln not in conditioned and ln <= stop}
    missed = {t for t in theirs if t[0] not in {ln for ln, _ in ours}}
    assert not missed, f"haproxy reports unknown keywords kublint misses: {sorted(missed)}"
    extra = {o for o in ours if o[0] not in alerts}
    assert not extra, f"kublint reports keywords haproxy accepts: {sorted(extra)}"


# ---------------------------------------------------------------- keepalived

_KA_UNKNOWN = re.compile(r"\((?:([^():]*?): )?Line (\d+)\) Unknown keyword '(.*)'$", re.M)


def keepalived_says(path: Path) -> Counter[tuple[str, int, str]]:
    """Unknown keywords keepalived reports, as (file name, line, keyword), once per distinct report."""
    assert KEEPALIVED is not None
    out = subprocess.run(
        [KEEPALIVED, "-t", "-f", str(path)], capture_output=True, text=True, errors="replace", timeout=60,
        cwd=path.parent,
    )
    found = {(Path(m[1] or path.name).name, int(m[2]), m[3]) for m in _KA_UNKNOWN.finditer(out.stderr)}
    return Counter(found)


def kublint_keepalived(path: Path) -> Counter[tuple[str, int, str]]:
    config = parse_keepalived(source_of(path), root=path.parent)
    unknown = keepalived_unknown(config, os.uname().nodename)
    found = {(Path(span.path).name, span.start.line, kw) for span, kw, _ in unknown}
    return Counter(found)


def _ka_comparable(path: Path) -> bool:
    if templated(path):
        return False
    config = parse_keepalived(source_of(path), root=path.parent)
    # keepalived numbers the pieces of a long line oddly and follows includes kublint refuses to follow
    refused = any(rid == "SY004" or "cycle" in p.message for rid, p in config.problems)
    return not config.long_lines and not refused


KA_CASES = [p for p in keepalived_files() if _ka_comparable(p)]


@pytest.mark.skipif(KEEPALIVED is None, reason="keepalived is not installed")
@pytest.mark.parametrize("path", KA_CASES, ids=_name)
def test_keepalived_agrees(path: Path) -> None:
    theirs = keepalived_says(path)
    ours = kublint_keepalived(path)
    assert set(theirs) - set(ours) == set(), "keepalived reports unknown keywords kublint misses"
    assert set(ours) - set(theirs) == set(), "kublint reports keywords keepalived accepts"


@pytest.mark.skipif(KEEPALIVED is None, reason="keepalived is not installed")
def test_keepalived_long_line_pieces() -> None:
    """Lines over 1023 bytes: keepalived reads the rest as new lines and reports it; kublint reports the same
    keywords (keepalived numbers such pieces differently in each of its parses, so only keywords compare)."""
    path = FIXTURES / "keepalived" / "hostile-garbage.conf"
    theirs = {kw for _, _, kw in keepalived_says(path)}
    config = parse_keepalived(source_of(path), root=path.parent)
    ours = {kw for _, kw, _ in keepalived_unknown(config, os.uname().nodename)}
    assert config.long_lines
    assert ours == theirs


def test_agreement_covers_files() -> None:
    assert len(HP_CASES) >= 5
    assert len(KA_CASES) >= 5


# ---------------------------------------------------------------- the keyword tables, keyword by keyword

_HP_HEADERS = {
    "global": "global", "defaults": "defaults", "frontend": "frontend fe", "backend": "backend be",
    "listen": "listen li", "peers": "peers pp", "resolvers": "resolvers rr", "userlist": "userlist uu",
    "mailers": "mailers mm", "program": "program pg", "http-errors": "http-errors he", "ring": "ring rg",
    "cache": "cache cc", "log-forward": "log-forward lf", "fcgi-app": "fcgi-app fa",
}


def _hp_table_cases() -> list[tuple[str, list[str], list[str]]]:
    """(section header, lines, the unknown keyword on each line): near misses of every known keyword."""
    from kublint.parsers.haproxy_keywords import BIND_KEYWORDS, OPTIONS, SERVER_KEYWORDS, section_keywords

    def typos(known: frozenset[str] | dict[str, int]) -> list[str]:
        return sorted(k + "zz" for k in known if k + "zz" not in known and k not in ("no", "default"))

    groups: list[tuple[str, list[str], list[str], int]] = []
    for kind, header in _HP_HEADERS.items():
        words = typos(section_keywords(kind) or frozenset())
        size = 1 if kind == "log-forward" else 40  # an unknown keyword there stops HAProxy's reading
        groups.append((header, [f"{t} x" for t in words], words, size))
    words = typos(OPTIONS)
    groups.append(("listen li", [f"option {t}" for t in words], words, 40))
    words = typos(SERVER_KEYWORDS)
    groups.append(("backend be", [f"server s{i} 127.0.0.1:80 {t}" for i, t in enumerate(words)], words, 40))
    words = typos(BIND_KEYWORDS)
    binds = [f"bind 127.0.0.1:{20000 + i} {t}" for i, t in enumerate(words)]
    groups.append(("frontend fe", binds, words, 40))
    return [
        (header, lines[i : i + size], words[i : i + size])
        for header, lines, words, size in groups
        for i in range(0, len(lines), size)
    ]


@pytest.mark.skipif(HAPROXY is None, reason="haproxy is not installed")
def test_haproxy_tables_keyword_by_keyword(tmp_path: Path) -> None:
    """A near miss of every known keyword, option, server and bind keyword: HAProxy and kublint both call
    each one unknown, on its line."""
    agreed = 0
    for n, (header, lines, words) in enumerate(_hp_table_cases()):
        path = tmp_path / f"t{n}.cfg"
        path.write_text(header + "\n" + "".join(f"    {line}\n" for line in lines))
        theirs, _, _ = haproxy_says(path)
        ours, _ = kublint_haproxy(path)
        expected = {(i + 2, w) for i, w in enumerate(words)}
        assert theirs == expected == ours, header
        agreed += len(expected)
    assert agreed > 500


def _ka_contexts() -> list[tuple[str, list[str]]]:
    from kublint.parsers.keepalived_keywords import CONTEXTS

    return [(path, sorted(table)) for path, table in sorted(CONTEXTS.items())]


_KA_ARGS = {"virtual_server": "10.0.0.1 80", "real_server": "10.0.0.2 80"}


@pytest.mark.skipif(KEEPALIVED is None, reason="keepalived is not installed")
def test_keepalived_tables_keyword_by_keyword(tmp_path: Path) -> None:
    """In every block kublint knows, a near miss of each known keyword: both call each one unknown."""
    agreed = 0
    for n, (ctx, known) in enumerate(_ka_contexts()):
        opened = [f"{kw} {_KA_ARGS.get(kw, 'zzname')} {{\n" for kw in ctx.split("/") if kw]
        typos = [k + "_zz" for k in known if k + "_zz" not in known]
        path = tmp_path / f"t{n}.conf"
        path.write_text("".join(opened) + "".join(f"  {t} 1\n" for t in typos) + "}\n" * len(opened))
        theirs = {(line, kw) for _, line, kw in keepalived_says(path)}
        ours = {(line, kw) for _, line, kw in kublint_keepalived(path)}
        expected = {(len(opened) + 1 + i, t) for i, t in enumerate(typos)}
        assert theirs == expected == ours, ctx
        agreed += len(expected)
    assert agreed > 400
