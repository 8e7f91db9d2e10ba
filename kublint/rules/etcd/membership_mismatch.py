"""ET106: see rules/ET106.md."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import kublint.net as net
from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.etcd import ClusterEntry, EtcdConfig, blank, initial_cluster, items, same_url, text
from kublint.model.etcd_members import member_configs
from kublint.rules.api import rule
from kublint.rules.etcd._common import anchor, section_span
from kublint.suggest import closest

DEFAULT_NAME = "default"
DEFAULT_PEER_URL = "http://localhost:2380"


def _norm(url: str) -> str:
    """A peer URL as etcd compares it for duplicates: scheme, host and port."""
    try:
        p = urlsplit(url.strip())
        host, port = p.hostname, p.port
    except ValueError:
        return url.strip()
    if not host:
        return url.strip()
    h = net.normalise_host(host)
    h = f"[{h}]" if ":" in h else h
    return f"{p.scheme.lower()}://{h}" + (f":{port}" if port is not None else "")


def _uses_discovery(cfg: EtcdConfig) -> bool:
    return any(not blank(cfg.get(k)) for k in ("discovery", "discovery-srv", "discovery-endpoints"))


def _state(cfg: EtcdConfig) -> str:
    s = cfg.get("initial-cluster-state")
    return (text(s.value) or "new").strip().lower() if s is not None else "new"


def _where(cfg: EtcdConfig) -> str:
    return f"{cfg.origin} {cfg.path}"


@rule("ET106")
def membership_mismatch(cluster: Cluster) -> Iterator[Problem]:
    cfgs = [c for c in member_configs(cluster.etcd_configs)
            if not blank(c.get("initial-cluster")) and not _uses_discovery(c)]
    lists: dict[int, frozenset[tuple[str, str]]] = {}
    for cfg in cfgs:
        ic = cfg.get("initial-cluster")
        assert ic is not None
        entries = initial_cluster(ic)
        if not entries:
            continue
        lists[id(cfg)] = frozenset((e.name, _norm(e.url)) for e in entries)
        yield from _duplicates(cfg, entries)
        yield from _own_entry(cluster, cfg, entries)
    yield from _differences(cfgs, lists)
    yield from _shared_names(member_configs(cluster.etcd_configs))


def _duplicates(cfg: EtcdConfig, entries: list[ClusterEntry]) -> Iterator[Problem]:
    seen_names: dict[str, ClusterEntry] = {}
    seen_urls: dict[str, ClusterEntry] = {}
    for e in entries:
        first = seen_names.get(e.name)
        if first is not None and _norm(first.url) != _norm(e.url):
            yield Problem(
                f"initial-cluster names member {e.name} twice ({first.url} and {e.url}): etcd makes that "
                "one member with two peer URLs, so the machine behind the second URL is no member and the "
                "named member must advertise both; give each member its own name",
                e.span, (Related(first.span, f"first entry for {e.name}"),),
                anchor=anchor(cfg, f"initial-cluster/{e.name}"),
            )
        seen_names.setdefault(e.name, e)
        key = _norm(e.url)
        prior = seen_urls.get(key)
        if prior is not None:
            yield Problem(
                f"initial-cluster lists peer URL {e.url} twice ({prior.name} and {e.name}): etcd refuses "
                "to start (\"initial cluster ... has duplicate url\"); give each member its own peer URL",
                e.span, (Related(prior.span, f"first entry with {e.url}"),),
                anchor=anchor(cfg, f"initial-cluster/{key}"),
            )
        seen_urls.setdefault(key, e)


def _own_entry(cluster: Cluster, cfg: EtcdConfig, entries: list[ClusterEntry]) -> Iterator[Problem]:
    ic = cfg.get("initial-cluster")
    assert ic is not None
    name_s = cfg.get("name")
    name = text(name_s.value) if name_s is not None and not blank(name_s) else None
    own = name or DEFAULT_NAME
    names = sorted({e.name for e in entries})
    mine = [e for e in entries if e.name == own]
    if not mine:
        close = closest(own, names)
        if name_s is not None and name is not None and close:
            yield Problem(
                f"member name {own} is not in its own initial-cluster ({', '.join(names)}): etcd refuses "
                f"to start (\"couldn't find local name {own!r} in the initial cluster configuration\"); "
                f"did you mean {close!r}?",
                name_s.span, (Related(ic.span, "initial-cluster"),), anchor=anchor(cfg, "name"),
            )
        else:
            why = f"member {own}" if name else f"name is not set, so etcd uses its default {own!r}, which"
            yield Problem(
                f"{why} is not in its own initial-cluster ({', '.join(names)}): etcd refuses to start "
                f"(\"couldn't find local name {own!r} in the initial cluster configuration\"); add "
                f"{own}=<its peer URL> to initial-cluster on every member, or set name to this member's "
                "entry",
                ic.span, (Related(name_s.span, "name"),) if name_s is not None else (),
                anchor=anchor(cfg, "initial-cluster"),
            )
        return
    if _state(cfg) == "existing":
        return  # etcd checks the advertised URLs against the list only when it bootstraps a new cluster
    adv = cfg.get("initial-advertise-peer-urls")
    advertised = [u for u, _ in items(adv)] if adv is not None and not blank(adv) else [DEFAULT_PEER_URL]
    listed = [e.url for e in mine]
    verdicts = [same_url(a, b) for a in advertised for b in listed]
    if None in verdicts:
        return  # a DNS name on one side: etcd resolves it before comparing, kublint cannot
    matched = (len(advertised) == len(listed)
               and all(any(same_url(a, b) for b in listed) for a in advertised)
               and all(any(same_url(a, b) for a in advertised) for b in listed))
    if matched:
        return
    where = ", ".join(listed)
    if adv is not None and not blank(adv):
        yield Problem(
            f"initial-advertise-peer-urls {', '.join(advertised)} does not match member {own}'s entry in "
            f"initial-cluster ({where}): etcd refuses to start (\"--initial-cluster has {own}={where} but "
            "missing from --initial-advertise-peer-urls\"); advertise exactly the URLs initial-cluster "
            "gives this member",
            adv.span, tuple(Related(e.span, f"{own} in initial-cluster") for e in mine),
            anchor=anchor(cfg, "initial-advertise-peer-urls"),
        )
    else:
        yield Problem(
            f"initial-advertise-peer-urls is not set, so etcd advertises its default {DEFAULT_PEER_URL}, "
            f"which does not match member {own}'s entry in initial-cluster ({where}): etcd refuses to "
            f"start; set initial-advertise-peer-urls to {where}",
            section_span(cluster, cfg), tuple(Related(e.span, f"{own} in initial-cluster") for e in mine),
            anchor=anchor(cfg, "initial-advertise-peer-urls"),
        )


def _differences(cfgs: list[EtcdConfig], lists: dict[int, frozenset[tuple[str, str]]]) -> Iterator[Problem]:
    with_list = [c for c in cfgs if id(c) in lists]
    if len(with_list) < 2:
        return
    new = [c for c in with_list if _state(c) != "existing"] or with_list
    counts = Counter(lists[id(c)] for c in new)
    top = max(counts.values())
    reference = next(lists[id(c)] for c in new if counts[lists[id(c)]] == top)
    ref_cfgs = [c for c in with_list if lists[id(c)] == reference]
    for cfg in with_list:
        mine = lists[id(cfg)]
        if mine == reference or (_state(cfg) == "existing" and mine > reference):
            continue  # a member added later lists the members before it and itself
        ic = cfg.get("initial-cluster")
        assert ic is not None
        missing = sorted(f"{n}={u}" for n, u in reference - mine)
        extra = sorted(f"{n}={u}" for n, u in mine - reference)
        parts = [f"lacks {', '.join(missing)}"] if missing else []
        parts += [f"adds {', '.join(extra)}"] if extra else []
        yield Problem(
            f"initial-cluster differs from the one on {len(ref_cfgs)} other member "
            f"config{'s' if len(ref_cfgs) != 1 else ''} ({'; '.join(parts)}): members bootstrapped from "
            "different lists compute different cluster IDs or wait for peers that never join; use one "
            "initial-cluster string on every member",
            ic.span,
            tuple(Related(r.span if ric is None else ric.span, f"initial-cluster of {_where(r)}")
                  for r in ref_cfgs[:3] for ric in (r.get("initial-cluster"),)),
            anchor=anchor(cfg, "initial-cluster"),
        )


def _shared_names(cfgs: list[EtcdConfig]) -> Iterator[Problem]:
    seen: dict[str, tuple[EtcdConfig, frozenset[str]]] = {}
    for cfg in cfgs:
        name_s = cfg.get("name")
        name = text(name_s.value) if name_s is not None else None
        if name_s is None or not name:
            continue
        adv = cfg.get("initial-advertise-peer-urls")
        urls = frozenset(_norm(u) for u, _ in items(adv)) if adv is not None else frozenset()
        prior = seen.get(name)
        if prior is None:
            seen[name] = (cfg, urls)
            continue
        other, other_urls = prior
        if urls and other_urls and urls != other_urls:
            other_name = other.get("name")
            assert other_name is not None
            yield Problem(
                f"member name {name} is also the name of the member in {_where(other)}, which advertises "
                f"{', '.join(sorted(other_urls))}: member names must be unique, or the two members claim "
                "one entry of initial-cluster; set name to this member's own entry in initial-cluster",
                name_s.span, (Related(other_name.span, f"{name} in {_where(other)}"),),
                anchor=anchor(cfg, "name"),
            )
