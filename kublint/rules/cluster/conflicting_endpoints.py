"""CL106: see rules/CL106.md."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.versions import parse_version
from kublint.parsers.yaml import YamlDocument
from kublint.rules.api import rule

DEFAULT_PORT = 6443


def _endpoint(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    hp = net.parse_host_port(value)
    if hp is None:
        return value.strip()
    return f"{net.normalise_host(hp.host)}:{hp.port or DEFAULT_PORT}"


def _version(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    v = parse_version(value)
    return str(v) if v is not None else str(value).strip()


def _subnets(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return ",".join(sorted(net.normalise_host(s.strip()) for s in value.split(",") if s.strip()))


FIELDS: tuple[tuple[tuple[str, ...], str, Callable[[object], str | None]], ...] = (
    (("controlPlaneEndpoint",), "controlPlaneEndpoint", _endpoint),
    (("kubernetesVersion",), "kubernetesVersion", _version),
    (("networking", "podSubnet"), "networking.podSubnet", _subnets),
    (("networking", "serviceSubnet"), "networking.serviceSubnet", _subnets),
)


def _where(doc: YamlDocument, path: tuple[str, ...]) -> str:
    return f"{doc.source.path}:{doc.loc(*path).line}" if doc.has(*path) else f"{doc.source.path} (unset)"


@rule("CL106")
def conflicting_endpoints(cluster: Cluster) -> Iterator[Problem]:
    configs = cluster.cluster_configs()
    if len(configs) < 2:
        return
    for path, name, norm in FIELDS:
        values = [(doc, norm(doc.get(*path))) for doc in configs]
        if len({v for _, v in values}) < 2:
            continue
        counts = Counter(v for _, v in values)
        first = {v: i for i, (_, v) in reversed(list(enumerate(values)))}
        # the value most configurations agree on (the earliest one's on a tie) is the reference
        ref_value = max(counts, key=lambda v: (counts[v], -first[v]))
        ref_doc = next(d for d, v in values if v == ref_value)
        ref_text = ref_doc.get(*path)
        ref_shown = ref_text if ref_value is not None else "nothing"
        for doc, v in values:
            if v == ref_value:
                continue
            raw = doc.get(*path)
            shown = raw if v is not None else "nothing"
            where = doc.loc(*path) if doc.has(*path) else doc.kind_span()
            yield Problem(
                f"this ClusterConfiguration sets {name} to {shown!s} while {_where(ref_doc, path)} sets "
                f"{ref_shown!s}: kubeadm applies whichever file a node is given, so nodes of one cluster "
                "disagree on how to reach or build it; make every ClusterConfiguration of the cluster "
                "identical",
                where, (Related(ref_doc.loc(*path) if ref_doc.has(*path) else ref_doc.kind_span(),
                                f"{name} in the other ClusterConfiguration"),),
                anchor=f"{doc.anchor}/{name}",
            )
