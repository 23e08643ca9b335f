"""Does a comment's "why" open with a concrete failure? (pure)

The prompt asks every "why" to start with a failure in this code: an input or
a sequence of events and its consequence ("`load([])` raises IndexError
before the guard"; "two workers read 5 and both write 6"). A why that opens
with a general truth ("Names matter.") has not shown that anything fails, so
the comment is not treated as certain: `reviewbot.llm.validate` lowers its
confidence to medium (an error becomes a warning) and the review notes how
many comments were lowered.

The first sentence counts as concrete when it names something of the code (a
code span, a call, a number or a quoted value) or describes events with their
outcome (a condition word and a consequence word). This is a screen for the
missing scenario, not a judge of whether the scenario is right.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"`[^`\n]+`|\b[A-Za-z_][\w.]*\([^()\n]*\)|\d|\"[^\"\n]+\"")
CONDITIONS = frozenset({"when", "if", "after", "before", "while", "once", "until", "unless", "whenever"})
CONSEQUENCES = frozenset({
    "raises", "throws", "crashes", "fails", "returns", "breaks", "loses", "leaks", "hangs", "blocks", "skips",
    "overwrites", "corrupts", "deadlocks", "exposes", "drops", "ignores", "misses", "repeats", "duplicates",
    "panics", "rejects", "accepts", "reads", "writes", "runs", "sees", "gets", "never", "silently", "sends",
    "deletes", "truncates", "overflows", "exceeds", "waits", "stops", "lost", "wrong", "twice", "forever",
    "stale", "none", "null", "undefined", "nan", "error", "exception",
})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s|\n")


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def names_a_failure(why: str) -> bool:
    """True when the why's first sentence names code, values or events and their outcome."""
    sentence = first_sentence(why)
    if _CODE.search(sentence):
        return True
    words = set(re.findall(r"[a-z]+", sentence.lower()))
    return bool(words & CONDITIONS) and bool(words & CONSEQUENCES)
