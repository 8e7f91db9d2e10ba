"""Each etcd member's settings in one form, whatever wrote them: a config file, an env file, a static Pod or
kubeadm's ``etcd.local`` (with the defaults kubeadm adds for stacked etcd).

Keys are the config file's: TLS settings live under ``client-transport-security.`` and
``peer-transport-security.``, so ``--peer-cert-file`` becomes ``peer-transport-security.cert-file``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

import kublint.net as net
from kublint.model.types import Flag
from kublint.parsers.envfile import EnvEntry
from kublint.parsers.yaml import YamlDocument
from kublint.source import Pos, Span

CLIENT = "client-transport-security."
PEER = "peer-transport-security."
_TLS = (
    "cert-file",
    "key-file",
    "client-cert-auth",
    "trusted-ca-file",
    "auto-tls",
    "allowed-cn",
    "allowed-hostname",
    "client-cert-file",
    "client-key-file",
    "skip-client-san-verification",
)
FLAG_TO_KEY: dict[str, str] = {**{t: CLIENT + t for t in _TLS}, **{f"peer-{t}": PEER + t for t in _TLS}}
FLAG_TO_KEY["peer-client-cert-auth"] = PEER + "client-cert-auth"

# What kubeadm passes to a stacked etcd (cmd/kubeadm/app/phases/etcd/local.go).
KUBEADM_DEFAULTS: dict[str, object] = {
    CLIENT + "cert-file": "/etc/kubernetes/pki/etcd/server.crt",
    CLIENT + "key-file": "/etc/kubernetes/pki/etcd/server.key",
    CLIENT + "trusted-ca-file": "/etc/kubernetes/pki/etcd/ca.crt",
    CLIENT + "client-cert-auth": True,
    PEER + "cert-file": "/etc/kubernetes/pki/etcd/peer.crt",
    PEER + "key-file": "/etc/kubernetes/pki/etcd/peer.key",
    PEER + "trusted-ca-file": "/etc/kubernetes/pki/etcd/ca.crt",
    PEER + "client-cert-auth": True,
    "snapshot-count": 10000,
    "listen-metrics-urls": "http://127.0.0.1:2381",
    "data-dir": "/var/lib/etcd",
}


class EtcdSetting(NamedTuple):
    key: str
    value: object  # as written: YAML scalars keep their type; flags and env values are strings
    span: Span  # the value
    key_span: Span
    implicit: bool = False  # a default kubeadm adds; span then points at the etcd section


class EtcdConfig(NamedTuple):
    origin: str  # "etcd config file" | "etcd env file" | "etcd static Pod" | "kubeadm etcd.local"
    span: Span  # the settings as a whole
    settings: dict[str, EtcdSetting]
    document: YamlDocument | None = None
    top_level_tls: tuple[EtcdSetting, ...] = ()  # TLS keys written at the top of a config file (ET002)

    def get(self, key: str) -> EtcdSetting | None:
        return self.settings.get(key)

    def explicit(self) -> Iterator[EtcdSetting]:
        return (s for s in self.settings.values() if not s.implicit)

    @property
    def path(self) -> str:
        return self.span.path


def from_config_file(doc: YamlDocument) -> EtcdConfig:
    settings: dict[str, EtcdSetting] = {}
    top_tls: list[EtcdSetting] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        if key in ("client-transport-security", "peer-transport-security") and isinstance(value, dict):
            for sub, v in value.items():
                full = f"{key}.{sub}"
                settings[full] = EtcdSetting(full, v, doc.loc(key, sub), doc.loc(key, sub, key=True))
            continue
        setting = EtcdSetting(key, value, doc.loc(key), doc.loc(key, key=True))
        if key in _TLS or (key.startswith("peer-") and key[5:] in _TLS):
            top_tls.append(setting)  # etcd ignores these here: they only work nested
            continue
        settings[key] = setting
    return EtcdConfig("etcd config file", doc.span, settings, doc, tuple(top_tls))


def _flag_key(name: str) -> str:
    return FLAG_TO_KEY.get(name, name)


def from_flags(
    origin: str,
    span: Span,
    flags: list[Flag],
    document: YamlDocument | None = None,
    defaults: dict[str, object] | None = None,
    default_span: Span | None = None,
) -> EtcdConfig:
    settings: dict[str, EtcdSetting] = {}
    for key, value in (defaults or {}).items():
        where = default_span or span
        settings[key] = EtcdSetting(key, value, where, where, implicit=True)
    for f in flags:
        key = _flag_key(f.name)
        settings[key] = EtcdSetting(key, f.value, f.span, f.span)  # the last occurrence wins, as in kubeadm
    return EtcdConfig(origin, span, settings, document)


def from_env(span: Span, entries: list[EnvEntry]) -> EtcdConfig:
    settings: dict[str, EtcdSetting] = {}
    for e in entries:
        if not e.key.startswith("ETCD_"):
            continue
        key = _flag_key(e.key[5:].lower().replace("_", "-"))
        settings[key] = EtcdSetting(key, e.value, e.value_span, e.key_span)
    return EtcdConfig("etcd env file", span, settings)


def truthy(value: object) -> bool | None:
    """etcd's booleans: YAML booleans in config files, Go's ParseBool spellings in flags and env."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        v = value.strip()
        if v in ("1", "t", "T", "true", "True", "TRUE"):
            return True
        if v in ("0", "f", "F", "false", "False", "FALSE"):
            return False
    return None


