"""Hidden state markers: `<!-- reviewbot:v1 key=value ... -->` in comment bodies.

Review comments carry `principle=ID depth=N fp=HEX`; thread replies carry
`principle=ID depth=N path=A/B/C layer=X,Y`. The parser reads any `key=value`
fields, so both kinds (and fields added later) share one format, and a
thread can be rebuilt from its comments alone on any replica.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

PREFIX = "reviewbot:v1"
_MARKER = re.compile(r"<!--\s*reviewbot:v1((?:\s+[a-z_]+=[^\s>]*)*)\s*-->")
_FIELD = re.compile(r"([a-z_]+)=([^\s>]*)")
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.:/,+-]*$")


def parse_marker(body: str) -> dict[str, str] | None:
    """The fields of the first marker in `body`, or None when there is none."""
    match = _MARKER.search(body or "")
    if match is None:
        return None
    return dict(_FIELD.findall(match.group(1)))


def format_marker(fields: Mapping[str, str | int]) -> str:
    """One marker line; values must be plain tokens (no spaces, no `>`)."""
    parts = [PREFIX]
    for key, value in fields.items():
        text = str(value)
        if not _SAFE_VALUE.match(text) or "--" in text:
            raise ValueError(f"marker value for {key!r} is not a plain token: {text!r}")
        parts.append(f"{key}={text}")
    return "<!-- " + " ".join(parts) + " -->"


def strip_hidden(text: str) -> str:
    """`text` without HTML comments (markers or anything else hidden).

    Used on the author's text before it reaches the model and on the model's
    output before it is posted: nothing invisible passes through, and an
    unclosed `<!--` cannot swallow the footer that follows it.
    """
    visible = re.sub(r"<!--.*?-->", "", text or "", flags=re.DOTALL)
    return visible.replace("<!--", "&lt;!--").strip()


def split_ids(value: str | None, sep: str) -> tuple[str, ...]:
    return tuple(part for part in (value or "").split(sep) if part)


def join_ids(ids: Iterable[str], sep: str) -> str:
    return sep.join(ids)
