"""IV204: see rules/IV204.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem
from kublint.model.cluster import Cluster
from kublint.model.inventory import native_documents
from kublint.rules.api import rule


class Options(NamedTuple):
    mutating_ms: Annotated[float, "SLO of single-object writes, p99 ms"] = 1000
    read_resource_ms: Annotated[float, "SLO of single-object reads, p99 ms"] = 1000
    read_namespace_ms: Annotated[float, "SLO of namespace lists, p99 ms"] = 5000
    read_cluster_ms: Annotated[float, "SLO of cluster-wide lists, p99 ms"] = 30000


KINDS = (
    ("mutating", "mutating_ms", "single-object mutating calls"),
    ("readResource", "read_resource_ms", "reads of a single object"),
    ("readNamespace", "read_namespace_ms", "namespace-scoped lists"),
    ("readCluster", "read_cluster_ms", "cluster-scoped lists"),
)


@rule("IV204", options=Options)
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
