"""Later reviews, tailored to what their author already understands (pure).

A comment whose principle the author marked as understood keeps a one-line
why and an invitation to ask for more; a principle the author has never met
gets the full expansion (its why plus the chain down to bedrock). Principles
in progress stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from reviewbot.learner.profile import ProfileView
from reviewbot.models import Comment, Review

if TYPE_CHECKING:
    from reviewbot.principles.graph import PrincipleGraph

MORE = "reply `why?` for more"
MAX_ONE_LINE = 160


def shorten_understood(review: Review, understood: frozenset[str]) -> Review:
    """`review` with the why of every understood principle cut to one line."""
    comments = tuple(_shortened(c) if c.principle.id in understood else c for c in review.comments)
    return replace(review, comments=comments)


def tailor_review(review: Review, graph: PrincipleGraph, profile: ProfileView) -> Review:
    """Shorten what the author understands, expand what is new to them."""
    comments = tuple(_tailored(c, graph, profile) for c in review.comments)
    return replace(review, comments=comments)


def one_line(why: str) -> str:
    """The first sentence of `why`, at most MAX_ONE_LINE characters."""
    text = " ".join(why.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(first) > MAX_ONE_LINE:
        first = first[: MAX_ONE_LINE - 1].rstrip() + "…"
    return first


def _tailored(comment: Comment, graph: PrincipleGraph, profile: ProfileView) -> Comment:
    pid = comment.principle.id
    if profile.knows(pid):
        return _shortened(comment)
    if pid not in profile.deepest and pid in graph:
        return _expanded(comment, graph)
    return comment


def _shortened(comment: Comment) -> Comment:
    why = f"{one_line(comment.principle.why)} (You marked this as understood; {MORE}.)"
    return replace(comment, principle=replace(comment.principle, why=why))


def _expanded(comment: Comment, graph: PrincipleGraph) -> Comment:
    chain = graph.path_to_bedrock(comment.principle.id)
    if len(chain) < 2:
        return comment
    below = " → ".join(p.name for p in chain[1:])
    why = f"{comment.principle.why}\n\nThis rests on: {below} (bedrock). Reply `why?` to go through it layer by layer."
    return replace(comment, principle=replace(comment.principle, why=why))
