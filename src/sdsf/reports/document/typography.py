"""French typography for running text (Imprimerie nationale, *Lexique des règles
typographiques*): a no-break space before « : », a narrow no-break space before « ; ! ? »,
inside « guillemets », before « % » and « € », and straight double quotes turned into
guillemets. Numbers are formatted by :func:`sdsf.reports.formatting.french_number`."""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"

_QUOTED = re.compile(r'"([^"\n]+)"')
_BEFORE_COLON = re.compile(r"(?<=[^\s:])[ \u00a0\u202f]?:(?=[ \t\n]|$)")
_BEFORE_PUNCT = re.compile(r"(?<=[\w\)\]»%€])[ \u00a0\u202f]?([;!?])(?=[ \t\n]|$|[»)])")
_OPEN = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE = re.compile(r"[ \u00a0\u202f]*»")
_UNIT = re.compile(r"(?<=\d)[ \u00a0\u202f]?([%€])")


def french(text: str) -> str:
    """``text`` with French spacing around punctuation; idempotent."""
    if not text:
        return text
    while True:  # nested quotes (""x"") turn into nested guillemets, from the inside out
        quoted = _QUOTED.sub(lambda m: f"«{m.group(1)}»", text)
        if quoted == text:
            break
        text = quoted
    text = _OPEN.sub(f"«{NBSP}", text)
    text = _CLOSE.sub(f"{NBSP}»", text)
    text = _BEFORE_COLON.sub(f"{NBSP}:", text)
    text = _BEFORE_PUNCT.sub(lambda m: f"{NNBSP}{m.group(1)}", text)
    return _UNIT.sub(lambda m: f"{NBSP}{m.group(1)}", text)
