"""k3s and RKE2 config files as k3s reads them (``pkg/configfilearg/parser.go``): which YAML files are
theirs, one node's files merged (the main file, then ``<file>.d/*.yaml`` in file-name order; a later key
replaces the value, ``key+`` appends to it) and the merged values, with placeholders unknown.

Recognition: a mapping of flag names with no ``apiVersion``/``kind``, by its place (any file in
``config.yaml.d/``, ``config.yaml`` under ``rancher/k3s`` or ``rancher/rke2``), or by two known flags of which
one is specific to k3s (``cluster-init``, ``tls-san``, ``node-ip``, the ``*-arg`` lists ...) making up at
least half of the keys; under a path naming k3s or RKE2, two known flags or one specific one suffice. Files
under ``group_vars/`` and ``host_vars/`` are Ansible's.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from kublint.model.files import ParsedFile
from kublint.model.types import Sourced
from kublint.parsers.yaml import YamlDocument
from kublint.placeholders import has_placeholder
from kublint.source import Span

K3S = "k3s"
RKE2 = "rke2"
DROP_IN_SUFFIXES = (".yaml", ".yml")
MAX_ITEMS = 10_000  # a list longer than this is not read item by item


# Flags only a server takes (docs.k3s.io/cli/server; RKE2's server takes the same).
SERVER_KEYS = frozenset({
    "cluster-init", "cluster-reset", "cluster-reset-restore-path", "tls-san", "tls-san-security",
    "datastore-endpoint", "datastore-cafile", "datastore-certfile", "datastore-keyfile", "agent-token",
    "agent-token-file", "https-listen-port", "advertise-address", "advertise-port", "bind-address",
    "cluster-cidr", "service-cidr", "service-node-port-range", "cluster-dns", "cluster-domain",
    "write-kubeconfig", "write-kubeconfig-mode", "write-kubeconfig-group", "kube-apiserver-arg",
    "kube-controller-manager-arg", "kube-scheduler-arg", "kube-cloud-controller-manager-arg", "etcd-arg",
    "etcd-expose-metrics", "etcd-disable-snapshots", "etcd-snapshot-name", "etcd-snapshot-schedule-cron",
    "etcd-snapshot-retention", "etcd-snapshot-dir", "etcd-snapshot-compress", "etcd-s3", "etcd-s3-endpoint",
    "etcd-s3-endpoint-ca", "etcd-s3-skip-ssl-verify", "etcd-s3-access-key", "etcd-s3-secret-key",
    "etcd-s3-bucket", "etcd-s3-region", "etcd-s3-folder", "etcd-s3-proxy", "etcd-s3-config-secret",
    "etcd-s3-insecure", "etcd-s3-timeout", "disable", "disable-scheduler", "disable-cloud-controller",
    "disable-kube-proxy", "disable-network-policy", "disable-helm-controller", "disable-apiserver",
    "disable-controller-manager", "disable-etcd", "flannel-backend", "flannel-ipv6-masq",
    "flannel-external-ip", "egress-selector-mode", "secrets-encryption", "secrets-encryption-provider",
    "embedded-registry", "default-local-storage-path", "kube-apiserver-extra-mount", "etcd-extra-mount",
    "servicelb-namespace", "supervisor-metrics", "helm-job-image", "enable-pprof", "encrypt-secrets",
})
# Flags servers and agents both take.
NODE_KEYS = frozenset({
    "server", "token", "token-file", "data-dir", "debug", "node-name", "node-ip", "node-external-ip",
    "node-internal-dns", "node-external-dns", "node-label", "node-taint", "kubelet-arg", "kube-proxy-arg",
    "flannel-iface", "flannel-conf", "flannel-cni-conf-dir", "flannel-cni-conf-file", "resolv-conf",
    "container-runtime-endpoint", "image-service-endpoint", "pause-image", "snapshotter", "private-registry",
    "system-default-registry", "selinux", "lb-server-port", "protect-kernel-defaults", "with-node-id",
    "prefer-bundled-bin", "airgap-extra-registry", "vpn-auth", "vpn-auth-file", "node-name-from-cloud",
    "image-credential-provider-bin-dir", "image-credential-provider-config", "kubelet-path",
})
# Keys only RKE2 has: a cluster that sets one is RKE2's.
RKE2_KEYS = frozenset({
    "cni", "profile", "audit-policy-file", "pod-security-admission-config-file", "cloud-provider-name",
    "cloud-provider-config", "control-plane-resource-requests", "control-plane-resource-limits",
    "control-plane-probe-configuration", "kube-apiserver-image", "kube-controller-manager-image",
    "kube-scheduler-image", "kube-proxy-image", "etcd-image", "runtime-image",
    "cloud-controller-manager-image", "enable-servicelb", "etcd-extra-env", "kube-apiserver-extra-env",
    "ingress-controller",
})
KNOWN_KEYS = SERVER_KEYS | NODE_KEYS | RKE2_KEYS
# Known keys too generic to tell a k3s file from another tool's YAML on their own.
WEAK_KEYS = frozenset({
    "server", "token", "token-file", "disable", "debug", "data-dir", "bind-address", "selinux", "profile",
    "cni", "snapshotter", "cluster-domain", "cluster-dns", "service-cidr", "cluster-cidr",
    "https-listen-port", "advertise-address", "advertise-port", "private-registry", "resolv-conf",
    "ingress-controller",
})
STRONG_KEYS = KNOWN_KEYS - WEAK_KEYS



# --- recognition --------------------------------------------------------------------------------------------


def _keys(data: dict[object, object]) -> set[str]:
    return {k[:-1] if k.endswith("+") else k for k in data if isinstance(k, str)}


def is_drop_in(path: PurePosixPath | Path) -> bool:
    """A file in a ``config.yaml.d/`` (or ``config.yml.d/``) directory."""
    return path.parent.name.lower() in ("config.yaml.d", "config.yml.d")


def _under_rancher(parts: Sequence[str]) -> bool:
    low = [p.lower() for p in parts]
    return any(a == "rancher" and b in (K3S, RKE2) for a, b in pairwise(low))


def is_config(data: object, path: str) -> bool:
    """A k3s or RKE2 config file: a mapping of flag names with no ``apiVersion``/``kind``, recognised by
    its place (``config.yaml.d/``, ``rancher/k3s/config.yaml``), or by two known flags of which one is
    specific (``cluster-init``, ``tls-san``, ``node-ip``, the ``*-arg`` lists ...) making up at least half of
    the keys; under a path naming k3s or RKE2, two known flags or one specific one suffice."""
    if not isinstance(data, dict) or not data or "apiVersion" in data or "kind" in data:
        return False
    p = PurePosixPath(path.replace("\\", "/"))
    parts = p.parts
    if any(d in ("group_vars", "host_vars") for d in parts[:-1]):
        return False
    if is_drop_in(p) or (p.name.lower() in ("config.yaml", "config.yml") and _under_rancher(parts)):
        return True
    keys = _keys(data)
    known = keys & KNOWN_KEYS
    strong = known & STRONG_KEYS
    if any(K3S in d.lower() or RKE2 in d.lower() for d in parts):
        return len(known) >= 2 or bool(strong)
    return bool(strong) and len(known) >= 2 and 2 * len(known) >= len(data)


# --- one node's merged values -------------------------------------------------------------------------------


class Value(NamedTuple):
    """A key's value after the merge: the value (a list when appended), each item's span (one span for a
    scalar), the span of the key that set it last and the file that did."""

    value: object
    items: tuple[Span, ...]
    key: Span
    doc: YamlDocument | None  # None: set by an Ansible inventory's variable (k3s-ansible)


class Unit(NamedTuple):
    """One node's configuration: its main file and drop-ins, merged."""

    path: str  # the main file (or, with drop-ins only, where it would be), for names and anchors
    files: tuple[ParsedFile, ...]
    values: dict[str, Value]
    start: Span  # the first key of the first file
    server: bool | None = None  # known from elsewhere (an inventory group); None: judged by its keys

    def get(self, key: str) -> Value | None:
        return self.values.get(key)


