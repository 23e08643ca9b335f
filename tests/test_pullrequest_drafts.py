"""From findings to the one review posted: inline, moved, repeated; events; the 422 fallback."""

from __future__ import annotations

import hashlib

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


PR_URL = "https://github.com/octo/hello/pull/7"
A_PY = "a.py"


def test_explain_once_later_inline_comments_link_to_the_first_ones_line_in_the_diff_view():
    plan = plan_review([_c(3), _c(1), _c(2, Severity.ERROR)], DIFF, {}, ())
    posted = draft(plan, Summary(()), "headsha", "reviewbot", request_changes=False, pr_url=PR_URL)
    bodies = {c.line: c.body for c in posted.comments}
    assert "**Why — P** (`p`): why" in bodies[1]  # first by file and line: the one the diff view shows first
    anchor = hashlib.sha256(A_PY.encode()).hexdigest()
    link = f"explained in this review's comment on [`a.py` line 1]({PR_URL}/files#diff-{anchor}R1)."
    for line in (2, 3):
        assert link in bodies[line] and "): why" not in bodies[line]
        assert "Reply **why?**" in bodies[line]  # the thread still answers why, one layer deeper


def test_explain_once_without_the_pull_requests_address_names_the_place_without_a_link():
    plan = plan_review([_c(1), _c(2)], DIFF, {}, ())
    for pr_url in ("", "javascript:alert(1)//pull/7"):
        posted = draft(plan, Summary(()), "headsha", "reviewbot", request_changes=False, pr_url=pr_url)
        assert "explained in this review's comment on `a.py` line 1." in posted.comments[1].body


def test_explain_once_in_the_body_when_github_refused_the_inline_comments():
    plan = plan_review([_c(1), _c(2), _c(9)], DIFF, {}, ())
    fallback = draft(plan, Summary(()), "headsha", "reviewbot", request_changes=False, rejected=True, pr_url=PR_URL)
    assert fallback.body.count("): why") == 1
    assert fallback.body.count("explained in this review's comment on `a.py` line 1.") == 2


def test_other_principles_keep_their_own_why():
    other = Comment("a.py", 2, Severity.WARNING, "t", "b", PrincipleRef("q", "Q", "other why"), "diff:y")
    posted = draft(plan_review([_c(1), other], DIFF, {}, ()), Summary(()), "sha", "reviewbot", False, pr_url=PR_URL)
    assert [("): why" in c.body, "): other why" in c.body) for c in posted.comments] == [(True, False), (False, True)]
