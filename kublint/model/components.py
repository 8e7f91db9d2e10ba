"""The effective flags of the control-plane components, as each input runs them.

A *component view* is one kube-apiserver, kube-controller-manager or kube-scheduler as one input describes it:

* **kubeadm**: each ClusterConfiguration (or, when the cluster has none, each InitConfiguration, since kubeadm
  then builds a default ClusterConfiguration). kubeadm's implied defaults come first
  (``cmd/kubeadm/app/phases/controlplane/manifests.go``), then the component's ``extraArgs`` (a v1beta3 map or
  a v1beta4 ``{name, value}`` list, where a flag may repeat and the last occurrence wins).
* **static Pod**: a manifest's ``command``/``args`` flags and nothing else: that is what runs on that node.
* **component config**: KubeSchedulerConfiguration documents are what a scheduler reads from its
  ``--config`` file. Their settings (``leaderElection.*``, ``enableProfiling``) are a layer under every
  scheduler view's flags (explicit leader-election flags override the file, as kube-scheduler applies them).
  When no scheduler is known otherwise, each such document is a view of its own, whose command line is unknown
  (``complete`` is False).

A flag no input sets takes kubeadm's default in a kubeadm view, else the component's own upstream default when
the command line is known. Such an :class:`EffectiveFlag` is not explicit: rules report it at the view's
``section`` (the ClusterConfiguration ``apiServer`` key, the InitConfiguration's ``kind`` line, the static
Pod's ``command`` key) and say that it is the default.

KubeletConfiguration and KubeProxyConfiguration documents are found in kubeadm files and standalone
component-config files; :func:`kubelet_configs` and :func:`kube_proxy_configs` return them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from kublint.model.cluster import Cluster
from kublint.model.files import Kind
from kublint.model.kubeadm import extra_args, flag_text
from kublint.model.types import Flag
from kublint.parsers.yaml import YamlDocument
from kublint.source import Span

APISERVER = "kube-apiserver"
CONTROLLER_MANAGER = "kube-controller-manager"
SCHEDULER = "kube-scheduler"
COMPONENTS = (APISERVER, CONTROLLER_MANAGER, SCHEDULER)
SECTIONS = {APISERVER: "apiServer", CONTROLLER_MANAGER: "controllerManager", SCHEDULER: "scheduler"}

KUBEADM = "kubeadm"
STATIC_POD = "static Pod"
COMPONENT_CONFIG = "component config"
INSTALLER = "installer"  # kubespray's variables, a Talos machine config: the flags they render

KUBEADM_DEFAULT = "kubeadm default"
UPSTREAM_DEFAULT = "upstream default"

DEFAULT_SERVICE_SUBNET = "10.96.0.0/12"
DEFAULT_DNS_DOMAIN = "cluster.local"
DEFAULT_CERTIFICATES_DIR = "/etc/kubernetes/pki"
DEFAULT_BIND_PORT = 6443

# The components' own defaults for the flags kublint's rules read (the component reference pages).
UPSTREAM_DEFAULTS: dict[str, dict[str, str]] = {
    APISERVER: {
        "anonymous-auth": "true",
        "profiling": "true",
        "authorization-mode": "AlwaysAllow",  # when no --authorization-config is given
        "enable-admission-plugins": "",  # only the default-on set, which lacks NodeRestriction
        "disable-admission-plugins": "",
        "audit-log-maxage": "0",
        "audit-log-maxbackup": "0",
        "audit-log-maxsize": "0",
        "enable-bootstrap-token-auth": "false",
        "allow-privileged": "false",
        "service-account-lookup": "true",
        "secure-port": "6443",
        "bind-address": "0.0.0.0",
    },
    CONTROLLER_MANAGER: {
        "bind-address": "0.0.0.0",
        "secure-port": "10257",
        "leader-elect": "true",
        "leader-elect-lease-duration": "15s",
        "leader-elect-renew-deadline": "10s",
        "leader-elect-retry-period": "2s",
        "profiling": "true",
        "use-service-account-credentials": "false",
        "allocate-node-cidrs": "false",
    },
    SCHEDULER: {
        "bind-address": "0.0.0.0",
        "secure-port": "10259",
        "leader-elect": "true",
        "leader-elect-lease-duration": "15s",
        "leader-elect-renew-deadline": "10s",
        "leader-elect-retry-period": "2s",
        "profiling": "true",
    },
}

# KubeSchedulerConfiguration fields and the flags they stand for.
SCHEDULER_CONFIG_FIELDS: dict[tuple[str, ...], str] = {
    ("leaderElection", "leaderElect"): "leader-elect",
    ("leaderElection", "leaseDuration"): "leader-elect-lease-duration",
    ("leaderElection", "renewDeadline"): "leader-elect-renew-deadline",
    ("leaderElection", "retryPeriod"): "leader-elect-retry-period",
    ("enableProfiling",): "profiling",
}


class EffectiveFlag(NamedTuple):
    """One flag as a component runs with it: written somewhere (``explicit``) or a default."""

    component: str
    name: str
    value: str
    span: Span  # the value when explicit, else the view's section
    explicit: bool
    origin: str  # where it is written ("apiServer.extraArgs", "static Pod command"), else *_DEFAULT
    occurrences: tuple[Flag, ...] = ()  # every explicit occurrence, in order; the last one wins

    @property
    def kubeadm_default(self) -> bool:
        return self.origin == KUBEADM_DEFAULT

    def describe(self) -> str:
        """``anonymous-auth=false (apiServer.extraArgs)``, or ``profiling unset (kube-apiserver's own
        default: true)``."""
        if self.explicit:
            value = self.value if self.value else '""'
            return f"{self.name}={value} ({self.origin})"
        who = "kubeadm's default" if self.kubeadm_default else f"{self.component}'s own default"
        shown = self.value if self.value else "empty"
        return f"{self.name} unset ({who}: {shown})"


class ComponentView(NamedTuple):
    """One control-plane component as one input describes it (see the module docstring)."""

    component: str
    source: str  # KUBEADM | STATIC_POD | COMPONENT_CONFIG | INSTALLER
    document: YamlDocument | None  # None for an installer's view: its flags come from several files
    section: Span  # where a flag that is not written is reported
    where: str  # where a flag is added, for messages: "apiServer.extraArgs", "the static Pod's command"
    managed: bool  # kubeadm writes this component's command, so kubeadm's defaults apply
    complete: bool  # the whole command line is known, so the component's own defaults apply to the rest
    flags: tuple[Flag, ...]  # explicit flags in order of precedence (a later occurrence wins)
    kubeadm_defaults: Mapping[str, str] = MappingProxyType({})  # shared and read-only: no defaults
    anchor: str = ""

    @property
    def label(self) -> str:
        """``kube-apiserver (ClusterConfiguration in kubeadm.yaml)``, for messages."""
        if self.document is None:
            return f"{self.component} ({self.where})"
        what = {KUBEADM: self.document.kind or "kubeadm document", STATIC_POD: "static Pod",
                COMPONENT_CONFIG: self.document.kind or "component config"}[self.source]
        return f"{self.component} ({what} in {self.document.source.path})"

    def occurrences(self, name: str) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.name == name)

    def explicit(self, name: str) -> EffectiveFlag | None:
        occ = self.occurrences(name)
        if not occ:
            return None
        last = occ[-1]
        return EffectiveFlag(self.component, name, last.value, last.span, True, last.origin, occ)

    def default(self, name: str) -> EffectiveFlag | None:
        """The value a flag takes when no input writes it, or None when that is not known."""
        if self.managed and name in self.kubeadm_defaults:
            return EffectiveFlag(self.component, name, self.kubeadm_defaults[name], self.section, False,
                                 KUBEADM_DEFAULT)
        upstream = UPSTREAM_DEFAULTS.get(self.component, {})
        if (self.managed or self.complete) and name in upstream:
            return EffectiveFlag(self.component, name, upstream[name], self.section, False, UPSTREAM_DEFAULT)
        return None

    def get(self, name: str) -> EffectiveFlag | None:
        """The effective value: the last explicit occurrence, else the default, else None (unknown)."""
        return self.explicit(name) or self.default(name)

    def is_set(self, name: str) -> bool:
        return any(f.name == name for f in self.flags)

    def flag_anchor(self, name: str) -> str:
        return f"{self.anchor}/{name}"


def parse_bool(text: object) -> bool | None:
    """Go's ``strconv.ParseBool``: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False; else None."""
    if isinstance(text, bool):
        return text
    s = str(text).strip()
    if s in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if s in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    return None