def _doc(f: ParsedFile) -> YamlDocument | None:
    return next((d for d in f.documents if isinstance(d.data, dict)), None)


def _item_spans(doc: YamlDocument, key: str, value: object) -> tuple[Span, ...]:
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return (doc.loc(key),)
        return tuple(doc.loc(key, i) for i in range(len(value)))
    return (doc.loc(key),)


def merge(files: Sequence[ParsedFile]) -> dict[str, Value]:
    """The values of one node's files in order, as k3s merges them: a later key replaces, ``key+``
    appends."""
    values: dict[str, Value] = {}
    for f in files:
        doc = _doc(f)
        if doc is None:
            continue
        for raw_key, v in doc.data.items():
            if not isinstance(raw_key, str):
                continue
            append = raw_key.endswith("+")
            k = raw_key[:-1] if append else raw_key
            spans = _item_spans(doc, raw_key, v)
            old = values.get(k)
            if append and old is not None:
                merged = [*_as_list(old.value), *_as_list(v)]
                values[k] = Value(merged, old.items + spans, doc.loc(raw_key, key=True), doc)
            else:
                values[k] = Value(v, spans, doc.loc(raw_key, key=True), doc)
    return values


def _as_list(v: object) -> list[object]:
    return list(v) if isinstance(v, list) else [v]


