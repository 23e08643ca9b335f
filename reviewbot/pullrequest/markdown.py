"""Markdown that is safe to post: no raw HTML, no hidden text, no stray pings.

Text from findings and from the model is untrusted. Outside code it loses its
HTML (`<` becomes `&lt;`) and its @-mentions are defused; everywhere, an
HTML comment opener is broken with an invisible character so nothing can
hide text or forge a reviewbot marker. Code keeps its look: fenced blocks and
code spans are left as written apart from that one character.
"""

from __future__ import annotations

import re

from reviewbot.markup import outside_code_spans

WORD_JOINER = "\u2060"  # invisible; breaks "<!--" and "@name" without changing how they read
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MENTION = re.compile(r"(?<![\w`/])@(?=[A-Za-z0-9])")


def sanitize(text: str) -> str:
    """Untrusted markdown made safe to post."""
    text = (text or "").replace("\r\n", "\n").replace("<!--", "<" + WORD_JOINER + "!--")
    return "\n".join(block if fenced else _prose(block) for fenced, block in blocks(text))


def blocks(text: str) -> list[tuple[bool, str]]:
    """(is_fenced_code, text) runs of lines, in order."""
    runs: list[tuple[bool, list[str]]] = []
    fence: str | None = None
    for line in text.split("\n"):
        opened = _FENCE.match(line) if fence is None else None
        if opened:
            fence = opened.group(1)
        if not runs or runs[-1][0] != (fence is not None):
            runs.append((fence is not None, []))
        runs[-1][1].append(line)
        if fence is not None and not opened and _closes(line, fence):
            fence = None
    return [(fenced, "\n".join(lines)) for fenced, lines in runs]


def _closes(line: str, fence: str) -> bool:
    """A closing fence: the opening character only, at least as many of it."""
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _prose(text: str) -> str:
    """Escape HTML and defuse mentions outside code spans."""
    return outside_code_spans(text, _plain)


def _plain(text: str) -> str:
    return _MENTION.sub("@" + WORD_JOINER, text.replace("<", "&lt;"))


def one_line(text: str) -> str:
    """Untrusted text for a heading or list item: one line, sanitized."""
    return sanitize(" ".join((text or "").split()))


def code_span(text: str) -> str:
    """`text` as a code span that nothing inside it can close."""
    text = text.replace("<!--", "<" + WORD_JOINER + "!--").replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fenced(text: str, info: str = "") -> str:
    """A fenced block (e.g. ```suggestion) that `text` cannot close early.

    The text is kept byte for byte (a suggestion is applied as written);
    inside a fence nothing is rendered as HTML.
    """
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * (longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}" if text else f"{ticks}{info}\n{ticks}"
