"""HP113: see rules/HP113.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, is_fragment, label

# What HAProxy warns about when missing ("missing timeouts for ..."), by the side of the proxy
_NEEDED = {
    "frontend": ("client",),
    "backend": ("connect", "server"),
    "listen": ("connect", "client", "server"),
}


@rule("HP113")
def missing_timeouts(cluster: Cluster) -> Iterator[Problem]:
    for p in cluster.api_proxies:
        if is_fragment(p.config):
            continue  # its defaults (and their timeouts) may be in the file it is appended to
        for proxy in p.proxies:
            timeouts = proxy.timeouts
            missing: list[str] = []
            related: list[Related] = []
            for name in _NEEDED[proxy.kind]:
                t = timeouts.get(name)
                if t is None:
                    missing.append(f"timeout {name}")
                elif t.ms == 0:
                    missing.append(f"timeout {name} (0, which means none)")
                    related.append(Related(t.directive.span, f"timeout {name} 0"))
            if not missing:
                continue
            yield Problem(
                f"the API {label(proxy)} has no {', '.join(missing)} (neither its own nor from defaults): "
                "HAProxy then waits forever, so dead client and server connections pile up until maxconn is "
                "reached, and haproxy -c warns about it; set them, in the section or its defaults (for "
                "example 'timeout connect 5s', 'timeout client 35s', 'timeout server 35s', plus 'timeout "
                "tunnel 1h' for watches and exec sessions)",
                proxy.section.header.span, tuple(related), anchor=anchor(proxy, "timeouts"),
            )
