"""A key point, a belief or the rule itself, recognised in the learner's own words (pure).

Cue phrases catch the words learners usually write; people also paraphrase. Here a
text counts as said when one sentence of the statement holds most of its content words
(stop words dropped, endings simplified, one-letter typos forgiven) with the same
polarity: a sentence that negates what the text asserts, or asserts what it negates,
says something else and counts for nothing.

A belief said with the opposite polarity is denied: "escaping the quotes does not make
string-built SQL safe" rejects the belief its cue words would otherwise match.

Three uses, from strongest to weakest evidence:
- a key point paraphrased: at least 3 of its content words and half of them;
- a misconception's belief paraphrased: at least 3 and 60% of its words (stricter: a
  wrong "misconception" verdict on a right learner costs more than a "can't tell");
- the rule restated: 2 words of the principle's name or statement, and nothing else
  recognised. That is knowing *what* to do without *why*: partly correct at best, and
  "can't tell" when the sentence waves it off ("is fine", "no need").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from reviewbot.threads.words import NEGATIONS, normalise, same_word, tokens

_STOP_WORDS = """
a about after again all also always am an and any anything are around as at be because been before being
both but by can could did do does doing done each either else even ever every everything for from get gets
getting got had has have having here how i if in into is it just kind let like likely lot make makes
making maybe me might more most much must my need needs of off often on once one only or other our out
over own per perhaps probably put quite rather really right say says see seem seems should simply
since so some something sometimes sort still such sure than that the their them then there these they
thing things think this those though thus to too try under until up us use used uses using very want was
way we well were what whatever when where whether which while who whole why will with within would yes yet
you your guess believe reckon basically understand understanding mean means ok okay hmm yeah yep
"""
STOP = frozenset(_STOP_WORDS.split())
DISMISSALS = ("fine", "ok", "okay", "safe", "enough", "harmless", "pointless", "overkill", "unnecessary",
              "no need", "not need", "not matter", "not a problem", "not an issue", "does not matter")
_SENTENCE = re.compile(r"[.;!?](?=\s|$)|\bbut\b|\bhowever\b|\bwhereas\b")
POINT_WORDS, POINT_SHARE = 3, 0.5
BELIEF_WORDS, BELIEF_SHARE = 3, 0.6
RULE_WORDS = 2


def content(text: str) -> frozenset[str]:
    """The words that carry meaning: no stop words, no negations, no words under three letters."""
    return frozenset(t for t in tokens(normalise(text)) if t.isalpha() and len(t) >= 3
                     and t not in STOP and t not in NEGATIONS)


def sentences(statement: str) -> tuple[str, ...]:
    return tuple(part for part in _SENTENCE.split(normalise(statement)) if part and part.strip())


def paraphrased(text: str, statement: str, least: int, share: float) -> bool:
    """Whether one sentence of `statement` says `text` in other words, with the same polarity."""
    return any(_negated(s) == _negated(text) for s in _saying(text, statement, least, share))


def denied(text: str, statement: str, least: int, share: float) -> bool:
    """Whether one sentence of `statement` says `text`'s words with the opposite polarity (it rejects it)."""
    return any(_negated(s) != _negated(text) for s in _saying(text, statement, least, share))


def _saying(text: str, statement: str, least: int, share: float) -> list[str]:
    """The sentences of `statement` that hold enough of `text`'s content words."""
    wanted = content(text)
    need = max(least, math.ceil(share * len(wanted)))
    if len(wanted) < least:
        return []
    return [s for s in sentences(statement) if _overlap(wanted, content(s)) >= need]


def restates(rule_texts: Iterable[str], statement: str) -> bool:
    """Whether the statement names the rule (its words), without waving it off."""
    rule = frozenset().union(*(content(t) for t in rule_texts))
    said = content(statement)
    return _overlap(said, rule) >= RULE_WORDS and not _dismissive(statement)


def _dismissive(statement: str) -> bool:
    words = " ".join(tokens(normalise(statement)))
    return any(re.search(rf"\b{re.escape(phrase)}\b", words) for phrase in DISMISSALS)


def _negated(text: str) -> bool:
    """A negation that turns the sentence around; "no need" and "does not matter" wave off, they do not deny."""
    words = " ".join(tokens(normalise(text)))
    for phrase in DISMISSALS:
        if " " in phrase:
            words = re.sub(rf"\b{re.escape(phrase)}\b", " ", words)
    return any(t in NEGATIONS for t in words.split())


def _overlap(wanted: frozenset[str], said: frozenset[str]) -> int:
    return sum(1 for word in wanted if word in said or any(same_word(word, other) for other in said))
