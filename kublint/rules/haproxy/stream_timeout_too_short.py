"""HP114: see rules/HP114.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.haproxy import Timeout
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, at_proxy, label


class Options(NamedTuple):
    min_seconds: Annotated[
        int,
        "the shortest idle timeout (timeout tunnel, else the smaller of timeout client "
        "and timeout server) that does not cut kubectl logs -f, exec and attach sessions "
        "(policy)",
    ] = 300


def _shown(t: Timeout) -> str:
    written = t.value.value if t.value else ""
    secs = _seconds(t.ms or 0)
    return written if written.endswith("s") and not written.endswith("ms") else f"{written} ({secs})"


def _seconds(ms: float) -> str:
    s = ms / 1000
    return f"{s:g} s"


@rule("HP114", options=Options)
def stream_timeout_too_short(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    limit_ms = opts.min_seconds * 1000
    for p in cluster.api_proxies:
        be, fe = p.backend, p.frontend or p.backend
        if be is None or fe is None:
            continue
        tunnel = be.timeouts.get("tunnel")
        if tunnel is not None and tunnel.ms:
            if tunnel.ms >= limit_ms:
                continue
            span, related = at_proxy(be, tunnel.directive, "timeout tunnel set here")
            yield Problem(
                f"the API {label(be)} closes idle streams after timeout tunnel {_shown(tunnel)}: "
                "'kubectl logs -f', "
                "exec and attach sessions and quiet watches that send nothing for that long are cut; this "
                f"policy asks for at least {opts.min_seconds} s: raise it (for example 'timeout tunnel 1h')",
                span, related, anchor=anchor(be, "tunnel"),
            )
            continue
        client, server = fe.timeouts.get("client"), be.timeouts.get("server")
        if client is None or server is None or not client.ms or not server.ms:
            continue  # a missing (infinite) timeout is HP113
        shortest = min(client.ms, server.ms)
        if shortest >= limit_ms:
            continue
        span, _ = at_proxy(be, None)
        related = (Related(client.directive.span, "timeout client"),
                   Related(server.directive.span, "timeout server"))
        yield Problem(
            f"the API {label(be)} has no timeout tunnel, so idle streams are closed after the smaller of "
            f"timeout client and timeout server ({_seconds(shortest)}): 'kubectl logs -f', exec and attach "
            "sessions and quiet watches that send nothing for that long are cut; this policy asks for at "
            f"least {opts.min_seconds} s: add 'timeout tunnel 1h' to {label(be)} (or its defaults)",
            span, related, anchor=anchor(be, "stream-timeout"),
        )