def split_list(value: str) -> list[str]:
    """A comma-separated flag value as its items, blanks dropped."""
    return [v.strip() for v in value.split(",") if v.strip()]


def dns_service_ip(service_subnet: str) -> str | None:
    """The cluster DNS address kubeadm uses: the 10th address of the (first) service subnet."""
    first = split_list(service_subnet)
    if not first:
        return None
    try:
        net = ipaddress.ip_network(first[0], strict=False)
    except ValueError:
        return None
    if net.num_addresses <= 10:
        return None
    return str(net.network_address + 10)


def _str(doc: YamlDocument | None, *path: str) -> str | None:
    if doc is None:
        return None
    v = doc.get(*path)
    return v.strip() if isinstance(v, str) and v.strip() else None


def networking(doc: YamlDocument | None) -> tuple[str | None, str, str]:
    """(podSubnet, serviceSubnet, dnsDomain) with kubeadm's defaults for the last two."""
    return (_str(doc, "networking", "podSubnet"),
            _str(doc, "networking", "serviceSubnet") or DEFAULT_SERVICE_SUBNET,
            _str(doc, "networking", "dnsDomain") or DEFAULT_DNS_DOMAIN)


# What kubeadm passes to each component before its extraArgs (manifests.go getAPIServerCommand & co.), in
# kubeadm's order: templates over {pki} (certificatesDir), {port} (the init's bindPort), {service_subnet},
# {pod_subnet}, {dns_domain} and {cluster_name}.
_KUBEADM_FLAGS: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType({
    APISERVER: (
        ("authorization-mode", "Node,RBAC"),
        ("enable-admission-plugins", "NodeRestriction"),
        ("enable-bootstrap-token-auth", "true"),
        ("allow-privileged", "true"),
        ("secure-port", "{port}"),
        ("service-cluster-ip-range", "{service_subnet}"),
        ("client-ca-file", "{pki}/ca.crt"),
        ("tls-cert-file", "{pki}/apiserver.crt"),
        ("tls-private-key-file", "{pki}/apiserver.key"),
        ("kubelet-client-certificate", "{pki}/apiserver-kubelet-client.crt"),
        ("kubelet-client-key", "{pki}/apiserver-kubelet-client.key"),
        ("kubelet-preferred-address-types", "InternalIP,ExternalIP,Hostname"),
        ("service-account-key-file", "{pki}/sa.pub"),
        ("service-account-signing-key-file", "{pki}/sa.key"),
        ("service-account-issuer", "https://kubernetes.default.svc.{dns_domain}"),
        ("requestheader-client-ca-file", "{pki}/front-proxy-ca.crt"),
        ("requestheader-allowed-names", "front-proxy-client"),
        ("requestheader-username-headers", "X-Remote-User"),
        ("requestheader-group-headers", "X-Remote-Group"),
        ("requestheader-extra-headers-prefix", "X-Remote-Extra-"),
        ("proxy-client-cert-file", "{pki}/front-proxy-client.crt"),
        ("proxy-client-key-file", "{pki}/front-proxy-client.key"),
    ),
    CONTROLLER_MANAGER: (
        ("bind-address", "127.0.0.1"),
        ("leader-elect", "true"),
        ("kubeconfig", "/etc/kubernetes/controller-manager.conf"),
        ("authentication-kubeconfig", "/etc/kubernetes/controller-manager.conf"),
        ("authorization-kubeconfig", "/etc/kubernetes/controller-manager.conf"),
        ("client-ca-file", "{pki}/ca.crt"),
        ("requestheader-client-ca-file", "{pki}/front-proxy-ca.crt"),
        ("root-ca-file", "{pki}/ca.crt"),
        ("service-account-private-key-file", "{pki}/sa.key"),
        ("cluster-signing-cert-file", "{pki}/ca.crt"),
        ("cluster-signing-key-file", "{pki}/ca.key"),
        ("use-service-account-credentials", "true"),
        ("controllers", "*,bootstrapsigner,tokencleaner"),
        ("cluster-name", "{cluster_name}"),
    ),
    SCHEDULER: (
        ("bind-address", "127.0.0.1"),
        ("leader-elect", "true"),
        ("kubeconfig", "/etc/kubernetes/scheduler.conf"),
        ("authentication-kubeconfig", "/etc/kubernetes/scheduler.conf"),
        ("authorization-kubeconfig", "/etc/kubernetes/scheduler.conf"),
    ),
})
_STACKED_ETCD_FLAGS = (  # the API server of a stacked etcd member
    ("etcd-servers", "https://127.0.0.1:2379"),
    ("etcd-cafile", "{pki}/etcd/ca.crt"),
    ("etcd-certfile", "{pki}/apiserver-etcd-client.crt"),
    ("etcd-keyfile", "{pki}/apiserver-etcd-client.key"),
)
_POD_CIDR_FLAGS = (  # the controller manager when networking.podSubnet is set
    ("allocate-node-cidrs", "true"),
    ("cluster-cidr", "{pod_subnet}"),
    ("service-cluster-ip-range", "{service_subnet}"),
)


