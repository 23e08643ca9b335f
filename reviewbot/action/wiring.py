"""The App's Deps, built for one workflow run.

The Action has no server and no database, so three pieces stand in:

- `ReviewHistory` is the ReviewStore: the last reviewed head is the commit
  of the bot's latest review on the pull request (other than the head being
  reviewed now, so a re-run of the job reviews the same changes again and
  reaches the same result, posting nothing twice).
- `ActionHost` wraps the host: it refuses every write when the token is
  known to be read-only (a fork), and turns GitHub's 403 on a write into
  `WriteRefused`, so the run can fall back to annotations.
- `CapturedReviews` is the review function: the shared engine, keeping each
  Review it returns so the run can report it beyond the posted review.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reviewbot.config import Config
from reviewbot.github.host import Forbidden, Host, HostError, PostedComment
from reviewbot.github.summary import HEADING
from reviewbot.threads.data import ProfileView
from reviewbot.threads.settings import ThreadSettings

if TYPE_CHECKING:
    from reviewbot.models import Review

WRITES = ("post_review", "reply", "comment", "add_reaction")


@dataclass(frozen=True)
class ActionSettings:
    """What the App's flow reads from `deps.settings`, filled from the Actions environment."""

    review: Config
    api_url: str
    review_drafts: bool = False
    threads: ThreadSettings = field(default_factory=ThreadSettings)


class NotWritten(HostError):
    """A write the Action did not make (the review is reported another way)."""


class ReadOnly(NotWritten):
    """The token is known to be read-only, so the write was not even tried."""


class WriteRefused(NotWritten):
    """GitHub answered 403 to a write: the token may not write to this pull request."""


def last_reviewed_commit(reviews: Iterable[PostedComment], login: str, skip: str | None = None) -> str | None:
    """The commit of `login`'s latest reviewbot review, passing over commit `skip`."""
    ours = [r for r in reviews if r.author == login and r.body.startswith(HEADING) and r.commit_id]
    return next((r.commit_id for r in reversed(ours) if r.commit_id != skip), None)


class ReviewHistory:
    """The ReviewStore of the Action: what GitHub already shows instead of a database."""

    def __init__(self, host: Host, login: str, head: str | None) -> None:
        self._host, self._login, self._head = host, login, head

    def last_reviewed_head(self, repo_full_name: str, pr_number: int) -> str | None:
        return last_reviewed_commit(self._host.reviews(repo_full_name, pr_number), self._login, self._head)

    def set_last_reviewed_head(self, repo_full_name: str, pr_number: int, sha: str) -> None:
        pass  # the posted review records its own commit

    def claim_delivery(self, delivery_id: str) -> bool:
        return True  # one run, one event: nothing to de-duplicate

    def release_delivery(self, delivery_id: str) -> None:
        pass

    def ping(self) -> None:
        pass


class ActionHost:
    """A Host whose writes are refused when the token is read-only, and whose 403s on writes say so."""

    def __init__(self, host: Host, read_only: str | None = None) -> None:
        self._host, self.read_only = host, read_only

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._host, name)
        return self._guarded(attribute) if name in WRITES else attribute

    def _guarded(self, write: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if self.read_only:
                raise ReadOnly(self.read_only)
            try:
                return write(*args, **kwargs)
            except Forbidden as err:
                raise WriteRefused(str(err)) from err

        return call


class CapturedReviews:
    """`reviewbot.engine.review`, keeping every Review it returns (`review_fn` for Deps)."""

    def __init__(self, review_fn: Callable[..., Review] | None = None) -> None:
        self._review_fn = review_fn
        self.reviews: list[Review] = []

    def __call__(self, diff: Any, contents: Mapping[str, str | None], config: Config, graph: Any,
                 model: Any = None, pull_request: Any = None) -> Review:
        review_fn = self._review_fn
        if review_fn is None:
            from reviewbot.engine import review as review_fn
        result = review_fn(diff, contents, config, graph, model=model, pull_request=pull_request)
        self.reviews.append(result)
        return result

    @property
    def last(self) -> Review | None:
        return self.reviews[-1] if self.reviews else None


class RunLearner:
    """The learner profile of one run: empty at the start, forgotten at the end.

    The Action keeps no profile between runs, so why-threads start from an
    empty one; the model's replies are counted within the run only.
    """

    def __init__(self) -> None:
        self.replies: list[datetime] = []

    def view(self, host: str, login: str) -> ProfileView:
        return ProfileView()

    def model_replies(self, host: str, login: str, repo_full_name: str, pr_number: int) -> tuple[datetime, ...]:
        return tuple(self.replies)

    def record_model_reply(self, host: str, login: str, repo_full_name: str, pr_number: int) -> None:
        self.replies.append(datetime.now().astimezone())

    def shown(self, host: str, login: str, pairs: Iterable[tuple[str, int]]) -> None:
        pass

    def understood(self, host: str, login: str, principles: Iterable[str]) -> None:
        pass
