"""Control characters made visible before untrusted text reaches a terminal. Pure.

A file name, a finding or a model's answer may hold ESC sequences (move the
cursor, erase a line, hide text, set the window title), a carriage return or
backspaces (overwrite what was printed) or bidirectional overrides (show text
in another order than it is). Each such character is written as an escape
(`\\x1b`, `\\r`, `\\u202e`), so what is shown is what is there.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewbot.models import Comment, Review

# C0 and C1 controls and DEL, the bidirectional marks, embeddings, overrides and isolates.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_IN_TEXT = re.compile(f"[{_CONTROLS}]")
_IN_LINE = re.compile(f"[{_CONTROLS}\t\n]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b"}


def visible(text: str, one_line: bool = False) -> str:
    """`text` with its control characters escaped; newlines and tabs kept unless `one_line`."""
    pattern = _IN_LINE if one_line else _IN_TEXT
    return pattern.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_review(review: Review) -> Review:
    """A review whose every text field is safe to print to a terminal."""
    return replace(
        review,
        comments=tuple(_comment(c) for c in review.comments),
        skipped=tuple(replace(s, path=visible(s.path, True), reason=visible(s.reason, True)) for s in review.skipped),
        notes=tuple(visible(note) for note in review.notes),
    )


def _comment(comment: Comment) -> Comment:
    principle = comment.principle
    return replace(
        comment,
        path=visible(comment.path, True),
        title=visible(comment.title, True),
        body=visible(comment.body),
        source=visible(comment.source, True),
        suggestion=None if comment.suggestion is None else visible(comment.suggestion),
        principle=replace(principle, id=visible(principle.id, True), name=visible(principle.name, True),
                          why=visible(principle.why)),
    )  # fmt: skip
