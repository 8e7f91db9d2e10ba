"""The basic facts of the model: a value with its span, a node, an etcd member, an endpoint, a flag. They sit
at the bottom of the model: every view and extractor builds them, none of them imports a view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from kublint.findings import Related
from kublint.source import Span

if TYPE_CHECKING:
    from kublint.parsers.yaml import YamlDocument

T = TypeVar("T")

CONTROL_PLANE = "control-plane"
ETCD = "etcd"
WORKER = "worker"
LB = "lb"


class Sourced(NamedTuple, Generic[T]):
    value: T
    span: Span


class Disk(NamedTuple):
    mount: Sourced[str] | None
    type: Sourced[str] | None
    span: Span


class Hardware(NamedTuple):
    cpus: Sourced[float] | None
    memory_mib: Sourced[float] | None
    disks: tuple[Disk, ...]
    span: Span


class Node(NamedTuple):
    name: str
    addresses: tuple[Sourced[str], ...]
    roles: frozenset[str]
    span: Span  # where the node is defined: its inventory entry, else the first input naming it
    evidence: tuple[Related, ...]  # every input that names this node
    zone: Sourced[str] | None = None
    hardware: Hardware | None = None
    in_inventory: bool = False

    def has(self, role: str) -> bool:
        return role in self.roles


class EtcdMember(NamedTuple):
    name: str
    host: str | None
    span: Span
    evidence: tuple[Related, ...]
    node: str | None  # the cluster node it runs on, when known


class Endpoint(NamedTuple):
    raw: Sourced[str]
    host: str | None
    port: int | None
    document: YamlDocument


class CertSANs(NamedTuple):
    entries: tuple[Sourced[str], ...]
    span: Span | None  # the certSANs key, None when the document has none
    document: YamlDocument


class Flag(NamedTuple):
    component: str  # kube-apiserver | kube-controller-manager | kube-scheduler | etcd | kubelet
    name: str
    value: str
    span: Span  # the value
    origin: str  # e.g. "controllerManager.extraArgs" or "KubeSchedulerConfiguration.leaderElection"


class Latency(NamedTuple):
    a: Sourced[str]
    b: Sourced[str]
    rtt_ms: Sourced[float]
    span: Span


class Backup(NamedTuple):
    kind: str  # inventory | cronjob | systemd-timer | crontab
    schedule: Sourced[str] | None
    span: Span
    description: str


class EtcdTiming(NamedTuple):
    heartbeat_ms: Sourced[int] | None
    election_ms: Sourced[int] | None
    origin: str
    span: Span  # the etcd settings as a whole (config file, extraArgs)
