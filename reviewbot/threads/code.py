"""What a thread knows about the code under review, read from reviewbot's own root comment.

The root comment of a thread is reviewbot's review comment (trusted: only the App's
comments are read). Its first paragraph after the heading says what goes wrong in this
code (the rule's "why here" sentence, filled with the finding's facts), and a paragraph
starting "How to fix:" says what to do. The flagged line comes from the diff hunk the
thread is anchored to (GitHub's hunk ends at the commented line) or, in the terminal,
from the numbered lines around the finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewbot.threads.data import ThreadData
from reviewbot.threads.markers import strip_hidden

FIX_PREFIX = "How to fix:"
_NUMBERED = re.compile(r"^\s*(\d+) (.*)$")


@dataclass(frozen=True)
class CodeFacts:
    """The finding a thread discusses, in the code's own terms (any part may be missing)."""

    here: str | None = None  # what goes wrong in this code
    fix: str | None = None
    line: str | None = None  # the flagged line of code, as written

    def where(self, thread: ThreadData) -> str:
        return f"`{thread.path}`" + (f" line {thread.line}" if thread.line else "") if thread.path else "this code"


def code_facts(thread: ThreadData) -> CodeFacts:
    root = thread.root
    if root is None or root.author != thread.app_login:
        return CodeFacts(line=flagged_line(thread))
    paragraphs = [p.strip() for p in strip_hidden(root.body).split("\n\n") if p.strip()]
    body = paragraphs[1:]  # the first paragraph is the heading (severity, title, rule)
    here = body[0] if body and not _is_tail(body[0]) else None
    fix = next((p[len(FIX_PREFIX):].strip() for p in body if p.startswith(FIX_PREFIX)), None)
    return CodeFacts(here=here, fix=fix, line=flagged_line(thread))


def _is_tail(paragraph: str) -> bool:
    return paragraph.startswith(("**Why", "Why (", FIX_PREFIX, "*Reply", "Rule:"))


def flagged_line(thread: ThreadData) -> str | None:
    hunk = (thread.diff_hunk or "").rstrip("\n")
    if not hunk:
        return None
    lines = hunk.splitlines()
    if lines[0].startswith("@@"):
        last = lines[-1]
        return last[1:].strip() or None if last[:1] in "+- " else last.strip() or None
    for text in lines:
        match = _NUMBERED.match(text)
        if match and thread.line is not None and int(match.group(1)) == thread.line:
            return match.group(2).strip() or None
    return None
