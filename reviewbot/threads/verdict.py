"""The offline verdict on a learner's statement: correct, partly, misconception or unknown.

A statement is compared with a principle's teaching data (pure, no model):

- a misconception's cue said and not negated ("python copies the default") is a
  misconception: the verdict names the belief and gives its correction;
- a misconception's cue negated ("it isn't copied", "the default is not created
  every time") counts for the statement, as a key point does;
- two key points (or one plus a rejected misconception, or one said in two of its own
  phrasings) make it correct, one makes it partly correct and names the missing point;
  nothing recognisable is "unknown", said honestly rather than guessed. A negated
  key-point phrase proves nothing either way ("don't follow redirects" is right).

Cues match word by word after normalising: contractions spelled out, simple
plural/tense endings dropped, one-letter typos in longer words forgiven, and a
few filler or negation words allowed in between.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reviewbot.principles.model import KeyPoint, Misconception, Principle, Probe
from reviewbot.threads.paraphrase import (
    BELIEF_SHARE,
    BELIEF_WORDS,
    POINT_SHARE,
    POINT_WORDS,
    denied,
    paraphrased,
    restates,
)
from reviewbot.threads.words import NEGATIONS, normalise, same_word, tokens

CORRECT, PARTLY, MISCONCEPTION, UNKNOWN = "correct", "partly", "misconception", "unknown"
VERDICTS = (CORRECT, PARTLY, MISCONCEPTION, UNKNOWN)

_BRIDGE = frozenset({"do", "does", "did", "is", "are", "was", "be", "really", "actually", "just", "always",
                     "still", "even", "also", "will", "would", "a", "the", "that", "then", "only"})
_CLAUSE = re.compile(r"[.;:!?,](?=\s|$)|\s[-–—]\s|\bbut\b|\bhowever\b|\bwhereas\b")
BREAK = "|"  # a clause boundary among the tokens
_NEGATION_REACH = 4  # words before a cue that a negation still applies to


@dataclass(frozen=True)
class Verdict:
    """The verdict on one statement about one principle."""

    principle: str
    verdict: str  # one of VERDICTS
    gap: str | None = None  # the exact missing or wrong piece
    correction: str | None = None  # what is true instead
    matched: tuple[str, ...] = ()  # misconception ids the statement holds
    points: tuple[str, ...] = ()  # key points the statement made
    evidence: int = 0  # how much of the statement was recognised (to pick a principle)

    def as_dict(self) -> dict[str, object]:
        return {"principle": self.principle, "verdict": self.verdict, "gap": self.gap,
                "correction": self.correction, "matched": list(self.matched)}


def judge(principle: Principle, statement: str) -> Verdict:
    """The offline verdict on `statement` as a claim about `principle`."""
    clauses = clauses_of(statement)
    denying = [m for m in principle.misconceptions if denied(m.belief, statement, BELIEF_WORDS, BELIEF_SHARE)]
    believed = [m for m in principle.misconceptions if m not in denying]
    held = [m for m in believed if _said(m.cues, clauses) is True]
    held = held or [m for m in believed if paraphrased(m.belief, statement, BELIEF_WORDS, BELIEF_SHARE)]
    if held:
        return _misconception(principle, held)
    rejected = denying + [m for m in believed if _said(m.cues, clauses) is False]
    made = [k for k in principle.key_points
            if _said(k.cues, clauses) is True or paraphrased(k.point, statement, POINT_WORDS, POINT_SHARE)]
    deep = any(_count(k.cues, clauses) >= 2 for k in made)
    found = _by_points(principle, made, rejected, deep)
    if found.verdict == UNKNOWN and principle.key_points and restates((principle.name, principle.statement), statement):
        return _rule_only(principle)
    return found


def _rule_only(principle: Principle) -> Verdict:
    """The rule named without its reason: partly correct, and the reason is the gap."""
    point = principle.key_points[0].point
    return Verdict(principle.id, PARTLY, f"That is what to do; what is missing is why: {point}", point, evidence=1)


def judge_answer(probe: Probe, principle: Principle, answer: str) -> Verdict:
    """The offline verdict on an answer to the principle's probe.

    A predict-the-output question answered with exactly the values it prints is correct,
    however it is worded ("[1], [1, 2], [3], [1, 2, 4]"); otherwise the probe's cue phrases decide.
    """
    clauses = clauses_of(answer)
    held = [m for m in principle.misconceptions if _said(m.cues, clauses) is True]
    if held:
        return _misconception(principle, held)
    hits = sum(1 for cue in probe.cues if _said((cue,), clauses) is True)
    if predicted_output(probe, answer):
        return Verdict(principle.id, CORRECT, None, None, evidence=max(2, hits))
    if hits >= min(2, len(probe.cues)):
        return Verdict(principle.id, CORRECT, None, None, evidence=hits)
    if hits == 1:
        return Verdict(principle.id, PARTLY, "Part of the answer is there, not all of it.", probe.answer, evidence=1)
    return Verdict(principle.id, UNKNOWN, None, probe.answer)


_VALUE = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?|\b(?:true|false|none|null|nan|undefined)\b")
_OUTPUT_QUESTION = re.compile(r"\b(?:print|prints|printed|output|outputs|return|returns|log|logs)\b")


def predicted_output(probe: Probe, answer: str) -> bool:
    """Whether `answer` gives exactly the values the probe's code prints (its answer's first sentence)."""
    if not _OUTPUT_QUESTION.search(probe.question.lower()):
        return False
    head = re.split(r"(?<=[.:])\s", probe.answer.strip(), maxsplit=1)[0]
    quoted = re.findall(r"`([^`]+)`", head)
    expected = _values(" ".join(quoted) if quoted else head)
    return bool(expected) and _values(answer) == expected


def _values(text: str) -> tuple[str, ...]:
    return tuple(_VALUE.findall(text.lower()))


def judge_about(principles: Sequence[Principle], statement: str) -> Verdict:
    """The verdict about the principle the statement is most recognisably about.

    `principles` are the candidates in order of preference (ties go to the earlier one):
    in a thread, the review comment's principle, then the path the walk followed.
    """
    verdicts = [judge(p, statement) for p in principles]
    return max(verdicts, key=lambda v: (v.evidence, -verdicts.index(v))) if verdicts else Verdict("", UNKNOWN)


def _misconception(principle: Principle, held: list[Misconception]) -> Verdict:
    first = held[0]
    return Verdict(principle.id, MISCONCEPTION, f"This is the belief: {first.belief}", first.correction,
                   matched=tuple(m.id for m in held), evidence=3 * len(held))


def _by_points(principle: Principle, made: list[KeyPoint], rejected: list[Misconception], deep: bool) -> Verdict:
    score = len(made) + (1 if rejected or deep else 0)
    missing = [k for k in principle.key_points if k not in made]
    evidence = len(made) + len(rejected)
    if score >= 2:
        return Verdict(principle.id, CORRECT, None, None, points=_points(made), evidence=evidence)
    if score == 1 and missing:
        gap = f"What is missing: {missing[0].point}"
        return Verdict(principle.id, PARTLY, gap, missing[0].point, points=_points(made), evidence=evidence)
    if score == 1:
        return Verdict(principle.id, CORRECT, None, None, points=_points(made), evidence=evidence)
    return Verdict(principle.id, UNKNOWN)


def _points(made: Iterable[KeyPoint]) -> tuple[str, ...]:
    return tuple(k.point for k in made)


# --- matching cues -------------------------------------------------------------------


def clauses_of(text: str) -> tuple[str, ...]:
    """The statement's tokens, with BREAK between clauses: a negation reaches only within its clause.

    Punctuation splits only when followed by a space, so `json.loads`, `0.1 + 0.2` and
    `assert(x, msg)`-like code stays whole; a cue may still run across a break.
    """
    parts = _CLAUSE.split(normalise(text))
    out: list[str] = []
    for part in parts:
        words = tokens(part)
        if words:
            out += [*words, BREAK]
    return tuple(out)


def _said(cues: Iterable[str], clauses: Sequence[str]) -> bool | None:
    """True: a cue was said; False: a cue was said only negated; None: no cue at all."""
    negated = False
    for cue in cues:
        found = _find(tokens(normalise(cue)), clauses)
        if found is True:
            return True
        negated = negated or found is False
    return False if negated else None


def _count(cues: Iterable[str], clauses: Sequence[str]) -> int:
    """How many of `cues` were said plainly."""
    return sum(1 for cue in cues if _said((cue,), clauses) is True)


def _find(cue: Sequence[str], clause: Sequence[str]) -> bool | None:
    """Whether `cue` occurs in `clause`: True plainly, False negated, None not at all."""
    if not cue:
        return None
    result = None
    for start in range(len(clause)):
        span = _match_at(cue, clause, start)
        if span is None:
            continue
        if _negated(cue, clause, start, span):
            result = False
        else:
            return True
    return result


def _match_at(cue: Sequence[str], clause: Sequence[str], start: int) -> list[str] | None:
    """The extra words skipped while matching `cue` at `start`, or None when it does not match."""
    extra: list[str] = []
    position = start
    for index, word in enumerate(cue):
        while position < len(clause) and not same_word(word, clause[position]):
            if index > 0 and clause[position] == BREAK:
                position += 1
                continue
            if index == 0 or len(extra) >= 2 or clause[position] not in (_BRIDGE | NEGATIONS):
                return None
            extra.append(clause[position])
            position += 1
        if position >= len(clause):
            return None
        position += 1
    return extra


def _negated(cue: Sequence[str], clause: Sequence[str], start: int, extra: list[str]) -> bool:
    if any(word in NEGATIONS for word in extra):
        return True
    if any(word in NEGATIONS for word in cue):
        return False  # the cue itself carries the negation ("nobody will guess it")
    before = clause[max(0, start - _NEGATION_REACH): start]
    if BREAK in before:
        before = before[len(before) - before[::-1].index(BREAK):]
    return any(word in NEGATIONS for word in before)


def renders(verdict: Verdict, name: str) -> str:
    """The verdict as a reply paragraph (Markdown), about the code's principle `name`."""
    heading = {
        CORRECT: f"**Correct** about {name}.",
        PARTLY: f"**Partly correct** about {name}.",
        MISCONCEPTION: f"**Not quite: that is a common misconception** about {name}.",
        UNKNOWN: f"**I can't tell** from that whether it matches {name}: it names none of the key points "
                 "I can recognise without a model.",
    }[verdict.verdict]
    parts = [heading]
    if verdict.points and verdict.verdict in (CORRECT, PARTLY):
        parts.append("You named: " + "; ".join(verdict.points))
    if verdict.gap:
        parts.append(f"**The gap:** {verdict.gap}")
    if verdict.correction and verdict.verdict != UNKNOWN:
        parts.append(f"**What is true:** {verdict.correction}")
    return "\n\n".join(parts)
