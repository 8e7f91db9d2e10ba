"""How the HAProxy rules phrase and place findings: a directive's own line or the proxy's header, a proxy's
label and anchor. Which proxy is the API and the nodes behind it are facts of the model
(``kublint.model.loadbalancer``, ``cluster.api_proxies``)."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Related
from kublint.model.haproxy import Proxy, Server
from kublint.model.loadbalancer import ApiProxy
from kublint.parsers.haproxy import Address, Directive, HaproxyConfig
from kublint.source import Span


def at_proxy(proxy: Proxy, directive: Directive | None, what: str = "") -> tuple[Span, tuple[Related, ...]]:
    """A directive's own span when the proxy itself holds it; otherwise the proxy's header line, with the
    inherited line (a ``defaults`` section's) as related."""
    if directive is None:
        return proxy.section.header.span, ()
    if any(d is directive for d in proxy.section.directives):
        return directive.span, ()
    owner = next((s for s in proxy.config.sections if any(d is directive for d in s.directives)), None)
    label = owner.label if owner is not None else "defaults"
    return proxy.section.header.span, (Related(directive.span, what or f"inherited from {label}"),)


def is_fragment(config: HaproxyConfig) -> bool:
    """A file with neither ``global`` nor ``defaults``: a piece appended to (or loaded after) another file,
    whose ``defaults`` it may inherit, so settings it lacks may well be set there."""
    return not any(s.kind in ("global", "defaults") for s in config.sections)


def word_span(directive: Directive, value: str) -> Span | None:
    for w in directive.words:
        if w.value == value:
            return w.span
    return None


def label(proxy: Proxy) -> str:
    return proxy.section.label


def anchor(proxy: Proxy, *parts: str) -> str:
    return "/".join((proxy.section.label, *parts))


def server_label(s: Server) -> str:
    name = s.name.value if s.name else "?"
    addr = s.address.text if s.address else "?"
    return f"server {name} ({addr})"


def frontend_binds(p: ApiProxy) -> Iterator[tuple[Address, Directive]]:
    if p.frontend is None:
        return
    for b in p.frontend.binds:
        for a in b.addresses:
            yield a, b.directive
