"""Read a candidate file, recognise its kind by content and parse it once."""

from __future__ import annotations

import os
from pathlib import Path

from kublint.discovery import YAML_SUFFIXES, Candidate
from kublint.findings import Problem
from kublint.model.files import Kind, ParsedFile
from kublint.placeholders import has_template_syntax
from kublint.source import SourceFile, whole_file_span

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
KNOWN_TEXT_SUFFIXES = (".yaml", ".yml", ".ini", ".cfg", ".conf", ".env", ".service", ".timer", ".cron")

ETCD_KEYS = frozenset(
    {
        "name",
        "data-dir",
        "wal-dir",
        "initial-cluster",
        "initial-cluster-state",
        "initial-cluster-token",
        "listen-peer-urls",
        "listen-client-urls",
        "initial-advertise-peer-urls",
        "advertise-client-urls",
        "heartbeat-interval",
        "election-timeout",
        "client-transport-security",
        "peer-transport-security",
        "snapshot-count",
        "quota-backend-bytes",
        "strict-reconfig-check",
        "listen-metrics-urls",
    }
)
_ETCD_STRONG = frozenset(
    {
        "initial-cluster",
        "listen-peer-urls",
        "initial-advertise-peer-urls",
        "advertise-client-urls",
        "listen-client-urls",
        "client-transport-security",
        "peer-transport-security",
        "initial-cluster-token",
    }
)
COMPONENT_CONFIG_GROUPS = (
    "kubescheduler.config.k8s.io/",
    "kubelet.config.k8s.io/",
    "kubeproxy.config.k8s.io/",
)


def _unreadable(c: Candidate, why: str, source: SourceFile | None = None) -> ParsedFile:
    src = source or SourceFile(c.display, c.abspath, "")
    pf = ParsedFile(src, None, c.explicit)
    pf.add_problem("SY004", Problem(why, whole_file_span(c.display)))
    return pf


def forced_kind(c: Candidate, root: Path, kinds: tuple[tuple[str, str], ...]) -> str | None:
    """A ``kinds:`` override from the configuration: the first glob that matches the path in the root."""
    if not kinds:
        return None
    import fnmatch

    try:
        rel = c.abspath.relative_to(root).as_posix()
    except ValueError:
        rel = c.abspath.name
    for glob, kind in kinds:
        if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(c.abspath.name, glob):
            return kind
    return None


def read_candidate(
    c: Candidate, root: Path, max_bytes: int = DEFAULT_MAX_BYTES, kinds: tuple[tuple[str, str], ...] = ()
) -> ParsedFile | None:
    """Parse one file. ``None`` means: not a file kublint lints (and it was not named explicitly)."""
    if c.unreadable is not None:
        return _unreadable(c, c.unreadable)
    name = c.abspath.name.lower()
    reportable = c.explicit or name.endswith(KNOWN_TEXT_SUFFIXES)
    try:
        if c.abspath.is_symlink():
            target = Path(os.path.realpath(c.abspath))
            if not target.is_relative_to(Path(os.path.realpath(root))):
                return _unreadable(
                    c, f"symbolic link to {target.as_posix()}, outside the cluster root; not followed"
                )
            if not target.exists():
                return _unreadable(c, "broken symbolic link") if reportable else None
        if not c.abspath.is_file():
            return _unreadable(c, "not a regular file") if c.explicit else None
        size = c.abspath.stat().st_size
        if size > max_bytes:
            if not reportable:
                return None
            return _unreadable(
                c, f"file is {size / 1048576:.1f} MiB, over the {max_bytes / 1048576:.0f} MiB limit"
            )
        raw = c.abspath.read_bytes()
    except OSError as exc:
        return _unreadable(c, f"cannot read the file: {exc.strerror or exc}") if reportable else None
    if b"\x00" in raw[:8192] or b"\x00" in raw:
        return _unreadable(c, "binary file (it holds NUL bytes)") if reportable else None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not reportable:
            return None
        return _unreadable(c, f"not UTF-8 text (invalid byte at offset {exc.start})")
    if text.startswith("\ufeff"):
        text = text[1:]
    source = SourceFile(c.display, c.abspath, text)
    forced = forced_kind(c, root, kinds)
    if forced is not None:
        return classify_as(source, c.explicit, forced, root)
    return classify(source, c.explicit, root)


