"""What the Action has instead of the App's database: the history GitHub shows, a profile for one run.

- `ReviewHistory`: the last reviewed head is the commit of the bot's latest
  review on the pull request (other than the head being reviewed now, so a
  re-run of the job reviews the same changes again and reaches the same
  result, posting nothing twice). The posted review records its own commit.
- `RunLearner`: the learner profile of one run, so the why-threads count
  model-written replies within the run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from reviewbot.adapters.github.host import Host, PostedComment
from reviewbot.learner.profile import ProfileView
from reviewbot.pullrequest.summary import HEADING


def last_reviewed_commit(reviews: Iterable[PostedComment], login: str, skip: str | None = None) -> str | None:
    """The commit of `login`'s latest reviewbot review, passing over commit `skip`."""
    ours = [r for r in reviews if r.author == login and r.body.startswith(HEADING) and r.commit_id]
    return next((r.commit_id for r in reversed(ours) if r.commit_id != skip), None)


class ReviewHistory:
    """The review history of the Action: the reviews GitHub already shows, instead of a database."""

    def __init__(self, host: Host, login: str, head: str | None) -> None:
        self._host, self._login, self._head = host, login, head

    def last_reviewed_head(self, repo_full_name: str, pr_number: int) -> str | None:
        return last_reviewed_commit(self._host.reviews(repo_full_name, pr_number), self._login, self._head)

    def set_last_reviewed_head(self, repo_full_name: str, pr_number: int, sha: str) -> None:
        pass  # the posted review records its own commit


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

    def record(self, host: str, login: str, items: Iterable[tuple[str, str, str]],
               pull_request: str | None = None) -> None:
        pass
