"""IV301: see rules/IV301.md."""

from __future__ import annotations

import re
from collections.abc import Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.inventory import native_documents
from kublint.parsers.yaml import YamlDocument
from kublint.rules.api import rule
from kublint.source import Span

IDENTITIES = (
    (("name",), "name", lambda v: v.strip()),
    (("address",), "address", net.normalise_host),
    (("identity", "mac"), "MAC address", lambda v: re.sub(r"[^0-9a-f]", "", v.lower())),
    (("identity", "productUUID"), "product_uuid", lambda v: v.strip().lower()),
)


def _native(doc: YamlDocument) -> Iterator[Problem]:
    nodes = doc.get("nodes")
    for path, what, norm in IDENTITIES:
        seen: dict[str, tuple[str, Span]] = {}
        for i, entry in enumerate(nodes if isinstance(nodes, list) else []):
            if not isinstance(entry, dict):
                continue
            raw = doc.get("nodes", i, *path)
            if not isinstance(raw, str | int) or isinstance(raw, bool) or not str(raw).strip():
                continue
            key = norm(str(raw))
            name = str(entry.get("name", f"#{i + 1}"))
            if key not in seen:
                seen[key] = (name, doc.loc("nodes", i, *path))
                continue
            first, first_span = seen[key]
            yield Problem(
                f"node {name} has the same {what} ({raw}) as node {first}: kubeadm's install guide requires "
                "a unique hostname, MAC address and product_uuid per node, and a shared name or address "
                "makes the nodes overwrite each other; give each machine its own (re-generate cloned "
                "machine IDs)",
                doc.loc("nodes", i, *path), (Related(first_span, f"node {first}"),),
                anchor=f"node:{name}/{'/'.join(path)}",
            )


@rule("IV301")
def duplicate_node_identity(cluster: Cluster) -> Iterator[Problem]:
    for doc in native_documents(cluster.files):
        yield from _native(doc)
    # Ansible hosts that share an address were joined into one node by the model: its evidence shows both
    for node in cluster.nodes:
        hosts = [e for e in node.evidence if e.message == "inventory host"]
        by_file: dict[str, list[Span]] = {}
        for e in hosts:
            by_file.setdefault(e.span.path, []).append(e.span)
        for spans in by_file.values():
            for span in spans[1:]:
                yield Problem(
                    f"this host and host {node.name} share an address "
                    f"({', '.join(a.value for a in node.addresses)}): each host needs its own address, name, "
                    "MAC and product_uuid, or kubeadm and Kubespray treat them as one machine",
                    span, (Related(spans[0], "the first host with this address"),),
                    anchor=f"host:{node.name}/address",
                )
