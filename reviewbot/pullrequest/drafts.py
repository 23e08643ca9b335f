"""From a review's findings to the one review that is posted.

`plan_review` splits the findings into comments that can sit on the diff,
comments that must go into the body (their line is outside every hunk), and
findings already on the pull request (same fingerprint), which are not
posted again. `draft` turns a plan into the review to post; with
`rejected=True` it is the fallback after GitHub answered 422: GitHub does
not say which comment it refused, so every comment moves into the body and
the review is posted without inline comments. Nothing is ever lost.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from reviewbot.adapters.github.host import ReviewDraft
from reviewbot.diffmodel import Diff
from reviewbot.models import Comment, Severity
from reviewbot.pullrequest.comments import (
    anchorable,
    comment_body,
    inline_comment,
    marker_for,
)
from reviewbot.pullrequest.summary import Moved, Summary, first_explained, render_body
from reviewbot.render.common import ordered


@dataclass(frozen=True)
class Plan:
    inline: tuple[Moved, ...] = ()  # (comment, marker) pairs that go on the diff
    moved: tuple[Moved, ...] = ()  # findings shown in the body
    repeated: int = 0  # findings already on the pull request

    @property
    def fresh(self) -> tuple[Moved, ...]:
        return self.inline + self.moved

    @property
    def comments(self) -> tuple[Comment, ...]:
        return tuple(m.comment for m in self.fresh)


def plan_review(
    comments: Collection[Comment], diff: Diff, contents: Mapping[str, str | None], known: Collection[str]
) -> Plan:
    """Split findings into inline, moved-to-body and already-posted."""
    inline: list[Moved] = []
    moved: list[Moved] = []
    repeated = 0
    for comment in comments:
        marked = Moved(comment, marker_for(comment, diff, contents))
        if marked.marker.fp in known:
            repeated += 1
        else:
            (inline if anchorable(comment, diff) else moved).append(marked)
    return Plan(tuple(inline), tuple(moved), repeated)


def choose_event(comments: Collection[Comment], request_changes: bool) -> str:
    """COMMENT, or REQUEST_CHANGES when the repository opted in and a finding is an error."""
    has_error = any(c.severity is Severity.ERROR for c in comments)
    return "REQUEST_CHANGES" if request_changes and has_error else "COMMENT"


def draft(
    plan: Plan,
    summary: Summary,
    head_sha: str,
    slug: str,
    request_changes: bool,
    rejected: bool = False,
    pr_url: str = "",
) -> ReviewDraft:
    """The review to post; `rejected` moves every comment into the body (the 422 fallback).

    Explain once: among the inline comments, the first on a principle carries its why and the
    later ones link to its line in the diff view of `pr_url` (the pull request's page).
    """
    inline, moved = ((), plan.fresh) if rejected else (plan.inline, plan.moved)
    firsts = first_explained(ordered(m.comment for m in inline))  # the diff view shows them by file and line
    summary = replace(
        summary,
        comments=plan.comments,
        moved=moved,
        moved_reason="rejected" if rejected else "off-diff",
        repeated=plan.repeated,
    )
    return ReviewDraft(
        commit_id=head_sha,
        body=render_body(summary, slug),
        event=choose_event(plan.comments, request_changes),
        comments=tuple(
            inline_comment(m.comment, comment_body(m.comment, m.marker, explorer_url=summary.explorer_url,
                                                   first=firsts.get(id(m.comment)), pr_url=pr_url))
            for m in inline
        ),
    )