def _kubeadm_defaults(component: str, cfg: YamlDocument | None, init: YamlDocument | None,
                      extra: list[Flag]) -> dict[str, str]:
    """What kubeadm passes to a component before its extraArgs: its rows of ``_KUBEADM_FLAGS`` filled in,
    then the flags that depend on the configuration (advertise address, etcd, pod CIDR)."""
    pod_subnet, service_subnet, dns_domain = networking(cfg)
    port = init.get("localAPIEndpoint", "bindPort") if init is not None else None
    values = {
        "pki": _str(cfg, "certificatesDir") or DEFAULT_CERTIFICATES_DIR,
        "port": str(port if isinstance(port, int) and not isinstance(port, bool) else DEFAULT_BIND_PORT),
        "service_subnet": service_subnet, "pod_subnet": pod_subnet or "", "dns_domain": dns_domain,
        "cluster_name": _str(cfg, "clusterName") or "kubernetes",
    }
    rows = list(_KUBEADM_FLAGS[component])
    if component == CONTROLLER_MANAGER and pod_subnet:
        rows += _POD_CIDR_FLAGS
    out = {flag: template.format_map(values) for flag, template in rows}
    if component == APISERVER:
        advertise = _str(init, "localAPIEndpoint", "advertiseAddress")
        if advertise:
            out["advertise-address"] = advertise
        external = cfg.get("etcd", "external") if cfg is not None else None
        if isinstance(external, dict):
            out.update(_external_etcd_flags(external))
        else:
            out.update((flag, template.format_map(values)) for flag, template in _STACKED_ETCD_FLAGS)
        if any(f.name == "authorization-config" for f in extra):
            del out["authorization-mode"]  # structured authorization replaces the mode flag
    return out


