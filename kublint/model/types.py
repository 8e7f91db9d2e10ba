"""The basic facts of the model: a value with its span, a node, an etcd member, an endpoint, a flag. They sit
at the bottom of the model: every view and extractor builds them, none of them imports a view."""

from __future__ import annotations

from typing import Generic, NamedTuple, TypeVar

from kublint.findings import Related
from kublint.source import Span

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
    # what alone says this node exists, when no input defines it but it is inferred from evidence
    # ("HAProxy API backend": a server of the API backend while no inventory lists the control plane);
    # rules that compare that evidence with the nodes (HP101, HP102) skip such nodes
    inferred_from: str | None = None

    def has(self, role: str) -> bool:
        return role in self.roles


class EtcdMember(NamedTuple):
    name: str
    host: str | None
    span: Span
    evidence: tuple[Related, ...]
    node: str | None  # the cluster node it runs on, when known


class Endpoint(NamedTuple):
    """Where kubeadm's ``controlPlaneEndpoint`` points: written in a ClusterConfiguration, or what an
    installer renders into it (``raw`` then sits on the setting that decides it)."""

    raw: Sourced[str]
    host: str | None
    port: int | None
    owner: str  # the defining document's or installer's anchor, for fingerprints
    setting: str = "controlPlaneEndpoint"  # what the user changes to move it
    origin: str = ""  # how an installer derived it, for messages ("" when written as is)


class CertSANs(NamedTuple):
    """The names on the API server certificate one configuration asks for: the ones listed and the ones
    the tool that writes the certificate adds itself."""

    entries: tuple[Sourced[str], ...]
    span: Span | None  # the list's key, None when none is written
    implicit: tuple[str, ...]  # names added without being listed (kubeadm's, an installer's)
    where: Span  # where a missing name is reported when no list is written
    owner: str  # anchor, for fingerprints
    setting: str = "apiServer.certSANs"  # the list the user adds a name to
    adder: str = "kubeadm"  # who adds the implicit names, for messages
    node_names: bool = True  # every control-plane node's name and addresses are on it too


class Setting(NamedTuple):
    """A value of an installer's own (``ignore_assert_errors``), for the rules of that installer alone."""

    installer: str  # kubespray | talos
    name: str
    value: object
    span: Span


class InstallerComponent(NamedTuple):
    """A control-plane component as an installer will run it: the flags its variables render."""

    component: str
    installer: str
    flags: tuple[Flag, ...]  # explicit, in order of precedence (a later occurrence wins)
    section: Span  # where a flag that is not written is reported
    where: str  # where a flag is added, for messages ("kube_kubeadm_apiserver_extra_args")
    path: str  # the file the flags come from, for messages
    anchor: str


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


class InstallerFacts(NamedTuple):
    """What an installer's definition of the cluster will deploy, beyond its nodes: read by a dialect's
    extractor (kubespray variables, a talconfig) and joined with the facts of every other input."""

    installer: str
    endpoints: tuple[Endpoint, ...] = ()
    cert_sans: tuple[CertSANs, ...] = ()
    components: tuple[InstallerComponent, ...] = ()
    flags: tuple[Flag, ...] = ()  # every explicit flag, etcd's and the kubelet's too
    etcd_timings: tuple[EtcdTiming, ...] = ()  # etcd's heartbeat and election timeout as deployed
    kubernetes_version: Sourced[str] | None = None
    renewal_jobs: tuple[Sourced[str], ...] = ()  # scheduled certificate renewal the installer sets up
    upgrade_renewal_off: tuple[Sourced[str], ...] = ()  # the setting that keeps upgrades from renewing
    backups: tuple[Backup, ...] = ()  # etcd backups the installer schedules itself
    settings: tuple[Setting, ...] = ()
    renders_kubeadm: bool = False  # it writes kubeadm's configuration, so a ClusterConfiguration in the
    # repository is what kubeadm gets instead (its endpoint, names and flags are then not the installer's)
