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
from typing import TYPE_CHECKING

from reviewbot.learner.tailor import tailor_review

if TYPE_CHECKING:
    from reviewbot.app.deps import Deps
    from reviewbot.models import Comment, Review


def person_host(deps: Deps) -> str:
    """The host half of a person's identity: "github.com" or the GitHub Enterprise host."""
    from reviewbot.learner.local import host_key

    return host_key(deps.api_url)


def tailored_for_author(review: Review, deps: Deps, login: str) -> Review:
    """`review` with each why sized to what `login` already understands (unchanged without a profile)."""
    if deps.learner is None:
        return review
    return tailor_review(review, deps.principles(), deps.learner.view(person_host(deps), login))


def record_shown(deps: Deps, login: str, comments: Iterable[Comment]) -> None:
    """Remember the principles of the comments `login` was just shown (depth 0)."""
    if deps.learner is not None:
        pairs = [(pid, 0) for pid in dict.fromkeys(c.principle.id for c in comments)]
        deps.learner.shown(person_host(deps), login, pairs)
