"""From findings to the one review posted: inline, moved, repeated; events; the 422 fallback."""

from __future__ import annotations

import pytest

from reviewbot.adapters.github.host import ChangedFile, ReviewDraft
from reviewbot.models import Comment, PrincipleRef, Severity
from reviewbot.pullrequest.drafts import choose_event, draft, plan_review
from reviewbot.pullrequest.markers import read_marker, read_markers
from reviewbot.pullrequest.patches import build_diff
from reviewbot.pullrequest.summary import Summary

DIFF, _ = build_diff([ChangedFile("a.py", "added", "@@ -0,0 +1,3 @@\n+one\n+two\n+three")])
REF = PrincipleRef("p", "P", "why")


def _c(line, severity=Severity.WARNING):
    return Comment("a.py", line, severity, "t", "b", REF, "diff:x")


def test_findings_split_into_inline_moved_and_repeated():
    known_fp = plan_review([_c(1)], DIFF, {}, ()).inline[0].marker.fp
    plan = plan_review([_c(1), _c(2), _c(9)], DIFF, {}, {known_fp})
    assert [m.comment.line for m in plan.inline] == [2]
    assert [m.comment.line for m in plan.moved] == [9]
    assert plan.repeated == 1


@pytest.mark.parametrize(
    ("severities", "opt_in", "event"),
    [
        ((Severity.ERROR,), False, "COMMENT"),
        ((Severity.ERROR, Severity.INFO), True, "REQUEST_CHANGES"),
        ((Severity.WARNING,), True, "COMMENT"),
        ((), True, "COMMENT"),
    ],
)
def test_event_is_comment_unless_the_repository_opts_in_and_an_error_is_found(severities, opt_in, event):
    assert choose_event([_c(1, s) for s in severities], opt_in) == event


def test_approve_can_never_be_sent():
    with pytest.raises(ValueError, match="APPROVE"):
        ReviewDraft("sha", "body", "APPROVE")


def test_the_draft_carries_the_head_sha_and_every_inline_comment():
    plan = plan_review([_c(1), _c(3), _c(9)], DIFF, {}, ())
    posted = draft(plan, Summary(()), "headsha", "reviewbot", request_changes=False)
    assert posted.commit_id == "headsha" and posted.event == "COMMENT"
    assert [(c.path, c.line) for c in posted.comments] == [("a.py", 1), ("a.py", 3)]
    assert all(read_marker(c.body) for c in posted.comments)
    assert "**3 findings**" in posted.body and len(read_markers(posted.body)) == 1  # line 9 moved


def test_the_fallback_moves_every_comment_into_the_body():
    plan = plan_review([_c(1, Severity.ERROR), _c(2), _c(9)], DIFF, {}, ())
    fallback = draft(plan, Summary(()), "headsha", "reviewbot", request_changes=True, rejected=True)
    assert fallback.comments == () and fallback.event == "REQUEST_CHANGES"
    assert len(read_markers(fallback.body)) == 3 and "GitHub refused" in fallback.body