def units(files: Sequence[ParsedFile]) -> list[Unit]:
    """The k3s files grouped by node: each main file with the drop-ins of its ``.d`` directory (in file-name
    order), and drop-ins whose main file is not among the files on their own."""
    mains: dict[str, ParsedFile] = {}
    drop_ins: dict[str, list[ParsedFile]] = {}
    order: list[str] = []
    for f in files:
        p = PurePosixPath(f.path)
        if is_drop_in(p):
            if not p.name.lower().endswith(DROP_IN_SUFFIXES):
                continue  # k3s reads only .yaml and .yml drop-ins
            key = str(p.parent.with_name(p.parent.name[:-2]))
            drop_ins.setdefault(key, []).append(f)
        else:
            key = str(p)
            mains[key] = f
        if key not in order:
            order.append(key)
    out = []
    for key in order:
        group = ([mains[key]] if key in mains else []) + sorted(
            drop_ins.get(key, []), key=lambda g: PurePosixPath(g.path).name
        )
        docs = [d for g in group if (d := _doc(g)) is not None]
        if not docs:
            continue
        first = docs[0]
        first_key = next(iter(first.data), None)
        start = first.loc(first_key, key=True) if first_key is not None else first.span
        out.append(Unit(key, tuple(group), merge(group), start))
    return out


# --- values -------------------------------------------------------------------------------------------------


def text(v: Value | None) -> str | None:
    """A scalar value as k3s reads it, None when not set, not a scalar or a placeholder."""
    if v is None or isinstance(v.value, bool) or not isinstance(v.value, str | int | float):
        return None
    s = str(v.value).strip()
    return s if s and not has_placeholder(s) else None


def flag(v: Value | None) -> bool | None:
    """A boolean flag: True, False, or None when not set or unknown."""
    if v is None:
        return None
    if isinstance(v.value, bool):
        return v.value
    if isinstance(v.value, str):
        s = v.value.strip().lower()
        if s in ("true", "1", "t", "yes"):
            return True
        if s in ("false", "0", "f", "no", ""):
            return False
    return None


def items(v: Value | None) -> list[Sourced[str]]:
    """A list flag's items (a YAML list, or one string), each with its span; placeholders and non-scalars
    left out."""
    if v is None:
        return []
    raw = v.value if isinstance(v.value, list) else [v.value]
    if len(raw) > MAX_ITEMS:
        return []
    out = []
    for i, item in enumerate(raw):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            continue
        s = str(item).strip()
        if s and not has_placeholder(s):
            out.append(Sourced(s, v.items[i] if i < len(v.items) else v.items[-1]))
    return out


def names(v: Value | None) -> list[Sourced[str]]:
    """A comma-separable list flag (``tls-san``, ``node-ip``): a list of items, each may hold commas."""
    return [Sourced(part.strip(), s.span) for s in items(v) for part in s.value.split(",") if part.strip()]


def known(v: Value | None) -> bool:
    """Set and free of placeholders (a list: every item)."""
    if v is None:
        return False
    raw = v.value if isinstance(v.value, list) else [v.value]
    return all(not (isinstance(x, str) and has_placeholder(x)) for x in raw)
