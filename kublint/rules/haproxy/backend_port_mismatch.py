"""HP105: see rules/HP105.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.endpoints import DEFAULT_API_PORT
from kublint.model.haproxy import has_port_offset
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, label


@rule("HP105")
def backend_port_mismatch(cluster: Cluster) -> Iterator[Problem]:
    ports = cluster.bind_ports
    for p in cluster.tied_proxies:
        be = p.backend
        if be is None:
            continue
        fe_ports = {a.port for b in (p.frontend.binds if p.frontend else ()) for a in b.addresses
                    if a.port is not None and a.port_end is None}
        for s in be.servers:
            node = cluster.cp_node_for(s, p.hosts)
            if node is None or s.address is None or has_port_offset(s.address):
                continue
            declared = ports.get(node.name)
            want = declared.value if declared else DEFAULT_API_PORT
            where = "its localAPIEndpoint.bindPort" if declared else "kubeadm's default bindPort"
            related = [Related(node.span, f"control-plane node {node.name}")]
            if declared:
                related.insert(0, Related(declared.span, f"{node.name}'s bindPort"))
            if s.port is not None:
                got, how = s.port.value, f"port {s.port.value}"
            elif len(fe_ports) == 1:  # no port: HAProxy keeps the port the client connected to
                got = next(iter(fe_ports))
                how = f"no port, so HAProxy uses the port the client connected to ({got})"
            else:
                continue
            if got == want:
                continue
            name = s.name.value if s.name else s.address.text
            yield Problem(
                f"server {name} in the API {label(be)} targets {how}, but the API server on {node.name} "
                f"listens on {want} ({where}): connections sent there never reach the API server (they are "
                "refused, or loop back into HAProxy when it shares the node) and the node carries no API "
                "traffic; use "
                f"{s.address.host if ':' not in s.address.host else '[' + s.address.host + ']'}:{want}",
                s.address.span, tuple(related), anchor=anchor(be, "server", name, "port"),
            )
