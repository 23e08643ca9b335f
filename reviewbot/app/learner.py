"""The learner profile in a review: the two calls the review flow makes.

`tailored_for_author` (before posting a review) shortens the why of
principles the pull request's author already understands and expands the
ones new to them; `record_shown` (after posting) remembers what the author
was shown. Without a profile (`deps.learner` is None) both do nothing. In
the App the profile lives in the same database as the review store (Alembic
revision 0002_learner); see `reviewbot.app.deps.learner_on`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reviewbot.learner.evidence import ASKED, RETRIEVAL_LEAD, VIOLATION
from reviewbot.learner.profile import ProfileView
from reviewbot.learner.tailor import tailor_review

if TYPE_CHECKING:
    from reviewbot.app.deps import Deps
    from reviewbot.models import Comment, Review


def person_host(deps: Deps) -> str:
    """The host half of a person's identity: "github.com" or the GitHub Enterprise host."""
    from reviewbot.learner.local import host_key

    return host_key(deps.api_url)


def tailored_for_author(review: Review, deps: Deps, login: str) -> Review:
    """`review` with each why sized to the evidence about `login` (unchanged without a profile)."""
    if deps.learner is None:
        return review
    now = datetime.fromtimestamp(deps.clock(), UTC)
    return tailor_review(review, deps.principles(), deps.learner.view(person_host(deps), login), now)


def record_shown(deps: Deps, login: str, comments: Iterable[Comment], pull_request: str | None = None) -> None:
    """Remember what `login` was just shown (depth 0): flagged again after understood, asked back."""
    if deps.learner is None:
        return
    host, posted = person_host(deps), list(comments)
    view = deps.learner.view(host, login)
    pids = list(dict.fromkeys(c.principle.id for c in posted))
    deps.learner.shown(host, login, [(pid, 0) for pid in pids])
    deps.learner.record(host, login, review_evidence(view, posted), pull_request)


def review_evidence(view: ProfileView, comments: Iterable[Comment]) -> list[tuple[str, str, str]]:
    """A principle flagged again after it was understood is a violation; a retrieval question is asked."""
    items: dict[tuple[str, str], tuple[str, str, str]] = {}
    for c in comments:
        pid = c.principle.id
        if view.standing(pid).streak:
            items[(pid, VIOLATION)] = (pid, VIOLATION, "")
        if c.principle.why.startswith(RETRIEVAL_LEAD):
            items[(pid, ASKED)] = (pid, ASKED, "")
    return list(items.values())