FILE = "etcd config file"
ENV = "etcd env file"
POD = "etcd static Pod"
KUBEADM = "kubeadm etcd.local"
MEMBER_ORIGINS = (FILE, ENV, POD)


def text(value: object) -> str | None:
    """A scalar as etcd reads it into a string; None for booleans, null, lists and maps."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    return None


def blank(s: EtcdSetting | None) -> bool:
    """Not set, or set to nothing (``cert-file:`` with no value, ``""``)."""
    return s is None or s.value is None or (isinstance(s.value, str) and not s.value.strip())


def value_part(s: EtcdSetting, start: int, end: int) -> Span:
    """The span of ``s.value[start:end]`` when the value is plain or quoted on one line, else the value."""
    value = s.value if isinstance(s.value, str) else None
    sp = s.span
    if value is None or sp.start.line != sp.end.line:
        return sp
    width = sp.end.col - sp.start.col
    if width == len(value):
        off = 0
    elif width == len(value) + 2:
        off = 1
    else:
        return sp
    col = sp.start.col + off
    return Span(sp.path, Pos(sp.start.line, col + start), Pos(sp.start.line, col + end))


def items(s: EtcdSetting) -> list[tuple[str, Span]]:
    """The comma-separated items of a setting (URL lists, initial-cluster), each with its own span."""
    value = s.value if isinstance(s.value, str) else None
    if value is None:
        return []
    out: list[tuple[str, Span]] = []
    pos = 0
    for raw in value.split(","):
        stripped = raw.strip()
        if stripped:
            begin = pos + (len(raw) - len(raw.lstrip()))
            out.append((stripped, value_part(s, begin, begin + len(stripped))))
        pos += len(raw) + 1
    return out


class ClusterEntry(NamedTuple):
    name: str
    url: str
    span: Span


def initial_cluster(s: EtcdSetting | None) -> list[ClusterEntry]:
    """``name=url`` entries of an ``initial-cluster`` setting (entries without ``=`` are dropped, as by etcd's
    parser, which would reject them)."""
    if s is None:
        return []
    out = []
    for item, span in items(s):
        name, sep, url = item.partition("=")
        if sep and name.strip():
            out.append(ClusterEntry(name.strip(), url.strip(), span))
    return out


def same_url(a: str, b: str) -> bool | None:
    """Whether two peer URLs are the same (scheme, host, port); None when only DNS could tell (a name and an
    address, or two different names, which etcd resolves before comparing)."""
    pa, pb = urlsplit(a.strip()), urlsplit(b.strip())
    try:
        ha, hb, porta, portb = pa.hostname or "", pb.hostname or "", pa.port, pb.port
    except ValueError:
        return None
    if pa.scheme.lower() != pb.scheme.lower() or porta != portb:
        return False
    if net.same_host(ha, hb):
        return True
    if net.ip(ha) is not None and net.ip(hb) is not None:
        return False
    return None