def classify_as(source: SourceFile, explicit: bool, kind: str, root: Path | None = None) -> ParsedFile:
    """Parse a file as the kind the configuration says it is."""
    from kublint.parsers.crontab import parse_crontab
    from kublint.parsers.envfile import parse_env
    from kublint.parsers.ini import parse_ini_inventory
    from kublint.parsers.systemd import parse_unit

    k = Kind(kind)
    if k is Kind.SYSTEMD_UNIT:
        return ParsedFile(source, k, explicit, content=parse_unit(source))
    if k is Kind.CRONTAB:
        return ParsedFile(source, k, explicit, content=parse_crontab(source))
    if k is Kind.ETCD_ENV:
        return ParsedFile(source, k, explicit, content=parse_env(source))
    if k is Kind.HAPROXY:
        return _haproxy(source, explicit)
    if k is Kind.KEEPALIVED:
        return _keepalived(source, explicit, root)
    if k is Kind.ANSIBLE_INVENTORY and not source.abspath.name.lower().endswith(YAML_SUFFIXES):
        inv = parse_ini_inventory(source)
        pf = ParsedFile(source, k, explicit, content=inv)
        for p in inv.problems:
            pf.add_problem("SY001", p)
        return pf
    pf = _classify_yaml(source, explicit)
    pf.kind = k
    return pf


def _stripped_name(name: str) -> str:
    from kublint.discovery import TEMPLATE_SUFFIXES

    for t in TEMPLATE_SUFFIXES:
        if name.endswith(t):
            return name[: -len(t)]
    return name


def classify(source: SourceFile, explicit: bool, root: Path | None = None) -> ParsedFile | None:
    name = _stripped_name(source.abspath.name.lower())
    if name.endswith(YAML_SUFFIXES) or name.endswith((".yaml.sample", ".yml.sample")):
        return _classify_yaml(source, explicit)
    return _classify_text(source, explicit, name, root)


def _classify_yaml(source: SourceFile, explicit: bool) -> ParsedFile:
    from kublint.parsers.yaml import parse_yaml

    result = parse_yaml(source)
    pf = ParsedFile(source, None, explicit, documents=result.documents)
    templated = bool(result.errors) and has_template_syntax(source.text)
    for p in result.errors:
        if templated:  # say what the user must do: render the template, not fix the YAML by hand
            p = Problem(
                f"{p.message}; the file holds template markup ({{{{ }}}} or {{% %}}): "
                "lint it after rendering",
                p.span, p.related, p.anchor,
            )
        pf.add_problem("SY001", p)
    for p in result.duplicates:
        pf.add_problem("SY002", p)
    pf.kind = yaml_kind(pf)
    if pf.kind is None and _in_vars_dir(source) and any(isinstance(d.data, dict) for d in pf.documents):
        pf.kind = Kind.ANSIBLE_VARS
    if pf.kind is None and pf.documents:
        from kublint.dialects import unsupported

        other = unsupported((d.api_version, d.kind, d.data) for d in pf.documents)
        if other is not None:
            pf.kind, pf.content = Kind.UNSUPPORTED, other
    if pf.kind is None and (result.errors or result.duplicates):
        pf.kind = Kind.YAML  # a broken YAML file under a cluster root is worth a finding
    return pf


def _in_vars_dir(source: SourceFile) -> bool:
    return any(p in ("group_vars", "host_vars") for p in source.abspath.parent.parts)


def yaml_kind(pf: ParsedFile) -> Kind | None:
    docs = pf.documents
    versions = [d.api_version for d in docs]
    if any(v.startswith("kubeadm.k8s.io/") for v in versions):
        return Kind.KUBEADM
    if any(d.api_version.startswith("kubekey.kubesphere.io/") and d.kind in ("Cluster", "Inventory", "Config")
           for d in docs):
        return Kind.KUBEKEY
    if any((d.api_version.startswith("controlplane.cluster.x-k8s.io/") and d.kind == "KubeadmControlPlane")
           or (d.api_version.startswith("cluster.x-k8s.io/") and d.kind == "Cluster") for d in docs):
        return Kind.CAPI
    for d in docs:
        if d.api_version.startswith("kublint.dev/") and d.kind == "Inventory":
            return Kind.INVENTORY
    if any(d.kind == "Config" and isinstance(d.get("users"), list) for d in docs):
        return Kind.KUBECONFIG
    if any(v.startswith(COMPONENT_CONFIG_GROUPS) for v in versions):
        return Kind.COMPONENT_CONFIG
    if any(d.kind == "CronJob" for d in docs):
        return Kind.CRONJOB
    from kublint.model.staticpod import is_static_pod

    if any(is_static_pod(d) for d in docs):
        return Kind.STATIC_POD
    for d in docs:
        data = d.data
        if not isinstance(data, dict):
            continue
        from kublint.model.ansible import is_ansible_yaml

        if is_ansible_yaml(data):
            return Kind.ANSIBLE_INVENTORY
        from kublint.model.talos import is_machine_config, is_talconfig

        if is_talconfig(data, pf.source.abspath.name) or is_machine_config(data):
            return Kind.TALOS
        keys = set(data)
        if len(keys & ETCD_KEYS) >= 2 and keys & _ETCD_STRONG and "apiVersion" not in keys:
            return Kind.ETCD_CONFIG
    from kublint.model.k3s_config import is_config as is_k3s_config

    first = next((d for d in docs if d.data is not None), None)
    if first is not None and is_k3s_config(first.data, pf.source.path):
        return Kind.K3S
    return None


