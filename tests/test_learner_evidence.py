"""Evidence, fading and spaced retrieval (reviewbot.learner.evidence, reviewbot.learner.tailor), clock injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reviewbot.learner.evidence import (
    ASKED,
    CHECK,
    GOT_IT,
    PROBE,
    RETRIEVAL_LEAD,
    VIOLATION,
    EvidenceRow,
    Fade,
    fade,
    standing,
)
from reviewbot.learner.profile import profile_view
from reviewbot.learner.tailor import tailor_review
from reviewbot.models import Comment, PrincipleRef, Review, Severity
from reviewbot.principles import load_graph

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PID = "no-shared-mutable-defaults"


def _row(kind: str, outcome: str = "", days: float = 0, pr: str | None = None) -> EvidenceRow:
    return EvidenceRow(PID, kind, outcome, T0 + timedelta(days=days), pr)


def _why(rows: list[EvidenceRow], now: datetime) -> str:
    graph = load_graph()
    p = graph.get(PID)
    comment = Comment("app.py", 2, Severity.WARNING, "t", "b", PrincipleRef(p.id, p.name, p.why), "ruff:B006")
    review = tailor_review(Review((comment,)), graph, profile_view((), rows), now)
    return review.comments[0].principle.why


@pytest.mark.parametrize(("rows", "level"), [
    ([], Fade.FULL),
    ([_row(GOT_IT)], Fade.SHORTER),  # self-report alone shortens less
    ([_row(PROBE, "correct")], Fade.ONE_LINE),
    ([_row(CHECK, "correct"), _row(CHECK, "misconception", 0.1)], Fade.FULL),  # a wrong one resets
    ([_row(GOT_IT), _row(VIOLATION, days=0.5, pr="o/r#4")], Fade.REOPEN),
    ([_row(GOT_IT), _row(VIOLATION, days=0.5), _row(PROBE, "correct", 0.6)], Fade.ONE_LINE),
])
def test_fade_follows_the_evidence(rows: list[EvidenceRow], level: Fade) -> None:
    assert fade(standing(rows), T0 + timedelta(days=1), has_probe=True) is level


def test_fading_in_later_reviews() -> None:
    now = T0 + timedelta(days=1)
    graph = load_graph()
    full = graph.get(PID).why
    passed = _why([_row(PROBE, "correct")], now)
    assert passed.endswith("(Reply `why?` for the full explanation.)") and len(passed) < 220
    reported = _why([_row(GOT_IT)], now)
    assert len(passed) < len(reported) < len(full)
    assert "you" not in passed.lower().split() and "understood" not in reported  # about the code, not the person
    reopened = _why([_row(GOT_IT, pr="o/r#1"), _row(VIOLATION, days=0.5, pr="o/r#4")], now)
    assert reopened.startswith("This came up before on o/r#4; here it is again in full. " + full)


def test_spaced_retrieval_asks_the_probe_at_growing_intervals() -> None:
    rows = [_row(GOT_IT)]
    assert not _why(rows, T0 + timedelta(days=2)).startswith(RETRIEVAL_LEAD)
    asked = _why(rows, T0 + timedelta(days=3))
    assert asked.startswith(RETRIEVAL_LEAD + " (Don't share mutable defaults):** What does this print?")
    rows += [_row(ASKED, days=3), _row(PROBE, "correct", 3.1)]  # answered right: the next gap is longer
    assert not _why(rows, T0 + timedelta(days=3.1 + 13)).startswith(RETRIEVAL_LEAD)
    assert _why(rows, T0 + timedelta(days=3.1 + 14)).startswith(RETRIEVAL_LEAD)
    asked_again = rows + [_row(ASKED, days=3.1 + 14)]  # asked, not answered yet: not asked again at once
    assert not _why(asked_again, T0 + timedelta(days=3.1 + 15)).startswith(RETRIEVAL_LEAD)


def test_a_retrieval_comment_takes_the_next_reply_as_the_answer() -> None:
    from threads_support import APP, thread_of, user_says

    from reviewbot.accounts import BOT
    from reviewbot.threads.data import ThreadComment
    from reviewbot.threads.markers import format_marker
    from reviewbot.threads.reply import next_reply

    why = _why([_row(GOT_IT)], T0 + timedelta(days=4))
    root = ThreadComment(1, APP, BOT, format_marker({"principle": PID, "depth": 0, "fp": "ab"}) + "\n**t**\n\n" + why)
    answer = "[1] [1, 2] [3] [1, 2, 4]: same list, created once"
    reply = next_reply(thread_of(root, user_says(2, answer)), answer, load_graph())
    assert reply.intent == "answer" and reply.body.startswith("**Correct**")
    assert [(e.principle, e.kind, e.outcome) for e in reply.evidence] == [(PID, "probe", "correct")]
