"""HP110: see rules/HP110.md."""

from __future__ import annotations

from collections.abc import Iterator

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.parsers.haproxy import CHECK_OPTIONS, OptionSetting
from kublint.rules.api import rule
from kublint.rules.haproxy._common import anchor, at_proxy, label

_FIX = ("use one check: 'option httpchk' with 'http-check connect ssl', "
        "'http-check send meth GET uri /readyz' and 'http-check expect status 200'")


@rule("HP110")
def conflicting_check_options(cluster: Cluster) -> Iterator[Problem]:
    for p in cluster.api_proxies:
        be = p.backend
        if be is None:
            continue
        by_section: dict[int, list[OptionSetting]] = {}
        for o in be.options.values():
            if o.name in CHECK_OPTIONS and o.enabled:
                by_section.setdefault(id(o.section), []).append(o)
        clash = next((opts for opts in by_section.values() if len({o.name for o in opts}) > 1), None)
        if clash is not None:
            clash.sort(key=lambda o: o.directive.span.start)
            winner, losers = clash[-1], clash[:-1]
            names = ", ".join(f"option {o.name}" for o in losers)
            span, related = at_proxy(be, winner.directive, f"option {winner.name} set here")
            related = (*related, *(Related(o.directive.span, f"option {o.name}, overridden") for o in losers))
            legacy = (" (an SSLv3 hello probe that only shows a TLS listener answers, and that newer TLS "
                      "stacks may refuse)" if winner.name == "ssl-hello-chk" else "")
            yield Problem(
                f"the API {label(be)} sets more than one health-check type ({names}, then option "
                f"{winner.name}): each replaces the previous one, so only option {winner.name} is in "
                f"effect{legacy} and the others are silently ignored; {_FIX}",
                span, related, anchor=anchor(be, "check-options"),
            )
            continue
        hc = be.health_check
        if hc.kind == "ssl-hello" and hc.option is not None:
            span, related = at_proxy(be, hc.option.directive, "option ssl-hello-chk set here")
            yield Problem(
                f"the API {label(be)} checks its servers with option ssl-hello-chk, a legacy SSLv3 hello "
                "probe: it only shows that something answers TLS, never whether kube-apiserver is ready, "
                f"and HAProxy's manual advises native SSL checks instead; {_FIX}",
                span, related, anchor=anchor(be, "ssl-hello-chk"),
            )
