"""What kubespray will deploy, from an Ansible inventory's variables: the endpoint kubeadm is given, the
names on the API server certificate, the component flags, etcd's timing, the Kubernetes version, certificate
renewal and kubespray's own switches (``ignore_assert_errors``, the API load-balancer modes).

The variables are the ones Ansible gives the first control-plane host, where kubespray runs ``kubeadm init``,
over kubespray's role defaults (``roles/kubespray_defaults/defaults/main/main.yml``). Only literals are known,
and ``{{ name | default(literal) }}``; any other Jinja expression and every ``!vault`` value is unknown: a
fact that depends on one is left out, never guessed. The templates this follows are
``roles/kubernetes/control-plane/templates/kubeadm-config.v1beta4.yaml.j2`` and
``roles/kubernetes/control-plane/tasks/kubeadm-setup.yml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple, Protocol

from kublint.model.endpoints import kubernetes_service_names
from kublint.model.kubeadm import flag_text
from kublint.model.types import (
    CertSANs,
    Endpoint,
    EtcdTiming,
    Flag,
    InstallerComponent,
    InstallerFacts,
    Setting,
    Sourced,
)
from kublint.placeholders import has_jinja_opener
from kublint.source import Span


class Var(Protocol):
    """An Ansible variable with where it is set (``kublint.model.ansible.Var``)."""

    @property
    def value(self) -> object: ...
    @property
    def span(self) -> Span: ...
    def loc(self, *sub: str | int) -> Span: ...
    def key_loc(self) -> Span: ...


class Host(Protocol):
    """An inventory host with its merged variables (``kublint.model.ansible.Host``)."""

    @property
    def name(self) -> str: ...
    @property
    def span(self) -> Span: ...
    @property
    def listed(self) -> Mapping[str, Span]: ...
    @property
    def vars(self) -> Mapping[str, Var]: ...

KUBESPRAY = "kubespray"
# Groups only kubespray inventories have (and its legacy hyphenated names): an inventory with none of them is
# some other playbook's, whose variables mean nothing to kubespray.
GROUPS = frozenset({
    "kube_control_plane", "kube-master", "kube_master", "kube_node", "kube-node", "k8s_cluster",
    "k8s-cluster", "calico_rr", "calico-rr",
})
LEGACY_GROUPS = {  # playbooks/boilerplate.yml maps the old names onto the new ones
    "kube-master": "kube_control_plane", "kube_master": "kube_control_plane", "kube-node": "kube_node",
    "k8s-cluster": "k8s_cluster", "calico-rr": "calico_rr",
}
CLUSTER_GROUPS = ("kube_control_plane", "kube_node", "calico_rr")  # k8s_cluster is their union

# kubespray's role defaults that the facts below depend on (roles/kubespray_defaults/defaults/main/main.yml).
DEFAULT_API_PORT = 6443  # kube_apiserver_port
DEFAULT_HEARTBEAT_MS = 250  # etcd_heartbeat_interval
DEFAULT_ELECTION_MS = 5000  # etcd_election_timeout
DEFAULT_DNS_DOMAIN = "cluster.local"  # dns_domain
DEFAULT_SERVICE_SUBNET = "10.233.0.0/18"  # kube_service_addresses
SSL_DIR = "/etc/kubernetes/ssl"  # kube_cert_dir

EXTRA_ARGS = {
    "kube_kubeadm_apiserver_extra_args": "kube-apiserver",
    "kube_kubeadm_controller_extra_args": "kube-controller-manager",
    "kube_kubeadm_scheduler_extra_args": "kube-scheduler",
}


class Unknown:
    """A value kublint cannot know: Jinja it does not evaluate, or an Ansible vault."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()

