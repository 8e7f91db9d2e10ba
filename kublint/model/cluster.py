"""The joined cluster model: facts from every input, each remembering where it came from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from kublint.findings import Related
from kublint.source import Span

if TYPE_CHECKING:
    from kublint.model.etcd import EtcdConfig
    from kublint.model.files import ParsedFile
    from kublint.model.loadbalancer import ApiLb, Vrrp
    from kublint.model.staticpod import StaticPod
    from kublint.parsers.certs import Certificate
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


class Cluster:
    """The joined model of one cluster root. Built once by ``model/build.py`` and never changed after; it
    compares by identity, so that rules can cache views derived from it (a plain slotted class: defining a
    28-field dataclass cost over 1 ms of start-up)."""

    __slots__ = (
        "_by_path",
        "_configs",
        "_control_plane",
        "anonymous_cp_joins",
        "api_lbs",
        "api_port",
        "backups",
        "backups_span",
        "cert_sans",
        "certificates",
        "certificates_readable",
        "endpoints",
        "environment",
        "etcd_configs",
        "etcd_data_dirs",
        "etcd_member_list",
        "etcd_members",
        "etcd_stacked",
        "etcd_timings",
        "files",
        "flags",
        "inventory_span",
        "kubeadm_docs",
        "latency",
        "lb_dns",
        "lb_vip",
        "nodes",
        "root",
        "static_pods",
        "vrrps",
        "worker_count"
    )

    root: str
    files: tuple[ParsedFile, ...]
    nodes: tuple[Node, ...]
    anonymous_cp_joins: tuple[Span, ...]  # control-plane JoinConfigurations that name no node
    etcd_stacked: bool
    etcd_members: tuple[EtcdMember, ...]
    etcd_member_list: Span | None
    endpoints: tuple[Endpoint, ...]
    kubeadm_docs: tuple[YamlDocument, ...]
    cert_sans: tuple[CertSANs, ...]
    lb_dns: Sourced[str] | None
    lb_vip: Sourced[str] | None
    environment: Sourced[str] | None
    worker_count: int
    latency: tuple[Latency, ...]
    backups: tuple[Backup, ...]
    flags: tuple[Flag, ...]
    etcd_timings: tuple[EtcdTiming, ...]
    etcd_data_dirs: tuple[Sourced[str], ...]
    inventory_span: Span | None
    backups_span: Span | None
    etcd_configs: tuple[EtcdConfig, ...]  # one per member config: file, env file, static Pod, kubeadm
    static_pods: tuple[StaticPod, ...]
    certificates: tuple[Certificate, ...]  # PEM files and kubeconfig client certificates under the root
    certificates_readable: bool  # False when certificate files exist but cryptography is missing
    api_lbs: tuple[ApiLb, ...]  # each HAProxy file's API frontend and backend (model/loadbalancer.py)
    vrrps: tuple[Vrrp, ...]  # every Keepalived VRRP instance, with the hosts its file runs on
    api_port: int  # the controlPlaneEndpoint's port, else the API server's bindPort

    def __init__(
        self,
        root: str,
        files: tuple[ParsedFile, ...],
        nodes: tuple[Node, ...],
        anonymous_cp_joins: tuple[Span, ...],
        etcd_stacked: bool,
        etcd_members: tuple[EtcdMember, ...],
        etcd_member_list: Span | None,
        endpoints: tuple[Endpoint, ...],
        kubeadm_docs: tuple[YamlDocument, ...],
        cert_sans: tuple[CertSANs, ...],
        lb_dns: Sourced[str] | None,
        lb_vip: Sourced[str] | None,
        environment: Sourced[str] | None,
        worker_count: int,
        latency: tuple[Latency, ...],
        backups: tuple[Backup, ...],
        flags: tuple[Flag, ...],
        etcd_timings: tuple[EtcdTiming, ...],
        etcd_data_dirs: tuple[Sourced[str], ...],
        inventory_span: Span | None,
        backups_span: Span | None,
        etcd_configs: tuple[EtcdConfig, ...] = (),
        static_pods: tuple[StaticPod, ...] = (),
        certificates: tuple[Certificate, ...] = (),
        certificates_readable: bool = True,
        api_lbs: tuple[ApiLb, ...] = (),
        vrrps: tuple[Vrrp, ...] = (),
        api_port: int = 6443,
    ) -> None:
        self.root = root
        self.files = files
        self.nodes = nodes
        self.anonymous_cp_joins = anonymous_cp_joins
        self.etcd_stacked = etcd_stacked
        self.etcd_members = etcd_members
        self.etcd_member_list = etcd_member_list
        self.endpoints = endpoints
        self.kubeadm_docs = kubeadm_docs
        self.cert_sans = cert_sans
        self.lb_dns = lb_dns
        self.lb_vip = lb_vip
        self.environment = environment
        self.worker_count = worker_count
        self.latency = latency
        self.backups = backups
        self.flags = flags
        self.etcd_timings = etcd_timings
        self.etcd_data_dirs = etcd_data_dirs
        self.inventory_span = inventory_span
        self.backups_span = backups_span
        self.etcd_configs = etcd_configs
        self.static_pods = static_pods
        self.certificates = certificates
        self.certificates_readable = certificates_readable
        self.api_lbs = api_lbs
        self.vrrps = vrrps
        self.api_port = api_port
        # derived indexes, filled on first use (the fields above never change, so they never go stale)
        self._by_path: dict[str, tuple[YamlDocument, ...]] | None = None
        self._configs: tuple[YamlDocument, ...] | None = None
        self._control_plane: tuple[Node, ...] | None = None

    @property
    def vips(self) -> list[Sourced[str]]:
        """Keepalived virtual addresses (without prefix length), each at its declaration."""
        return [v.address for r in self.vrrps for v in r.instance.vips]

    @property
    def lb_bind_ips(self) -> list[Sourced[str]]:
        """Specific addresses the API frontends bind: addresses clients use for the API."""
        from kublint.model.loadbalancer import bind_ips

        return bind_ips(list(self.api_lbs))

    @property
    def control_plane(self) -> tuple[Node, ...]:
        if self._control_plane is None:
            self._control_plane = tuple(n for n in self.nodes if n.has(CONTROL_PLANE))
        return self._control_plane

    @property
    def control_plane_count(self) -> int:
        """Control-plane nodes; a control-plane join that names no node still means one more than the init."""
        n = len(self.control_plane)
        if self.anonymous_cp_joins and n < 2:
            return 2
        return n

    @property
    def etcd_count(self) -> int:
        if self.etcd_stacked:
            return max(self.control_plane_count, len(self.etcd_members))
        return len(self.etcd_members)

    def node(self, name: str) -> Node | None:
        for n in self.nodes:
            if n.name == name:
                return n
        return None

    def node_by_name_or_zone(self, ref: str) -> list[Node]:
        """Latency entries name a node or a zone."""
        by_name = [n for n in self.nodes if n.name == ref]
        if by_name:
            return by_name
        return [n for n in self.nodes if n.zone is not None and n.zone.value == ref]

    def flags_for(self, component: str, name: str) -> list[Flag]:
        return [f for f in self.flags if f.component == component and f.name == name]

    def cluster_configs(self) -> list[YamlDocument]:
        if self._configs is None:  # built once: rules ask per document, and a filter each time is quadratic
            self._configs = tuple(d for d in self.kubeadm_docs if d.kind == "ClusterConfiguration")
        return list(self._configs)

    def kubeadm_docs_in(self, path: str) -> tuple[YamlDocument, ...]:
        """The kubeadm documents of one file, in order: an index built once, not a scan per question."""
        if self._by_path is None:
            by_path: dict[str, list[YamlDocument]] = {}
            for d in self.kubeadm_docs:
                by_path.setdefault(d.source.path, []).append(d)
            self._by_path = {k: tuple(v) for k, v in by_path.items()}
        return self._by_path.get(path, ())

    def etcd_nodes(self) -> list[Node]:
        """Nodes that host an etcd member."""
        if self.etcd_stacked:
            return list(self.control_plane)
        names = {m.node for m in self.etcd_members if m.node}
        return [n for n in self.nodes if n.name in names or n.has(ETCD)]
