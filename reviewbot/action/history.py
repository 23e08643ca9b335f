"""What the Action has instead of the App's database: the history GitHub shows, a profile for one run.

- `ReviewHistory`: the last reviewed head is the commit of the bot's latest
  review on the pull request (other than the head being reviewed now, so a
  re-run of the job reviews the same changes again and reaches the same
  result, posting nothing twice). The posted review records its own commit.
- `learner_from_threads`: the learner profile of one run, rebuilt from the pull
  request's own why-threads ("got it", checks, quick-check answers), so what a
  person showed earlier in this pull request fades its later comments and shapes
  the thread replies. It is never stored: caches and artifacts of a workflow are
  readable by everyone who can write to the repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from reviewbot.adapters.github.host import Host, PostedComment
from reviewbot.pullrequest.summary import HEADING
from reviewbot.threads.data import ThreadComment, ThreadData
from reviewbot.threads.reply import next_reply

if TYPE_CHECKING:
    from reviewbot.learner.memory import MemoryLearner
    from reviewbot.principles.graph import PrincipleGraph


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


def learner_from_threads(
    comments: Iterable[PostedComment], app_login: str, graph: PrincipleGraph, host: str, pull_request: str,
    skip: int | None = None,
) -> MemoryLearner:
    """The evidence this pull request's why-threads hold, rebuilt by replaying each person's replies.

    Every reply a person wrote in a thread reviewbot started (oldest first; `skip`: the
    reply being answered now) is handed to the same thread core as when it was answered,
    offline, with the thread as it stood then: "got it", checks and quick-check answers
    give the same evidence again. Nothing is read from or written anywhere else.
    """
    from reviewbot.learner.memory import MemoryLearner

    learner = MemoryLearner()
    posted = sorted(comments, key=lambda c: c.id)
    roots = {c.id: c for c in posted if c.in_reply_to is None and c.author == app_login}
    for turn in posted:
        if turn.in_reply_to not in roots or turn.author == app_login or turn.author_type != "User" or turn.id == skip:
            continue
        thread = _thread_until(roots[turn.in_reply_to], posted, turn.id, app_login)
        reply = next_reply(thread, turn.body, graph, learner.view(host, turn.author), None)
        learner.shown(host, turn.author, reply.shown)
        learner.understood(host, turn.author, reply.understood)
        learner.record(host, turn.author, [(e.principle, e.kind, e.outcome) for e in reply.evidence], pull_request)
    return learner


def _thread_until(root: PostedComment, posted: Sequence[PostedComment], last: int, app_login: str) -> ThreadData:
    """Root and replies up to comment `last`, as the thread stood when `last` was written."""
    replies = [c for c in posted if c.in_reply_to == root.id and c.id <= last]
    return ThreadData(tuple(ThreadComment(c.id, c.author, c.author_type, c.body) for c in (root, *replies)),
                      app_login, root.path, root.line)
