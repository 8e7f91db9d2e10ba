"""What kubespray will deploy, read from its inventory and variables: the endpoint, the certificate names, the
flags, etcd timing, versions, renewal, its own settings; unknown values (Jinja, vault) are never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kublint.discovery import discover
from kublint.engine import load_files
from kublint.model.build import build
from kublint.model.cluster import Cluster
from kublint.model.kubespray import UNKNOWN, Kubespray, Vars, load_balancer, truthy
from kublint.model.kubespray import facts as kubespray_facts
from kublint.model.types import InstallerFacts
from kublint.source import Pos, Span

HOSTS = """\
all:
  hosts:
    cp1: {ansible_host: 10.0.0.11, ip: 10.0.0.11}
    cp2: {ansible_host: 10.0.0.12, ip: 10.0.0.12}
    cp3: {ansible_host: 10.0.0.13}
    w1: {ansible_host: 10.0.0.21}
  children:
    kube_control_plane:
      hosts: {cp2: {}, cp1: {}, cp3: {}}
    kube_node:
      hosts: {w1: {}}
"""


def model(tmp_path: Path, files: dict[str, str]) -> Cluster:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    roots = [r for r in discover(["."], tmp_path) if r.candidates]
    (root,) = roots
    return build(root.display, load_files(root, 5 << 20, 1))


def kubespray(c: Cluster) -> InstallerFacts:
    (facts,) = [i for i in c.installers if i.installer == "kubespray"]
    return facts


def tree(**group_vars: str) -> dict[str, str]:
    files = {"inventory/mycluster/hosts.yaml": HOSTS}
    for name, text in group_vars.items():
        files[f"inventory/mycluster/group_vars/{name.replace('__', '/')}.yml"] = text
    return files


def test_endpoint_is_the_first_listed_control_plane_without_a_load_balancer(tmp_path: Path) -> None:
    c = model(tmp_path, tree())
    (e,) = kubespray(c).endpoints
    assert (e.host, e.port) == ("10.0.0.12", 6443)  # cp2 is listed first in kube_control_plane
    assert (e.raw.span.path, e.raw.span.line) == ("inventory/mycluster/hosts.yaml", 9)
    assert "loadbalancer_apiserver is not defined" in e.origin


def test_endpoint_follows_loadbalancer_apiserver(tmp_path: Path) -> None:
    c = model(tmp_path, tree(all__all="loadbalancer_apiserver:\n  address: 10.0.0.100\n  port: 8443\n"))
    (e,) = kubespray(c).endpoints
    # kubespray's default domain name is the load balancer's address (localhost mode off when it is defined)
    assert (e.host, e.port) == ("10.0.0.100", 8443)
    assert (e.raw.span.line, e.raw.span.col) == (1, 1)  # the variable that decides it


def test_domain_name_and_kube_apiserver_port(tmp_path: Path) -> None:
    c = model(tmp_path, tree(
        all__all="apiserver_loadbalancer_domain_name: api.example.net\nloadbalancer_apiserver:\n"
                 "  address: 10.0.0.100\n",
        k8s_cluster__k8s_cluster="kube_apiserver_port: 7443\n",
    ))
    (e,) = kubespray(c).endpoints
    assert (e.host, e.port, e.raw.value) == ("api.example.net", 7443, "api.example.net:7443")


def test_jinja_load_balancer_is_unknown(tmp_path: Path) -> None:
    c = model(tmp_path, tree(all__all='loadbalancer_apiserver: "{{ lb_from_terraform }}"\n'))
    facts = kubespray(c)
    assert facts.endpoints == () and facts.cert_sans == ()


def test_default_filter_and_references_resolve(tmp_path: Path) -> None:
    c = model(tmp_path, tree(all__all=(
        "vip: 10.0.0.100\n"
        "loadbalancer_apiserver:\n  address: \"{{ vip }}\"\n  port: \"{{ lb_port | default(6443) }}\"\n"
    )))
    (e,) = kubespray(c).endpoints
    assert (e.host, e.port) == ("10.0.0.100", 6443)


def test_certificate_names(tmp_path: Path) -> None:
    c = model(tmp_path, tree(
        all__all="loadbalancer_apiserver:\n  address: 10.0.0.100\nkube_vip_address: 10.0.0.101\n",
        k8s_cluster__k8s_cluster="supplementary_addresses_in_ssl_keys: [api.example.net, 203.0.113.7]\n"
                                 "kube_service_addresses: 10.96.0.0/16\n",
    ))
    (sans,) = kubespray(c).cert_sans
    assert [s.value for s in sans.entries] == ["api.example.net", "203.0.113.7"]
    assert sans.span is not None and sans.span.line == 1 and sans.span.col == 1  # the variable's name
    for name in ("10.0.0.100", "10.0.0.101", "cp1", "10.0.0.12", "10.0.0.13", "10.96.0.1", "localhost",
                 "kubernetes.default.svc.cluster.local"):
        assert name in sans.implicit, name
    assert "10.0.0.21" not in sans.implicit  # workers are not on the API certificate
    assert sans.setting == "supplementary_addresses_in_ssl_keys" and sans.adder == "kubespray"


def test_unknown_supplementary_addresses_leave_the_names_unknown(tmp_path: Path) -> None:
    c = model(tmp_path, tree(k8s_cluster__k8s_cluster=(
        'supplementary_addresses_in_ssl_keys: "{{ groups[\'lb\'] | map(\'extract\', hostvars, \'ip\') }}"\n'
    )))
    assert kubespray(c).cert_sans == ()


def test_flags_from_extra_args_and_dedicated_variables(tmp_path: Path) -> None:
    c = model(tmp_path, tree(k8s_cluster__k8s_cluster=(
        "kube_api_anonymous_auth: false\n"
        "kube_profiling: true\n"
        "kubernetes_audit: true\n"
        "audit_log_maxage: 7\n"
        "kube_controller_manager_leader_elect_lease_duration: 30s\n"
        "kube_kubeadm_controller_extra_args:\n  leader-elect: \"false\"\n"
        "  bind-address: \"{{ ip | ansible.utils.ipwrap }}\"\n"
        "kube_kubeadm_apiserver_extra_args:\n  anonymous-auth: \"true\"\n"
    )))
    got = {(f.component, f.name): (f.value, f.origin, f.span.line) for f in c.flags}
    assert got[("kube-apiserver", "anonymous-auth")][:2] == ("true", "kube_kubeadm_apiserver_extra_args")
    leader = got[("kube-controller-manager", "leader-elect")]
    assert leader == ("false", "kube_kubeadm_controller_extra_args", 7)
    assert ("kube-controller-manager", "bind-address") not in got  # Jinja: not guessed
    assert got[("kube-scheduler", "profiling")][0] == "true"
    assert got[("kube-apiserver", "audit-log-maxage")] == ("7", "audit_log_maxage", 4)
    assert got[("kube-apiserver", "audit-log-maxbackup")][0] == "10"  # kubespray's default when audit is on
    assert got[("kube-controller-manager", "leader-elect-lease-duration")][0] == "30s"
    # the extra args come after the dedicated flags, so a view's last occurrence is the extra one
    from kublint.model.components import APISERVER, component_views

    (view,) = [v for v in component_views(c, APISERVER) if v.source == "installer"]
    flag = view.explicit("anonymous-auth")
    assert flag is not None and flag.value == "true"
    assert view.default("profiling") is None  # what kubespray renders by default is not guessed


def test_etcd_timing_defaults_and_values(tmp_path: Path) -> None:
    c = model(tmp_path, tree())
    (t,) = kubespray(c).etcd_timings
    assert t.heartbeat_ms is not None and t.election_ms is not None
    assert (t.heartbeat_ms.value, t.election_ms.value) == (250, 5000)
    c = model(tmp_path / "b", tree(all__etcd='etcd_heartbeat_interval: "100"\netcd_election_timeout: 1000\n'))
    (t,) = kubespray(c).etcd_timings
    assert t.heartbeat_ms is not None and t.election_ms is not None
    assert (t.heartbeat_ms.value, t.election_ms.value) == (100, 1000)
    assert t.heartbeat_ms.span.path.endswith("group_vars/all/etcd.yml")


def test_etcd_runs_on_the_control_plane_without_an_etcd_group(tmp_path: Path) -> None:
    c = model(tmp_path, tree())
    assert c.voting_count == 3


def test_version_renewal_and_settings(tmp_path: Path) -> None:
    c = model(tmp_path, tree(
        all__all="ignore_assert_errors: yes\n",
        k8s_cluster__k8s_cluster="kube_version: 1.34.3\nauto_renew_certificates: true\n"
                                 "kubeadm_upgrade_auto_cert_renewal: false\n",
    ))
    facts = kubespray(c)
    assert facts.kubernetes_version is not None and facts.kubernetes_version.value == "1.34.3"
    assert [j.span.line for j in c.renewal_jobs] == [2]
    assert [s.value for s in c.upgrade_renewal_off] == ["kubeadm_upgrade_auto_cert_renewal"]
    (s,) = [s for s in c.settings if s.name == "ignore_assert_errors"]
    assert s.value == "yes" and truthy(s.value) is True


def test_host_vars_win_over_group_vars(tmp_path: Path) -> None:
    files = tree(all__all="kube_version: 1.33.0\n", k8s_cluster__k8s_cluster="kube_version: 1.34.0\n")
    files["inventory/mycluster/host_vars/cp2.yml"] = "kube_version: 1.35.1\n"
    c = model(tmp_path, files)
    v = kubespray(c).kubernetes_version
    assert v is not None and v.value == "1.35.1"  # cp2 runs kubeadm init: its variables count


def test_legacy_groups_and_k8s_cluster(tmp_path: Path) -> None:
    c = model(tmp_path, {
        "inventory/old/hosts.ini": "[kube-master]\nm1 ip=10.1.0.1\nm2 ip=10.1.0.2\n\n[kube-node]\nw1\n",
        "inventory/old/group_vars/k8s_cluster.yml": "kube_version: v1.30.2\n",
    })
    assert c.control_plane_count == 2
    v = kubespray(c).kubernetes_version
    assert v is not None and v.value == "v1.30.2"


def test_a_written_cluster_configuration_wins(tmp_path: Path) -> None:
    files = tree()
    files["kubeadm.yaml"] = ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                             "controlPlaneEndpoint: api.example.net:6443\n")
    c = model(tmp_path, files)
    assert [e.raw.value for e in c.endpoints] == ["api.example.net:6443"]


def test_other_ansible_inventories_are_no_kubespray(tmp_path: Path) -> None:
    c = model(tmp_path, {"hosts": "[masters]\nm1\nm2\n[workers]\nw1\n"})
    assert c.installers == ()


@pytest.mark.parametrize("text", [
    "loadbalancer_apiserver: 10.0.0.1\n",
    "loadbalancer_apiserver: [1, 2]\n",
    "loadbalancer_apiserver:\n  port: abc\n",
    "loadbalancer_apiserver:\n  port: 99999999999999999999\n",
    "supplementary_addresses_in_ssl_keys: {a: b}\n",
    "kube_kubeadm_apiserver_extra_args: [a, b]\n",
    "kube_kubeadm_apiserver_extra_args:\n  x: {nested: 1}\n",
    "etcd_heartbeat_interval: 99999999999999999999\n",
    "kube_version: [1, 35]\n",
    "ignore_assert_errors: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n",
    "a: &x \"{{ b }}\"\nb: \"{{ a }}\"\nkube_version: \"{{ a }}\"\n",
])
def test_odd_values_never_crash(tmp_path: Path, text: str) -> None:
    c = model(tmp_path, tree(all__all=text))
    assert kubespray(c).installer == "kubespray"


def test_vars_resolution() -> None:
    class V:
        def __init__(self, value: object) -> None:
            self.value = value
            self.span = Span("x.yml", Pos(1, 1), Pos(1, 2))

        def loc(self, *sub: str | int) -> Span:
            return self.span

        def key_loc(self) -> Span:
            return self.span

    v = Vars({"a": V("{{ b | default('x') }}"), "c": V("{{ d }}"), "d": V(3), "e": V("{{ a ~ 'y' }}"),
              "f": V("{{ f }}")})
    assert v.literal("a") == "x"
    assert v.literal("c") == 3
    assert v.literal("e") is None
    got = v.get("e")
    assert got is not None and got.value is UNKNOWN
    assert v.literal("f") is None  # a self-reference ends
    assert v.get("missing") is None


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12),
    st.sampled_from(["{{ x }}", "{{ ip | default('10.0.0.1') }}", "{{ a | d(3) }}", "yes", "0", "6443",
                     "::1"]),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
_NAMES = st.sampled_from([
    "loadbalancer_apiserver", "apiserver_loadbalancer_domain_name", "loadbalancer_apiserver_localhost",
    "kube_apiserver_port", "supplementary_addresses_in_ssl_keys", "kube_kubeadm_apiserver_extra_args",
    "kube_kubeadm_controller_extra_args", "kube_api_anonymous_auth", "kube_profiling", "kubernetes_audit",
    "audit_log_maxage", "etcd_heartbeat_interval", "etcd_election_timeout", "kube_version",
    "auto_renew_certificates", "kubeadm_upgrade_auto_cert_renewal", "ignore_assert_errors", "ip",
    "kube_vip_address", "kube_vip_enabled", "authorization_modes", "dns_domain", "kube_service_addresses",
    "x", "a",
])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_NAMES, _VALUES, max_size=8))
def test_any_values_give_facts_or_nothing(values: dict[str, object]) -> None:
    span = Span("group_vars/all.yml", Pos(1, 1), Pos(1, 2))

    class V:
        def __init__(self, value: object) -> None:
            self.value = value
            self.span = span

        def loc(self, *sub: str | int) -> Span:
            return span

        def key_loc(self) -> Span:
            return span

    class H:
        def __init__(self, name: str) -> None:
            self.name = name
            self.span = span
            self.listed = {"kube_control_plane": span}
            self.vars = {k: V(v) for k, v in values.items()}

    hosts = {n: H(n) for n in ("cp1", "cp2")}
    ks = Kubespray(hosts, tuple(hosts.values()), span, span, None)
    facts = kubespray_facts(ks)
    for e in facts.endpoints:
        assert e.port is None or isinstance(e.port, int)
    for s in facts.cert_sans:
        assert all(isinstance(n, str) and n for n in s.implicit)
    for f in facts.flags:
        assert isinstance(f.value, str)
    load_balancer(ks)
