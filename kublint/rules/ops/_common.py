"""What the operations rules share: the inventory's backup declaration and the reference date."""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from typing import Any, NamedTuple

from kublint.model.cluster import Cluster
from kublint.model.inventory import native_documents, native_nodes
from kublint.model.versions import Version, parse_version
from kublint.parsers.yaml import YamlDocument
from kublint.source import Span

TODAY_ENV = "KUBLINT_TODAY"
GO_FALSE = frozenset({"0", "f", "F", "false", "False", "FALSE"})  # strconv.ParseBool's false spellings
REFERENCE_DATE_HELP = ("compare expiry dates with this date (YYYY-MM-DD); empty: today, or the KUBLINT_TODAY "
                       "environment variable when it is set")


def reference_time(option: str) -> dt.datetime:
    """Midnight UTC of the reference date: the option, else ``KUBLINT_TODAY``, else today."""
    text = option.strip() or os.environ.get(TODAY_ENV, "").strip()
    if text:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"reference_date must be a date such as 2026-11-01, not {text!r}") from exc
    else:
        day = dt.date.today()
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class BackupDeclaration(NamedTuple):
    """The inventory's ``backups.etcd`` mapping."""

    doc: YamlDocument

    def get(self, key: str) -> Any:
        return self.doc.get("backups", "etcd", key)

    def loc(self, key: str) -> Span:
        return self.doc.loc("backups", "etcd", key)

    @property
    def span(self) -> Span:
        return self.doc.loc("backups", "etcd", key=True)


def backup_declarations(cluster: Cluster) -> list[BackupDeclaration]:
    docs = native_documents(cluster.files)
    return [BackupDeclaration(d) for d in docs if isinstance(d.get("backups", "etcd"), dict)]


# --- versions ---

COMPONENT_KEYS = {  # inventory nodes[].versions keys -> what they are
    "apiserver": "kube-apiserver", "controllerManager": "kube-controller-manager",
    "scheduler": "kube-scheduler", "kubelet": "kubelet", "kubeProxy": "kube-proxy", "kubeadm": "kubeadm",
    "kubectl": "kubectl", "etcd": "etcd",
}
_IMAGE_COMPONENTS = {"kube-apiserver": "apiserver", "kube-controller-manager": "controllerManager",
                     "kube-scheduler": "scheduler", "etcd": "etcd"}


class VersionFact(NamedTuple):
    key: str  # an inventory versions key: apiserver, kubelet, ...
    version: Version
    text: str  # as written
    span: Span
    where: str  # "node cp1", "static Pod manifests/kube-apiserver.yaml"

    @property
    def label(self) -> str:
        return f"{COMPONENT_KEYS.get(self.key, self.key)} {self.text} on {self.where}"


def version_facts(cluster: Cluster) -> list[VersionFact]:
    """Component versions the inputs state: inventory ``nodes[].versions`` and static Pod image tags."""
    return list(_version_facts(cluster))


@lru_cache(maxsize=4)  # OP303, OP304 and OP305 read the same facts
def _version_facts(cluster: Cluster) -> tuple[VersionFact, ...]:
    out: list[VersionFact] = []
    for node in native_nodes(cluster.files):
        versions = node.get("versions")
        if not isinstance(versions, dict):
            continue
        for key, raw in versions.items():
            v = parse_version(raw)
            if isinstance(key, str) and v is not None:
                out.append(VersionFact(key, v, str(raw), node.loc("versions", key), f"node {node.name}"))
    for pod in cluster.static_pods:
        key = _IMAGE_COMPONENTS.get(pod.component)
        if key is None or not pod.image or ":" not in pod.image or "@" in pod.image:
            continue
        tag = pod.image.rsplit(":", 1)[1]
        v = parse_version(tag)
        if v is not None:
            span = pod.document.loc("spec", "containers", pod.container, "image")
            out.append(VersionFact(key, v, tag, span, f"static Pod {pod.document.source.path}"))
    return tuple(out)


def minors_apart(newer: Version, older: Version) -> int:
    """How many minor releases ``newer`` is ahead of ``older`` (negative when behind)."""
    return (newer.major - older.major) * 1000 + newer.minor - older.minor


def minor_text(v: Version) -> str:
    return f"{v.major}.{v.minor}"