_DEFAULT_FILTER = re.compile(
    r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\|\s*(?:default|d)\(\s*"
    r"(?:'([^']*)'|\"([^\"]*)\"|(-?[0-9]+)|(true|false|True|False))\s*(?:,\s*(?:true|false|True|False)\s*)?\)"
    r"\s*\}\}"
)
_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class Val(NamedTuple):
    """A variable as kubespray will read it: its value (UNKNOWN when not knowable) and where it is set."""

    value: object
    var: Var

    @property
    def span(self) -> Span:
        return self.var.span

    @property
    def known(self) -> bool:
        return _known(self.value)

    @property
    def key_span(self) -> Span:
        return self.var.key_loc()

    def loc(self, *sub: str | int) -> Span:
        return self.var.loc(*sub)


def _known(value: object) -> bool:
    if isinstance(value, Unknown):
        return False
    if isinstance(value, dict):
        return all(_known(v) for v in value.values())
    if isinstance(value, list):
        return all(_known(v) for v in value)
    return True


class Vars:
    """One host's variables, with Jinja and vault values resolved or marked unknown."""

    __slots__ = ("_raw",)

    def __init__(self, raw: Mapping[str, Var]) -> None:
        self._raw = raw

    def get(self, name: str) -> Val | None:
        """The variable, None when it is not set (the role default then applies)."""
        var = self._raw.get(name)
        if var is None:
            return None
        return Val(self._resolve(var.value, 0), var)

    def literal(self, name: str) -> object | None:
        """The known value, None when unset or unknown."""
        v = self.get(name)
        return v.value if v is not None and v.known else None

    def _resolve(self, value: object, depth: int) -> object:
        if depth > 32:
            return UNKNOWN  # nested deeper than any kubespray variable, or references going round
        if isinstance(value, dict):
            return {k: self._resolve(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve(v, depth + 1) for v in value]
        if isinstance(value, str):
            return self._text(value, depth)
        if value is None or isinstance(value, bool | int | float):
            return value
        return UNKNOWN  # a !vault value, or any other tag

    def _text(self, text: str, depth: int) -> object:
        if not has_jinja_opener(text):
            return text
        m = _DEFAULT_FILTER.fullmatch(text.strip())
        if m is not None:
            ref = self._raw.get(m.group(1))
            if ref is not None:
                return self._resolve(ref.value, depth + 1)
            quoted = m.group(2) if m.group(2) is not None else m.group(3)
            if quoted is not None:
                return quoted
            if m.group(4) is not None:
                return int(m.group(4))
            return m.group(5).lower() == "true"
        m = _REFERENCE.fullmatch(text.strip())
        if m is not None and (ref := self._raw.get(m.group(1))) is not None:
            return self._resolve(ref.value, depth + 1)
        return UNKNOWN


def truthy(value: object) -> bool | None:
    """Ansible's ``| bool``: True, False, or None when the value is unknown or no boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value == 1 if value in (0, 1) else None
    if isinstance(value, str):
        s = value.strip().lower()
        if s in ("true", "yes", "on", "1", "y", "t"):
            return True
        if s in ("false", "no", "off", "0", "n", "f", ""):
            return False
    return None


def _scalar(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text or None


class Kubespray(NamedTuple):
    """The inventory as kubespray reads it: every host's variables and the control-plane hosts in order."""

    hosts: Mapping[str, Host]
    control_plane: tuple[Host, ...]  # groups['kube_control_plane'], first one first
    inventory: Span  # the inventory as a whole
    cp_list: Span | None  # where the control-plane group is written
    etcd_list: Span | None  # where the etcd group is written (None: etcd runs on the control plane)

    def vars_of(self, host: Host) -> Vars:
        return Vars(host.vars)


def _address(host: Host, v: Vars) -> Sourced[str] | None:
    """The address kubespray's ``main_ip`` takes: ``ip``, else the host's default IPv4 address, a fact
    gathered on the host, which the inventory shows only as the address Ansible reaches it by
    (``ansible_host``; ``access_ip`` is what other hosts use)."""
    for name in ("ip", "ansible_host", "access_ip"):
        val = v.get(name)
        text = _scalar(val.value) if val is not None and val.known else None
        if val is not None and text:
            return Sourced(text, val.span)
    return None


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _port(value: object, default: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return default if value is None else None


def lb_domain(v: Vars, lb: Val) -> tuple[str | None, Val | None]:
    """``apiserver_loadbalancer_domain_name`` and where it is set: written, else kubespray's default,
    ``localhost`` with the node-local proxies on and ``loadbalancer_apiserver.address`` without them.
    (None, _) when it cannot be known."""
    domain = v.get("apiserver_loadbalancer_domain_name")
    if domain is not None:
        return (_scalar(domain.value) if domain.known else None), domain
    local = v.get("loadbalancer_apiserver_localhost")
    if local is not None and truthy(local.value) is None:
        return None, None
    if local is not None and truthy(local.value):
        return "localhost", local
    address = lb.value.get("address") if isinstance(lb.value, dict) else None
    return _scalar(address), None


def _endpoint(ks: Kubespray, v: Vars) -> Endpoint | None:
    """kubeadm's controlPlaneEndpoint as kubespray's template renders it: the load balancer's domain name
    and port with ``loadbalancer_apiserver`` defined, else the address (``main_ip``) of the first control
    plane, where ``kubeadm init`` runs. kube-vip has no branch of its own: its docs point
    ``loadbalancer_apiserver`` at ``kube_vip_address``."""
    api_port = _port(v.literal("kube_apiserver_port"), DEFAULT_API_PORT) or DEFAULT_API_PORT
    lb = v.get("loadbalancer_apiserver")
    if lb is not None:
        if not lb.known or not isinstance(lb.value, dict):
            return None
        host, domain = lb_domain(v, lb)
        port = _port(lb.value.get("port"), api_port)
        if host is None or port is None:
            return None
        where = domain.span if domain is not None else lb.key_span
        return Endpoint(Sourced(_host_port(host, port), where), host, port, f"{KUBESPRAY}/{lb.span.path}",
                        "apiserver_loadbalancer_domain_name",
                        "kubespray's apiserver_loadbalancer_domain_name:loadbalancer_apiserver.port")
    if not ks.control_plane:
        return None
    first = ks.control_plane[0]
    addr = _address(first, ks.vars_of(first))
    host = addr.value if addr is not None else first.name
    where = first.listed.get("kube_control_plane") or next(iter(first.listed.values()), first.span)
    return Endpoint(Sourced(_host_port(host, api_port), where), host, api_port, f"{KUBESPRAY}/{where.path}",
                    "loadbalancer_apiserver (its address and port)",
                    f"kubespray renders the first control plane {first.name}'s own address because "
                    "loadbalancer_apiserver is not defined")


def _names(value: object) -> list[str] | None:
    if isinstance(value, list):
        out = [t for item in value if (t := _scalar(item))]
        return out if len(out) == len(value) else None
    return None


def _cert_sans(ks: Kubespray, v: Vars, endpoint: Endpoint | None) -> CertSANs | None:
    """kubespray's ``apiserver_sans``: the kubernetes service names, localhost, the load balancer's domain
    name and address, every control plane's name and addresses, kube-vip's address and
    ``supplementary_addresses_in_ssl_keys``. None when one of them is unknown."""
    domain = _scalar(v.literal("dns_domain")) or DEFAULT_DNS_DOMAIN
    services = _scalar(v.literal("kube_service_addresses")) or DEFAULT_SERVICE_SUBNET
    implicit = [*kubernetes_service_names(domain, services), "localhost", "127.0.0.1", "::1"]
    lb = v.get("loadbalancer_apiserver")
    if lb is not None:
        if not lb.known or not isinstance(lb.value, dict):
            return None
        lb_host, _ = lb_domain(v, lb)
        if lb_host is None:
            return None
        implicit += [lb_host, _scalar(lb.value.get("address")) or ""]
    for name in ("kube_vip_address", "kube_override_hostname"):
        extra = v.get(name)
        if extra is not None:
            if not extra.known:
                return None
            implicit.append(_scalar(extra.value) or "")
    for host in ks.control_plane:
        hv = ks.vars_of(host)
        implicit.append(host.name)
        for name in ("ip", "access_ip", "ansible_host"):
            val = hv.get(name)
            if val is not None and val.known:
                implicit.append(_scalar(val.value) or "")
    if endpoint is not None and endpoint.host:
        implicit.append(endpoint.host)
    supp = v.get("supplementary_addresses_in_ssl_keys")
    entries: tuple[Sourced[str], ...] = ()
    if supp is not None:
        items = _names(supp.value) if supp.known else None
        if items is None:
            return None
        entries = tuple(Sourced(t, supp.loc(i)) for i, t in enumerate(items))
    where = supp.span if supp is not None else (lb.span if lb is not None else (ks.cp_list or ks.inventory))
    return CertSANs(entries, supp.var.key_loc() if supp is not None else None,
                    tuple(n for n in implicit if n), where, f"{KUBESPRAY}/{where.path}",
                    "supplementary_addresses_in_ssl_keys", "kubespray", node_names=False)


# Dedicated variables and the flag each renders (kubeadm-config.v1beta4.yaml.j2), for the values a user sets.
DEDICATED: tuple[tuple[str, str, str], ...] = (
    ("kube_api_anonymous_auth", "kube-apiserver", "anonymous-auth"),
    ("kube_apiserver_bind_address", "kube-apiserver", "bind-address"),
    ("kube_controller_manager_bind_address", "kube-controller-manager", "bind-address"),
    ("kube_scheduler_bind_address", "kube-scheduler", "bind-address"),
    ("kube_controller_manager_leader_elect_lease_duration", "kube-controller-manager",
     "leader-elect-lease-duration"),
    ("kube_controller_manager_leader_elect_renew_deadline", "kube-controller-manager",
     "leader-elect-renew-deadline"),
    ("kube_scheduler_leader_elect_lease_duration", "kube-scheduler", "leader-elect-lease-duration"),
    ("kube_scheduler_leader_elect_renew_deadline", "kube-scheduler", "leader-elect-renew-deadline"),
)
LIST_FLAGS: tuple[tuple[str, str, str], ...] = (
    ("authorization_modes", "kube-apiserver", "authorization-mode"),
    ("kube_apiserver_enable_admission_plugins", "kube-apiserver", "enable-admission-plugins"),
    ("kube_apiserver_disable_admission_plugins", "kube-apiserver", "disable-admission-plugins"),
)
PROFILING = "kube_profiling"  # renders profiling on all three components


def _flags(v: Vars) -> Iterator[Flag]:
    for name, component, flag in DEDICATED:
        val = v.get(name)
        text = flag_text(val.value) if val is not None and val.known and _plain(val.value) else None
        if val is not None and text is not None:
            yield Flag(component, flag, text, val.span, name)
    for name, component, flag in LIST_FLAGS:
        val = v.get(name)
        items = _names(val.value) if val is not None and val.known else None
        if val is not None and items:
            yield Flag(component, flag, ",".join(items), val.span, name)
    prof = v.get(PROFILING)
    if prof is not None and prof.known and _plain(prof.value):
        for component in EXTRA_ARGS.values():
            yield Flag(component, "profiling", flag_text(prof.value), prof.span, PROFILING)
    encrypt = v.get("kube_encrypt_secret_data")
    if encrypt is not None and truthy(encrypt.value):
        yield Flag("kube-apiserver", "encryption-provider-config", f"{SSL_DIR}/secrets_encryption.yaml",
                   encrypt.span, "kube_encrypt_secret_data")
    audit = v.get("kubernetes_audit")
    if audit is not None and truthy(audit.value):
        path = _scalar(v.literal("audit_log_path")) or "/var/log/audit/kube-apiserver-audit.log"
        yield Flag("kube-apiserver", "audit-log-path", path, audit.span, "kubernetes_audit")
        for var, flag, default in (("audit_log_maxage", "audit-log-maxage", "30"),
                                   ("audit_log_maxbackups", "audit-log-maxbackup", "10"),
                                   ("audit_log_maxsize", "audit-log-maxsize", "100")):
            val = v.get(var)
            if val is None:
                yield Flag("kube-apiserver", flag, default, audit.span, "kubernetes_audit")
            elif val.known and _plain(val.value):
                yield Flag("kube-apiserver", flag, flag_text(val.value), val.span, var)
    # The extra-args dictionaries come after the dedicated flags in the template, so they win.
    for name, component in EXTRA_ARGS.items():
        val = v.get(name)
        if val is None or not isinstance(val.value, dict):
            continue
        for key, value in val.value.items():
            if isinstance(key, str) and _known(value) and _plain(value):
                yield Flag(component, key, flag_text(value), val.loc(key), name)


def _plain(value: object) -> bool:
    return isinstance(value, str | int | float | bool)


def _components(flags: list[Flag], ks: Kubespray, v: Vars) -> tuple[InstallerComponent, ...]:
    out = []
    for name, component in EXTRA_ARGS.items():
        val = v.get(name)
        section = val.span if val is not None else (ks.cp_list or ks.inventory)
        out.append(InstallerComponent(
            component, KUBESPRAY, tuple(f for f in flags if f.component == component), section,
            f"kubespray's {name}", section.path, f"{KUBESPRAY}/{component}",
        ))
    return tuple(out)


def _ms(val: Val | None) -> int | None:
    if val is None or not val.known:
        return None
    text = _scalar(val.value)
    return int(text) if text is not None and text.isdigit() and len(text) < 10 else None


def _timing(v: Vars, etcd: Span) -> EtcdTiming:
    """etcd's heartbeat and election timeout in milliseconds: ``etcd_heartbeat_interval`` and
    ``etcd_election_timeout`` (rendered into etcd.env, or etcd.local's extraArgs with etcd_deployment_type
    kubeadm), else kubespray's defaults, 250 and 5000, at the etcd group."""
    hb, el = v.get("etcd_heartbeat_interval"), v.get("etcd_election_timeout")
    hb_ms = _ms(hb) if hb is not None else DEFAULT_HEARTBEAT_MS
    el_ms = _ms(el) if el is not None else DEFAULT_ELECTION_MS
    return EtcdTiming(
        Sourced(hb_ms, hb.span if hb is not None else etcd) if hb_ms is not None else None,
        Sourced(el_ms, el.span if el is not None else etcd) if el_ms is not None else None,
        "kubespray etcd_heartbeat_interval/etcd_election_timeout", hb.span if hb is not None else etcd,
    )


# The switches only kubespray has, which its own rules (KS) judge, read from every host.
SETTINGS = ("ignore_assert_errors", "loadbalancer_apiserver", "loadbalancer_apiserver_localhost",
            "apiserver_loadbalancer_domain_name", "etcd_deployment_type")


def _settings(hosts: Iterable[Host]) -> tuple[Setting, ...]:
    out: dict[tuple[str, Span], Setting] = {}
    for host in hosts:
        v = Vars(host.vars)
        for name in SETTINGS:
            val = v.get(name)
            if val is not None and (name, val.span) not in out:
                out[(name, val.span)] = Setting(KUBESPRAY, name, val.value, val.span)
    return tuple(out.values())


def _init_vars(ks: Kubespray) -> Vars:
    """The variables of the host kubespray runs ``kubeadm init`` on: the first control plane."""
    first = ks.control_plane[0] if ks.control_plane else next(iter(ks.hosts.values()), None)
    return Vars(first.vars if first is not None else {})


def load_balancer(ks: Kubespray) -> tuple[Sourced[str] | None, Sourced[str] | None]:
    """The API load balancer's DNS name (``apiserver_loadbalancer_domain_name`` as written) and address
    (``loadbalancer_apiserver.address``, else kube-vip's ``kube_vip_address`` when kube-vip is enabled)."""
    v = _init_vars(ks)
    dns = v.get("apiserver_loadbalancer_domain_name")
    name = _scalar(dns.value) if dns is not None and dns.known else None
    vip: Sourced[str] | None = None
    lb = v.get("loadbalancer_apiserver")
    if lb is not None and isinstance(lb.value, dict) and (addr := _scalar(lb.value.get("address"))):
        vip = Sourced(addr, lb.loc("address"))  # _scalar is None for an unknown value
    kv = v.get("kube_vip_address")
    if vip is None and kv is not None and kv.known and (addr := _scalar(kv.value)):
        enabled = v.get("kube_vip_enabled")
        if enabled is None or truthy(enabled.value):
            vip = Sourced(addr, kv.span)
    return (Sourced(name, dns.span) if dns is not None and name else None), vip


def facts(ks: Kubespray) -> InstallerFacts:
    """What kubespray will deploy, as the first control-plane host's variables say."""
    v = _init_vars(ks)
    endpoint = _endpoint(ks, v)
    etcd_span = ks.etcd_list or ks.cp_list or ks.inventory
    sans = _cert_sans(ks, v, endpoint)
    flags = list(_flags(v))
    version = v.get("kube_version")
    renew = v.get("auto_renew_certificates")
    upgrade = v.get("kubeadm_upgrade_auto_cert_renewal")
    return InstallerFacts(
        KUBESPRAY,
        endpoints=(endpoint,) if endpoint is not None else (),
        cert_sans=(sans,) if sans is not None else (),
        components=_components(flags, ks, v),
        flags=tuple(flags),
        etcd_timings=(_timing(v, etcd_span),),
        kubernetes_version=Sourced(str(version.value), version.span)
        if version is not None and version.known and _scalar(version.value) else None,
        renewal_jobs=(Sourced("kubespray auto_renew_certificates (k8s-certs-renew.timer)", renew.span),)
        if renew is not None and truthy(renew.value) else (),
        upgrade_renewal_off=(Sourced("kubeadm_upgrade_auto_cert_renewal", upgrade.span),)
        if upgrade is not None and truthy(upgrade.value) is False else (),
        settings=_settings(ks.hosts.values()),
        renders_kubeadm=True,
    )

