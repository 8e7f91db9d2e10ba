"""Template placeholders (``{{ x }}``, ``${VAR}``, ``<token>``, ``K8SHA_...``): values no program will read
as written. SY007 reports them; the model and the rules leave them out of the facts they join and the values
they judge.

Every placeholder pattern lives here. They differ on purpose, each fitted to what its reader may meet:

- ``has_placeholder``: any placeholder opener in a value (the model's joins);
- ``has_kubeadm_placeholder``: a whole placeholder in a kubeadm value, ``$(VAR)`` and ``%{...}`` included;
- ``has_keepalived_placeholder``: a keepalived value, with bare ``$NAME`` and ``x.x.x.x`` addresses;
- ``has_jinja_opener``: ``{{`` or ``{%`` (an inventory value Ansible renders itself);
- the SY007 patterns (``BRACED`` ... ``WHOLE_VAR``, ``jinja_spans``, ``may_hold_placeholder``), which find
  each placeholder's extent in a file's text, in linear time;
- ``has_template_syntax``: Jinja or Go template markup in a whole file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_PLACEHOLDER = re.compile(
    r"\{\{|\{%|\$\{[A-Za-z_]|\$[A-Z_][A-Z0-9_]*\b|<[A-Za-z][A-Za-z0-9_.:/-]*>|K8SHA_[A-Z0-9_]+"
)
_KUBEADM = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^}]*\}|\$\([^)]*\)|^\$[A-Za-z_][A-Za-z0-9_]*$"
    r"|<[^<>\s][^<>]*>|K8SHA_[A-Z0-9_]+|%\{[^}]*\}"
)
_XADDR = r"(?<![\w.])(?=[\d.x]*x)(?:\d{1,3}|x{1,3})(?:\.(?:\d{1,3}|x{1,3})){3}(?![\w.])"  # 10.0.x.x, x.x.x.x
_KEEPALIVED = re.compile(
    r"\{\{|\{%|\$\{[A-Za-z_][^}]*\}|\$[A-Za-z_]|<-*[A-Za-z][A-Za-z0-9_.:/-]*>|K8SHA_[A-Z0-9_]+|" + _XADDR
)
# an opener followed by what starts an expression or a statement: a run of '{' alone is no template
_TEMPLATE_SYNTAX = re.compile(r"\{\{[\s\w.$\-\"'(!]|\{%[\s\w\-+]|\{#[\s\w\-]")


def has_placeholder(text: str) -> bool:
    return _PLACEHOLDER.search(text) is not None


def has_kubeadm_placeholder(value: object) -> bool:
    """A template placeholder left in a value (``{{ token }}``, ``${TOKEN}``, ``$(TOKEN)``, ``$TOKEN``,
    ``<token>``, ``K8SHA_...``): the file was never rendered, so the value is no literal (SY007's case)."""
    return isinstance(value, str) and _KUBEADM.search(value) is not None


def has_keepalived_placeholder(text: str) -> bool:
    """A template placeholder left in a keepalived value (SY007 reports it; the KP rules leave such values
    alone)."""
    return _KEEPALIVED.search(text) is not None


def has_jinja_opener(text: str) -> bool:
    """``{{`` or ``{%`` anywhere in the text."""
    return "{{" in text or "{%" in text


def has_template_syntax(text: str) -> bool:
    """Jinja or Go template markup in a file: a YAML error there is the template's, not the YAML's."""
    return _TEMPLATE_SYNTAX.search(text) is not None


# --- SY007: each placeholder's extent in a text ------------------------------------------------------------

JINJA_OPENER = re.compile(r"\{\{|\{%")
# The bodies are bounded: unbounded, each opener of a long unclosed run (${a${a${a...) scans to its end.
BRACED = re.compile(r"\$\{[A-Za-z_.][^}\s]{0,256}\}")
ANGLE = re.compile(r"<-*[A-Za-z][A-Za-z0-9_.:/-]*>")
K8SHA = re.compile(r"(?<![A-Za-z0-9])K8SHA_[A-Z0-9_]+")
PAREN = re.compile(r"\$\([A-Za-z_][^)]{0,256}\)")
XADDR = re.compile(_XADDR)
PERCENT = re.compile(r"%\{[^}]{0,256}\}")
WHOLE_VAR = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]*")
# Every pattern above starts with one of these; a text without any needs no closer look.
_ANY = re.compile(r"\{\{|\{%|\$\{|\$\(|\$[A-Za-z_]|<-*[A-Za-z]|K8SHA_|%\{|x\.x|X\.X|\.x\b|\.X\b")


def may_hold_placeholder(text: str) -> bool:
    """False when no SY007 pattern can match anywhere in the text: one pass decides for most files."""
    return _ANY.search(text) is not None


def jinja_spans(text: str) -> Iterator[tuple[int, int]]:
    r"""What ``\{\{.*?\}\}|\{%.*?%\}|\{\{|\{%`` finds, in linear time: that regex searches for the closer
    to the end of the line again from every opener, quadratic on a line of 100,000 ``{``."""
    eol = -1  # the end of the line of the last opener
    no_closer: dict[str, int] = {}  # closer -> a position from which the rest of the line holds none
    pos = 0
    while (a := JINJA_OPENER.search(text, pos)) is not None:
        start = a.start()
        if start >= eol:
            eol = text.find("\n", start)
            eol = len(text) if eol < 0 else eol
            no_closer.clear()
        closer = "}}" if text[start + 1] == "{" else "%}"
        c = -1 if no_closer.get(closer, eol) <= start + 2 else text.find(closer, start + 2, eol)
        if c < 0:
            no_closer[closer] = start + 2
            end = start + 2
        else:
            end = c + 2
        yield start, end
        pos = end