def _external_etcd_flags(external: dict[str, object]) -> dict[str, str]:
    out: dict[str, str] = {}
    eps = external.get("endpoints")
    if isinstance(eps, list):
        out["etcd-servers"] = ",".join(str(e) for e in eps)
    ca = external.get("caFile")
    if isinstance(ca, str) and ca:
        out["etcd-cafile"] = ca
    cert, key_file = external.get("certFile"), external.get("keyFile")
    if isinstance(cert, str) and cert and isinstance(key_file, str) and key_file:
        out["etcd-certfile"], out["etcd-keyfile"] = cert, key_file
    return out


def kubeadm_targets(cluster: Cluster) -> list[YamlDocument]:
    """The documents that define the kubeadm-managed control plane: each ClusterConfiguration, else each
    InitConfiguration (kubeadm then builds a default ClusterConfiguration)."""
    configs = cluster.cluster_configs()
    if configs:
        return configs
    return [d for d in cluster.kubeadm_docs if d.kind == "InitConfiguration"]


def kubeadm_managed(cluster: Cluster) -> bool:
    """kubeadm writes the control plane: a ClusterConfiguration or InitConfiguration exists."""
    return bool(kubeadm_targets(cluster))


def cluster_config_for(cluster: Cluster, doc: YamlDocument) -> YamlDocument | None:
    """The ClusterConfiguration that governs ``doc``: the one in its file, else the cluster's only one."""
    here = [d for d in cluster.kubeadm_docs_in(doc.source.path) if d.kind == "ClusterConfiguration"]
    if here:
        return here[0]
    configs = cluster.cluster_configs()
    return configs[0] if len(configs) == 1 else None


def documents_of_kind(cluster: Cluster, kind: str) -> list[YamlDocument]:
    """Documents of one kind in kubeadm files and component-config files."""
    out: list[YamlDocument] = []
    for f in cluster.files:
        if f.kind in (Kind.KUBEADM, Kind.COMPONENT_CONFIG):
            out.extend(d for d in f.documents if d.kind == kind)
    return out


def kubelet_configs(cluster: Cluster) -> list[YamlDocument]:
    return documents_of_kind(cluster, "KubeletConfiguration")


def kube_proxy_configs(cluster: Cluster) -> list[YamlDocument]:
    return documents_of_kind(cluster, "KubeProxyConfiguration")