def _classify_text(
    source: SourceFile, explicit: bool, name: str, root: Path | None = None
) -> ParsedFile | None:
    from kublint.parsers.crontab import parse_crontab, runs_etcd_snapshot
    from kublint.parsers.envfile import looks_like_etcd_env, parse_env
    from kublint.parsers.ini import looks_like_ini_inventory, parse_ini_inventory
    from kublint.parsers.systemd import looks_like_unit, parse_unit

    text = source.text
    if name.endswith(".sh") or text.startswith(("#!/bin/sh", "#!/bin/bash", "#!/usr/bin/env bash")):
        return ParsedFile(source, Kind.SCRIPT, explicit, content=text)
    from kublint.parsers.certs import looks_like_pem

    if looks_like_pem(text):
        return _certificate_file(source, explicit)
    if (
        name.endswith((".conf", ".kubeconfig"))
        and "client-certificate-data" in text
        and "kind: Config" in text
    ):
        pf = _classify_yaml(source, explicit)
        if pf.kind is Kind.KUBECONFIG:
            return pf
    from kublint.parsers.haproxy import looks_like_haproxy
    from kublint.parsers.keepalived import looks_like_keepalived

    if looks_like_keepalived(text):
        return _keepalived(source, explicit, root)
    if looks_like_haproxy(text):
        return _haproxy(source, explicit)
    if (name.endswith(".env") or "ETCD_" in text) and looks_like_etcd_env(text):
        return ParsedFile(source, Kind.ETCD_ENV, explicit, content=parse_env(source))
    unit_name = name.endswith((".service", ".timer"))
    if (unit_name or not looks_like_ini_inventory(text)) and looks_like_unit(text):
        return ParsedFile(source, Kind.SYSTEMD_UNIT, explicit, content=parse_unit(source))
    if looks_like_ini_inventory(text):
        inv = parse_ini_inventory(source)
        pf = ParsedFile(source, Kind.ANSIBLE_INVENTORY, explicit, content=inv)
        for p in inv.problems:
            pf.add_problem("SY001", p)
        return pf
    if "snapshot" in text and ("etcdctl" in text or "etcdutl" in text):
        entries = [e for e in parse_crontab(source) if runs_etcd_snapshot(e.command)]
        if entries:
            return ParsedFile(source, Kind.CRONTAB, explicit, content=entries)
    if explicit:
        return ParsedFile(source, None, explicit)
    return None


def _certificate_file(source: SourceFile, explicit: bool) -> ParsedFile:
    from kublint.parsers.certs import available, parse_pem

    if not available():
        return ParsedFile(source, Kind.CERTIFICATE, explicit, content=None)
    certs, problems = parse_pem(source)
    pf = ParsedFile(source, Kind.CERTIFICATE, explicit, content=certs)
    for p in problems:
        pf.add_problem("SY001", p)
    return pf


def _haproxy(source: SourceFile, explicit: bool) -> ParsedFile:
    from kublint.parsers.haproxy import parse_haproxy

    cfg = parse_haproxy(source)
    pf = ParsedFile(source, Kind.HAPROXY, explicit, content=cfg)
    for rule_id, p in cfg.problems:
        pf.add_problem(rule_id, p)
    return pf


def _keepalived(source: SourceFile, explicit: bool, root: Path | None = None) -> ParsedFile:
    from kublint.parsers.keepalived import parse_keepalived

    cfg = parse_keepalived(source, root)
    pf = ParsedFile(source, Kind.KEEPALIVED, explicit, content=cfg)
    for rule_id, p in cfg.problems:
        pf.add_problem(rule_id, p)
    return pf

