"""IV204: see rules/IV204.md."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.inventory import native_documents
from kublint.rules.api import rule


@dataclass(frozen=True, slots=True)
class Options:
    mutating_ms: float = field(default=1000, metadata={"help": "SLO of single-object writes, p99 ms"})
    read_resource_ms: float = field(default=1000, metadata={"help": "SLO of single-object reads, p99 ms"})
    read_namespace_ms: float = field(default=5000, metadata={"help": "SLO of namespace lists, p99 ms"})
    read_cluster_ms: float = field(default=30000, metadata={"help": "SLO of cluster-wide lists, p99 ms"})


KINDS = (
    ("mutating", "mutating_ms", "single-object mutating calls"),
    ("readResource", "read_resource_ms", "reads of a single object"),
    ("readNamespace", "read_namespace_ms", "namespace-scoped lists"),
    ("readCluster", "read_cluster_ms", "cluster-scoped lists"),
)


@rule("IV204", options=Options, requires=("api-latency",))
def api_latency_over_slo(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    for doc in native_documents(cluster.files):
        for key, option, what in KINDS:
            value = doc.get("measurements", "apiserverP99Ms", key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            limit: float = getattr(opts, option)
            if value <= limit:
                continue
            yield Problem(
                f"the measured p99 latency of {what} is {value:g} ms, over the {limit:g} ms of the upstream "
                "API SLO: clients time out and controllers fall behind; look at etcd latency, API server "
                "load and the load balancer",
                doc.loc("measurements", "apiserverP99Ms", key), anchor=f"measurements/apiserverP99Ms/{key}",
            )
