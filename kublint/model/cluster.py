"""The joined cluster model: facts from every input, each remembering where it came from, and the facts
derived from them, all built once by ``model/assemble.py`` and never changed after.

A field is declared here once; the assembler fills it. Rules only read: a question a rule needs answered
about the cluster as a whole (which proxy is the API, who the etcd voting members are, the VRRP peer groups,
the cluster's size) is a field here, not a cache in the rules layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from kublint.model.etcd import EtcdConfig
from kublint.model.etcd_members import Members, config_nodes
from kublint.model.files import ParsedFile
from kublint.model.haproxy import Server
from kublint.model.loadbalancer import ApiProxy, Vrrp, bind_ips, cp_node_for
from kublint.model.nodes import EMPTY_INDEX, NodeIndex
from kublint.model.sizing import UNSIZED, Sizing
from kublint.model.staticpod import StaticPod
from kublint.model.types import (
    ETCD,
    Backup,
    CertSANs,
    Endpoint,
    EtcdMember,
    EtcdTiming,
    Flag,
    InstallerComponent,
    InstallerFacts,
    Latency,
    Node,
    Setting,
    Sourced,
)
from kublint.model.vrrp import NO_PEERS, Peering
from kublint.parsers.certs import Certificate
from kublint.parsers.yaml import YamlDocument
from kublint.source import Span


class Cluster(NamedTuple):
    """The joined model of one cluster root. It compares and hashes by identity (see ``__eq__``)."""

    # --- facts read from the inputs
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
    vrrps: tuple[Vrrp, ...]  # every Keepalived VRRP instance, with the hosts its file runs on
    api_port: int  # the controlPlaneEndpoint's port, else the API server's bindPort
    inventory_etcd_list: Span | None  # where an inventory lists the etcd (or control-plane) hosts
    installers: tuple[InstallerFacts, ...] = ()  # what installer dialects will deploy (model/types.py)
    components: tuple[InstallerComponent, ...] = ()  # control-plane components as installers run them
    kubernetes_versions: tuple[Sourced[str], ...] = ()  # the versions installers are told to deploy
    renewal_jobs: tuple[Sourced[str], ...] = ()  # certificate renewal installers schedule
    upgrade_renewal_off: tuple[Sourced[str], ...] = ()  # installer settings that keep upgrades from renewing
    settings: tuple[Setting, ...] = ()  # installers' own values, for their own rules (KS, TL)
    # --- facts derived from those by model/build.py (the defaults only stand until then)
    control_plane: tuple[Node, ...] = ()
    node_index: NodeIndex = EMPTY_INDEX
    cluster_configurations: tuple[YamlDocument, ...] = ()
    docs_by_path: Mapping[str, tuple[YamlDocument, ...]] = MappingProxyType(
        {}
    )  # kubeadm documents per file, in order
    bind_ports: Mapping[str, Sourced[int]] = MappingProxyType(
        {}
    )  # control-plane node -> its kubeadm bindPort (else 6443)
    server_api_ports: frozenset[int] = frozenset()  # every port an API server listens on
    distinct_endpoints: tuple[tuple[str, int, Sourced[str]], ...] = ()  # (host, port, where) of each endpoint
    endpoint_ports: frozenset[int] | None = None  # the port clients use; None when endpoints disagree (CL106)
    api_proxies: tuple[
        ApiProxy, ...
    ] = ()  # each HAProxy file's API frontend and backend (model/loadbalancer)
    lb_addresses: tuple[tuple[Sourced[str], str], ...] = ()  # the load balancer's own addresses, what each is
    peering: Peering = NO_PEERS  # the VRRP instances on their hosts and their peer groups (model/vrrp.py)
    voting_members: Members | None = None  # etcd's voting members, None when not known exactly
    active_etcd_configs: tuple[EtcdConfig, ...] = ()  # etcd configs that run (model/etcd_members.py)
    sizing: Sizing = UNSIZED  # node count, etcd topology, where the size is stated

    def __eq__(self, other: object) -> bool:
        return self is other  # one cluster is one build; comparing every fact would cost a walk of the tree

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __hash__(self) -> int:
        return id(self)

    @property
    def vips(self) -> list[Sourced[str]]:
        """Keepalived virtual addresses (without prefix length), each at its declaration."""
        return [v.address for r in self.vrrps for v in r.instance.vips]

    @property
    def tied_proxies(self) -> list[ApiProxy]:
        """The API proxies tied to this cluster's control plane by their servers or the endpoint's port."""
        return [p for p in self.api_proxies if p.tied]

    @property
    def lb_bind_ips(self) -> tuple[Sourced[str], ...]:
        """Specific addresses the API frontends bind: addresses clients use for the API."""
        return bind_ips(self.tied_proxies)

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
        return next((n for n in self.nodes if n.name == name), None)

    def find_node(self, host: str) -> Node | None:
        """The node (any role) whose address or name (or short name) is ``host``; addresses first."""
        return self.node_index.find(host)

    def cp_node_for(self, server: Server, hosts: tuple[str, ...]) -> Node | None:
        """The control-plane node an HAProxy server stands for (model/loadbalancer.py)."""
        return cp_node_for(self.node_index, self.control_plane, server, hosts)

    def server_node(self, server: Server) -> Node | None:
        """The node (any role) whose address or name is an HAProxy server's host."""
        return self.node_index.find(server.host.value) if server.host is not None else None

    @property
    def voting_count(self) -> int | None:
        """How many voting members etcd has, None when not known exactly."""
        return len(self.voting_members.names) if self.voting_members is not None else None

    def member_zones(self) -> list[tuple[str, Node | None]] | None:
        """Each voting member with the node it runs on (None when not known), or None when the members are
        not known exactly."""
        if self.voting_members is None:
            return None
        if self.etcd_stacked:
            return [(n.name, n) for n in self.control_plane]
        return [(m.name, self.node(m.node) if m.node else None) for m in self.etcd_members]

    def etcd_config_nodes(self, cfg: EtcdConfig) -> list[Node]:
        """The nodes an etcd member config runs on (model/etcd_members.py)."""
        return config_nodes(self.nodes, self.control_plane, self.etcd_stacked, cfg)

    def api_port_of(self, node: Node) -> int:
        found = self.bind_ports.get(node.name)
        return found.value if found else 6443

    def node_by_name_or_zone(self, ref: str) -> list[Node]:
        """Latency entries name a node or a zone."""
        by_name = [n for n in self.nodes if n.name == ref]
        if by_name:
            return by_name
        return [n for n in self.nodes if n.zone is not None and n.zone.value == ref]

    def flags_for(self, component: str, name: str) -> list[Flag]:
        return [f for f in self.flags if f.component == component and f.name == name]

    def cluster_configs(self) -> list[YamlDocument]:
        return list(self.cluster_configurations)

    def kubeadm_docs_in(self, path: str) -> tuple[YamlDocument, ...]:
        """The kubeadm documents of one file, in order."""
        return self.docs_by_path.get(path, ())

    def etcd_nodes(self) -> list[Node]:
        """Nodes that host an etcd member."""
        if self.etcd_stacked:
            return list(self.control_plane)
        names = {m.node for m in self.etcd_members if m.node}
        return [n for n in self.nodes if n.name in names or n.has(ETCD)]
