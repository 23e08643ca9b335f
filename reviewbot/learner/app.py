"""The learner profile in the GitHub App: which store, and the two calls the review flow makes.

`tailored_for_author` (before posting a review) shortens the why of
principles the pull request's author already understands and expands the
ones new to them; `record_shown` (after posting) remembers what the author
was shown. Both take the worker's Deps; the profile lives in the same
database as the review store (Alembic revision 0002_learner).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reviewbot.learner.tailor import tailor_review

if TYPE_CHECKING:
    from reviewbot.github.deps import Deps
    from reviewbot.learner.store import LearnerStore
    from reviewbot.models import Comment, Review

DEFAULT_API_URL = "https://api.github.com"


def learner_for(deps: Deps) -> LearnerStore | None:
    """Deps.learner when wired, else a LearnerStore on the review store's database.

    None when neither exists (an in-memory review store in tests): the review
    flow then runs without a profile.
    """
    learner = getattr(deps, "learner", None)
    if learner is not None:
        return learner
    engine = getattr(deps.store, "engine", None)
    if engine is None:
        return None
    from reviewbot.learner.store import LearnerStore

    return LearnerStore(engine, clock=lambda: datetime.fromtimestamp(deps.clock(), UTC))


def person_host(deps: Deps) -> str:
    """The host half of a person's identity: "github.com" or the GitHub Enterprise host."""
    from reviewbot.learner.local import host_key

    return host_key(getattr(deps.settings, "api_url", DEFAULT_API_URL))


def tailored_for_author(review: Review, deps: Deps, login: str) -> Review:
    """`review` with each why sized to what `login` already understands (unchanged without a profile)."""
    learner = learner_for(deps)
    if learner is None:
        return review
    return tailor_review(review, deps.principles(), learner.view(person_host(deps), login))


def record_shown(deps: Deps, login: str, comments: Iterable[Comment]) -> None:
    """Remember the principles of the comments `login` was just shown (depth 0)."""
    learner = learner_for(deps)
    if learner is not None:
        learner.shown(person_host(deps), login, [(pid, 0) for pid in dict.fromkeys(c.principle.id for c in comments)])
