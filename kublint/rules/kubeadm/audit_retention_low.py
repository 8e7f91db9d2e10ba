"""KA209: see rules/KA209.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from kublint.findings import Problem, Related
from kublint.model.cluster import Cluster
from kublint.model.components import APISERVER, component_views
from kublint.model.values import int_text
from kublint.rules.api import rule
from kublint.rules.kubeadm._common import unset_phrase


class Options(NamedTuple):
    min_maxage: Annotated[int, "audit-log-maxage: at least this many days"] = 30
    min_maxbackup: Annotated[int, "audit-log-maxbackup: at least this many files"] = 10
    min_maxsize: Annotated[int, "audit-log-maxsize: at least this many MB"] = 100


@rule("KA209", options=Options)
def audit_retention_low(cluster: Cluster, opts: Options) -> Iterator[Problem]:
    checks = (
        ("audit-log-maxage", opts.min_maxage, "days", "CIS 1.2.17"),
        ("audit-log-maxbackup", opts.min_maxbackup, "rotated files", "CIS 1.2.18"),
        ("audit-log-maxsize", opts.min_maxsize, "MB per file", "CIS 1.2.19"),
    )
    for view in component_views(cluster, APISERVER):
        path = view.explicit("audit-log-path")
        if path is None or path.value.strip() in ("", "-"):
            continue  # no log file (KA208), or the log goes to stdout and is not rotated here
        for name, minimum, unit, cis in checks:
            flag = view.get(name)
            if flag is None:
                continue
            value = int_text(flag.value)
            if value is None:
                continue
            if name == "audit-log-maxsize" and value == 0:
                value = 100  # lumberjack's default: the file is rotated at 100 MB
            if value >= minimum:
                continue
            what = f"{view.component} sets {flag.describe()}" if flag.explicit else unset_phrase(view, flag)
            if value == 0:
                why = ("0 means no limit, so rotated audit files pile up on the control-plane disk instead "
                       f"of keeping the {minimum} {unit} the CIS benchmark asks for ({cis})")
            else:
                why = (f"below the {minimum} {unit} the CIS benchmark asks for ({cis}), so audit records are "
                       "rotated away before anyone looks for them")
            yield Problem(
                f"{what}: {why}; set {name}={minimum} or more in {view.where}",
                flag.span, () if flag.explicit else (Related(path.span, f"audit-log-path={path.value}"),),
                anchor=view.flag_anchor(name),
            )
