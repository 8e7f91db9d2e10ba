"""A parsed file: its kind, its documents and the problems its parser met."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kublint.findings import Problem
from kublint.source import SourceFile

if TYPE_CHECKING:
    from kublint.parsers.yaml import YamlDocument


class Kind(StrEnum):
    KUBEADM = "kubeadm"
    COMPONENT_CONFIG = "component-config"  # a standalone KubeSchedulerConfiguration and the like
    ETCD_CONFIG = "etcd-config"
    INVENTORY = "inventory"  # kublint's own
    ANSIBLE_INVENTORY = "ansible-inventory"  # YAML or INI
    ANSIBLE_VARS = "ansible-vars"  # group_vars/ and host_vars/ files (kubespray's settings live there)
    KUBEKEY = "kubekey"  # KubeKey's cluster definition (kubekey.kubesphere.io Cluster)
    CAPI = "cluster-api"  # Cluster API manifests: KubeadmControlPlane, Cluster, MachineDeployment
    CRONJOB = "cronjob"
    SYSTEMD_UNIT = "systemd-unit"
    CRONTAB = "crontab"
    STATIC_POD = "static-pod"  # kube-apiserver, kube-controller-manager, kube-scheduler or etcd
    ETCD_ENV = "etcd-env"  # ETCD_*= lines, as kubespray writes etcd.env
    HAPROXY = "haproxy"
    KEEPALIVED = "keepalived"
    SCRIPT = "script"  # shell scripts (Keepalived check scripts), kept as text for the rules that read them
    CERTIFICATE = "certificate"  # PEM certificates
    KUBECONFIG = "kubeconfig"  # kubeconfigs with embedded client certificates
    UNSUPPORTED = "unsupported-dialect"  # another tool's cluster definition (kops, eksctl ...): SY008
    TALOS = "talos"  # talhelper's talconfig.yaml and Talos machine configs (version: v1alpha1)
    K3S = "k3s"  # k3s and RKE2 config.yaml, config.yaml.d/ drop-ins and per-node config files
    YAML = "yaml"  # YAML of no kind kublint knows (only parse errors are reported)


# Kinds that say nothing of the control plane on their own: a run that read only these checked nothing.
NOT_CONFIGURATION = frozenset({
    Kind.YAML, Kind.UNSUPPORTED, Kind.SCRIPT, Kind.CRONJOB, Kind.CRONTAB, Kind.SYSTEMD_UNIT,
    Kind.ANSIBLE_VARS, Kind.CERTIFICATE, Kind.KUBECONFIG,
})


def holds_configuration(kind: Kind | None) -> bool:
    """The file describes the control plane: kubeadm, etcd, an inventory, an installer, a load balancer."""
    return kind is not None and kind not in NOT_CONFIGURATION


class ParsedFile:
    __slots__ = ("content", "documents", "explicit", "kind", "problems", "source")

    source: SourceFile
    kind: Kind | None
    explicit: bool  # named on the command line
    documents: list[YamlDocument]
    content: Any  # the parse of a non-YAML file (INI inventory, unit file, crontab)
    problems: dict[str, list[Problem]]  # SY001, SY002 ... from the parser

    def __init__(
        self,
        source: SourceFile,
        kind: Kind | None,
        explicit: bool,
        documents: list[YamlDocument] | None = None,
        content: Any = None,
        problems: dict[str, list[Problem]] | None = None,
    ) -> None:
        self.source = source
        self.kind = kind
        self.explicit = explicit
        self.documents = [] if documents is None else documents
        self.content = content
        self.problems = {} if problems is None else problems

    @property
    def path(self) -> str:
        return self.source.path

    def add_problem(self, rule_id: str, problem: Problem) -> None:
        self.problems.setdefault(rule_id, []).append(problem)

    def docs(self, *kinds: str) -> list[YamlDocument]:
        return [d for d in self.documents if not kinds or d.kind in kinds]
