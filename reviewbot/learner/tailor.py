"""Later reviews, sized to the evidence about their author (pure).

Expertise reversal: a full explanation helps a novice and gets in an expert's way, so
each comment's why is sized by `reviewbot.learner.evidence.fade`:

- no evidence: the full why, plus the chain down to bedrock for a principle never met;
- a self-reported "got it" alone: shortened to two sentences;
- a right check or probe answer: one line;
- flagged again after it was understood (a recorded violation since): in full again,
  with the pull request where it came up before;
- understood a while ago (spaced retrieval): the probe question instead of the explanation.

The words talk about the code, never about the person: nothing here says what someone
knows. A retrieval comment's thread treats the next reply as the answer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from reviewbot.learner.evidence import RETRIEVAL_LEAD, Fade, fade
from reviewbot.learner.profile import ProfileView
from reviewbot.models import Comment, Review

if TYPE_CHECKING:
    from reviewbot.principles.graph import PrincipleGraph

MORE = "Reply `why?` for the full explanation"
MAX_ONE_LINE = 160


def shorten_understood(review: Review, understood: frozenset[str]) -> Review:
    """`review` with the why of every understood principle cut to one line."""
    comments = tuple(_sized(c, 1) if c.principle.id in understood else c for c in review.comments)
    return replace(review, comments=comments)


def tailor_review(review: Review, graph: PrincipleGraph, profile: ProfileView, now: datetime | None = None) -> Review:
    """Each comment's why sized to the evidence about the author (`now` for spaced retrieval)."""
    comments = tuple(tailored(c, graph, profile, now) for c in review.comments)
    return replace(review, comments=comments)


def tailored(comment: Comment, graph: PrincipleGraph, profile: ProfileView, now: datetime | None) -> Comment:
    pid = comment.principle.id
    known = pid in graph
    level = fade(profile.standing(pid), now, known and graph.get(pid).probe is not None) if now else Fade.FULL
    if level is Fade.FULL and profile.knows(pid):
        level = Fade.SHORTER
    if level is Fade.ONE_LINE:
        return _sized(comment, 1)
    if level is Fade.SHORTER:
        return _sized(comment, 2)
    if level is Fade.RETRIEVE:
        return _retrieval(comment, graph)
    if level is Fade.REOPEN and known:
        return _reopened(comment, graph, profile.standing(pid).met_on)
    if pid not in profile.deepest and known:
        return _expanded(comment, graph)
    return comment


def first_sentences(why: str, count: int) -> str:
    """The first `count` sentences of `why`; one sentence is cut to MAX_ONE_LINE characters."""
    text = " ".join(why.split())
    parts = re.split(r"(?<=[.!?])\s", text)
    kept = " ".join(parts[:count])
    if count == 1 and len(kept) > MAX_ONE_LINE:
        kept = kept[: MAX_ONE_LINE - 1].rstrip() + "…"
    return kept


def one_line(why: str) -> str:
    return first_sentences(why, 1)


def _sized(comment: Comment, sentences: int) -> Comment:
    why = f"{first_sentences(comment.principle.why, sentences)} ({MORE}.)"
    return replace(comment, principle=replace(comment.principle, why=why))


def _retrieval(comment: Comment, graph: PrincipleGraph) -> Comment:
    p = graph.get(comment.principle.id)
    if p.probe is None:
        return _sized(comment, 1)
    why = (f"{RETRIEVAL_LEAD} ({p.name}):** {code_aware(p.probe.question)}\n\n"
           "Reply in this thread with an answer, or `why?` for the explanation.")
    return replace(comment, principle=replace(comment.principle, why=why))


def code_aware(question: str) -> str:
    """A probe's question with its code (the lines after the first blank line) in a code block."""
    from reviewbot.markup import fenced

    head, sep, code = question.partition("\n\n")
    return f"{head}\n\n{fenced(code.rstrip())}" if sep and code.strip() else question


def _reopened(comment: Comment, graph: PrincipleGraph, met_on: str | None) -> Comment:
    expanded = _expanded(comment, graph)
    before = f"This came up before on {met_on}; here it is again in full." if met_on else \
        "This came up before; here it is again in full."
    why = f"{before} {expanded.principle.why}"
    return replace(comment, principle=replace(comment.principle, why=why))


def _expanded(comment: Comment, graph: PrincipleGraph) -> Comment:
    chain = graph.path_to_bedrock(comment.principle.id)
    if len(chain) < 2:
        return comment
    below = " → ".join(p.name for p in chain[1:])
    why = f"{comment.principle.why}\n\nThis rests on: {below} (bedrock). Reply `why?` to go through it layer by layer."
    return replace(comment, principle=replace(comment.principle, why=why))
