"""Does a comment's "why" open with a concrete failure? (pure)

The prompt asks every "why" to start with a failure in this code: an input or
a sequence of events and its consequence ("`load([])` raises IndexError
before the guard"; "two workers read 5 and both write 6"). A why that opens
with a general truth ("Names matter.") has not shown that anything fails, so
the comment is not treated as certain: `reviewbot.llm.validate` lowers its
confidence to medium (an error becomes a warning) and the review notes how
many comments were lowered.

The first sentence counts as concrete when it names something of the code (a
code span, a call, a number or a quoted value) or describes an event with its
outcome (a condition or an actor, "when", "if", "an attacker", "callers", and
an outcome, "raises", "reads", "is lost"). This is a screen for the missing
scenario, not a judge of whether the scenario is right.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"`[^`\n]+`|\b[A-Za-z_][\w.]*\([^()\n]*\)|\d|\"[^\"\n]+\"")
# Who or when: a condition, or someone or something that acts.
SUBJECTS = frozenset({
    "when", "if", "after", "before", "while", "once", "until", "unless", "whenever",
    "attacker", "attackers", "caller", "callers", "user", "users", "client", "clients", "request", "requests",
    "worker", "workers", "thread", "threads", "process", "processes", "job", "jobs", "test", "tests",
})
# What happens: the start of an outcome word ("rais" for raise, raises, raised).
OUTCOMES = (
    "rais", "throw", "crash", "fail", "return", "break", "lose", "lost", "leak", "hang", "block", "skip",
    "overwrit", "corrupt", "deadlock", "expos", "drop", "ignor", "miss", "repeat", "duplicat", "panic", "reject",
    "accept", "read", "writ", "run", "see", "get", "never", "silent", "send", "delet", "truncat", "overflow",
    "exceed", "wait", "stop", "wrong", "twice", "forever", "stale", "none", "null", "undefined", "nan", "error",
    "exception", "execut", "inject", "bypass", "access", "steal", "forge", "pass", "succeed",
)
_OUTCOME = re.compile(r"\b(?:" + "|".join(OUTCOMES) + r")\w*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s|\n")


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def names_a_failure(why: str) -> bool:
    """True when the why's first sentence names code, values or events and their outcome."""
    sentence = first_sentence(why)
    if _CODE.search(sentence):
        return True
    words = set(re.findall(r"[a-z]+", sentence.lower()))
    return bool(words & SUBJECTS) and bool(_OUTCOME.search(sentence))