def scheduler_configs(cluster: Cluster) -> list[YamlDocument]:
    return documents_of_kind(cluster, "KubeSchedulerConfiguration")


def in_kubeadm_file(cluster: Cluster, doc: YamlDocument) -> bool:
    """The document is passed to kubeadm with its configuration (kubeadm then applies its defaults to it)."""
    return any(f.kind is Kind.KUBEADM and f.path == doc.source.path for f in cluster.files)


def kubelet_flags(cluster: Cluster) -> list[Flag]:
    """Kubelet flags from ``nodeRegistration.kubeletExtraArgs``; they override the KubeletConfiguration."""
    return [f for f in cluster.flags if f.component == "kubelet"]


def scheduler_config_flags(doc: YamlDocument) -> list[Flag]:
    flags: list[Flag] = []
    for path, name in SCHEDULER_CONFIG_FIELDS.items():
        if doc.has(*path) and doc.get(*path) is not None:
            flags.append(Flag(SCHEDULER, name, flag_text(doc.get(*path)), doc.loc(*path),
                              f"{doc.kind}." + ".".join(path)))
    return flags


def _static_pod_views(cluster: Cluster) -> list[ComponentView]:
    views = []
    for pod in cluster.static_pods:
        if pod.component not in COMPONENTS:
            continue
        doc, i = pod.document, pod.container
        base = ("spec", "containers", i)
        section = doc.loc(*base, "command", key=True) if doc.has(*base, "command") else doc.loc(*base)
        views.append(ComponentView(
            pod.component, STATIC_POD, doc, section, "the static Pod's command", managed=False, complete=True,
            flags=tuple(f for f in pod.flags if f.component == pod.component),
            anchor=f"{doc.anchor}/containers/{i}/{pod.component}",
        ))
    return views


def _kubeadm_views(cluster: Cluster) -> list[ComponentView]:
    views = []
    for doc in kubeadm_targets(cluster):
        is_cfg = doc.kind == "ClusterConfiguration"
        inits = [d for d in cluster.kubeadm_docs_in(doc.source.path) if d.kind == "InitConfiguration"]
        init = doc if not is_cfg else (inits[0] if inits else None)
        for component in COMPONENTS:
            key = SECTIONS[component]
            flags = extra_args(doc, (key, "extraArgs"), component) if is_cfg else []
            if is_cfg:
                section = doc.loc(key, key=True) if doc.has(key) else doc.kind_span()
                where = f"{key}.extraArgs"
            else:
                section = doc.kind_span()
                where = f"{key}.extraArgs (of a ClusterConfiguration to add beside this InitConfiguration)"
            views.append(ComponentView(
                component, KUBEADM, doc, section, where, managed=True, complete=True, flags=tuple(flags),
                kubeadm_defaults=_kubeadm_defaults(component, doc if is_cfg else None, init, flags),
                anchor=f"{doc.anchor}/{key}",
            ))
    return views


def _installer_views(cluster: Cluster) -> list[ComponentView]:
    """Installers render only the flags their variables set; what they leave unset is not guessed, so the
    view knows no defaults (``complete`` is False)."""
    return [
        ComponentView(c.component, INSTALLER, None, c.section, c.where, managed=False, complete=False,
                      flags=c.flags, anchor=c.anchor)
        for c in cluster.components if c.component in COMPONENTS
    ]


def component_views(cluster: Cluster, *components: str) -> list[ComponentView]:
    """Every view of the given components (all three when none is named), kubeadm's first."""
    views = _kubeadm_views(cluster) + _static_pod_views(cluster) + _installer_views(cluster)
    sched_docs = scheduler_configs(cluster)
    if sched_docs:
        layer = tuple(f for d in sched_docs for f in scheduler_config_flags(d))
        if any(v.component == SCHEDULER for v in views):
            views = [
                ComponentView(v.component, v.source, v.document, v.section, v.where, v.managed, v.complete,
                              layer + v.flags, v.kubeadm_defaults, v.anchor)
                if v.component == SCHEDULER else v
                for v in views
            ]
        else:
            views.extend(
                ComponentView(SCHEDULER, COMPONENT_CONFIG, d, d.kind_span(), f"the {d.kind}", managed=False,
                              complete=False, flags=tuple(scheduler_config_flags(d)), anchor=f"{d.anchor}")
                for d in sched_docs
            )
    wanted = components or COMPONENTS
    return [v for v in views if v.component in wanted]
