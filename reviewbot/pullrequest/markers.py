"""The hidden marker on every review comment, and de-duplication by it.

Each comment the App posts starts with

    <!-- reviewbot:v1 principle=ID depth=0 fp=HEX -->

(the format of `reviewbot.threads.markers`, shared with the why-threads).
`fp` fingerprints the finding by path, principle, rule and the commented
line's text with whitespace collapsed, but not by line number, so the same
finding keeps its fingerprint when lines above it move. Only comments
written by the App itself are trusted to carry markers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from reviewbot.adapters.github.host import PostedComment
from reviewbot.threads.markers import format_marker, parse_marker

FP_LENGTH = 16  # hex digits: 64 bits, ample for the comments of one pull request
SECTION_BREAK = "\n<!-- reviewbot:v1"  # where each marker of a review body begins


@dataclass(frozen=True)
class Marker:
    principle: str
    depth: int
    fp: str

    def render(self) -> str:
        return format_marker({"principle": self.principle, "depth": self.depth, "fp": self.fp})


def normalize(text: str) -> str:
    """Whitespace collapsed: re-indenting a line keeps its fingerprint."""
    return " ".join(text.split())


def fingerprint(path: str, principle: str, rule: str, line_text: str) -> str:
    """Stable id of one finding: path, principle, rule and normalized line text."""
    key = "\x1f".join((path, principle, rule, normalize(line_text)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:FP_LENGTH]


def read_marker(body: str) -> Marker | None:
    """The marker a comment body starts with, or None."""
    fields = parse_marker(body)
    if not fields or not fields.get("principle") or not fields.get("fp"):
        return None
    try:
        depth = int(fields.get("depth", "0"))
    except ValueError:
        return None
    return Marker(fields["principle"], depth, fields["fp"])


def read_markers(body: str) -> tuple[Marker, ...]:
    """Every marker in a body that holds several (a review body with moved comments)."""
    parts = (body or "").split(SECTION_BREAK)
    bodies = parts[:1] + ["<!-- reviewbot:v1" + part for part in parts[1:]]
    return tuple(m for m in map(read_marker, bodies) if m is not None)


def known_fingerprints(posted: Iterable[PostedComment], author: str) -> frozenset[str]:
    """Fingerprints already on the pull request, from comments and reviews `author` wrote."""
    return frozenset(m.fp for c in posted if c.author == author for m in read_markers(c.body))
