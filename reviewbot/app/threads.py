"""The GitHub edge of the why-threads: (pull_request_review_comment, created).

`ROUTES` is this feature's entry in the App's routing table: `accepts`
decides (pure) whether a delivery becomes a job; `run` handles it in a worker: fetch the thread through the
Host, check who is asking, apply the quota, call `next_reply`, then post the
reply in the same thread (or react to the comment) and update the learner
profile. State lives only in the thread's markers, so any replica can answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from reviewbot.accounts import USER, bot_login
from reviewbot.adapters.github.host import PostedComment
from reviewbot.app.routes import Outcome, Route
from reviewbot.learner.profile import ProfileView
from reviewbot.payload import Payload, installation_id, require_installation_id
from reviewbot.threads.data import ThreadComment, ThreadData
from reviewbot.threads.guards import (
    ACTION,
    EVENT,
    Candidate,
    candidate,
    may_talk,
    quota,
    quota_note,
)
from reviewbot.threads.reply import next_reply
from reviewbot.threads.settings import ThreadSettings

if TYPE_CHECKING:
    from reviewbot.app.deps import Deps, Learner
    from reviewbot.jobs import Job
    from reviewbot.llm.model import ChatModel

NO_QUOTA_NOTE = "_(This comes straight from the principle graph: model-written replies need the App's database.)_"


class ThreadHost(Protocol):
    """The Host calls a why-thread makes: a part of `reviewbot.adapters.github.host.Host`."""

    def app_slug(self) -> str: ...

    def review_comments(self, repo: str, number: int) -> tuple[Any, ...]: ...

    def reply(self, repo: str, number: int, comment_id: int, body: str) -> int: ...

    def add_reaction(self, repo: str, number: int, comment_id: int, content: str) -> None:
        """POST /repos/{repo}/pulls/comments/{comment_id}/reactions."""

    def permission(self, repo: str, login: str) -> str:
        """GET /repos/{repo}/collaborators/{login}/permission: admin|maintain|write|triage|read|none."""


@dataclass(frozen=True)
class ThreadContext:
    """What one thread turn needs from the worker, built once per job."""

    host: ThreadHost
    learner: Learner | None  # None: no profile (no model-written replies: the quota cannot be kept)
    graph: Any
    model: Any  # ChatModel | None
    settings: ThreadSettings
    now: datetime
    host_key: str  # "github.com" or the GitHub Enterprise host: half of a person's identity


def accepts(payload: Payload) -> bool:
    """Pure routing check: a person's reply inside a review thread (never a bot's, so never the App's own)."""
    return candidate(EVENT, payload) is not None and installation_id(payload) is not None


def run(job: Job, deps: Deps) -> Outcome:
    """Worker entry point for (pull_request_review_comment, created)."""
    found = candidate(job.event, job.payload)
    if found is None:
        return Outcome("skipped", "not a person's reply in a review thread")
    return answer(found, context_for(job, deps))


ROUTES = (Route(EVENT, (ACTION,), accepts, run),)


def context_for(job: Job, deps: Deps) -> ThreadContext:
    from reviewbot.app.learner import person_host

    return ThreadContext(
        host=deps.host_for(require_installation_id(job.payload)),
        learner=deps.learner,
        graph=deps.principles(),
        model=deps.model,
        settings=deps.threads,
        now=datetime.fromtimestamp(deps.clock(), UTC),
        host_key=person_host(deps),
    )


def answer(found: Candidate, ctx: ThreadContext) -> Outcome:
    app_login = bot_login(ctx.host.app_slug())
    if found.login == app_login:
        return Outcome("skipped", "written by reviewbot itself")
    thread = fetch_thread(ctx.host, found, app_login)
    if thread.root is None or thread.root.author != app_login:
        return Outcome("skipped", "the thread was not started by reviewbot")
    if not _allowed(ctx, found):
        return Outcome("skipped", f"{found.login} is not the author and may not ask here")
    return _respond(ctx, found, thread)


def fetch_thread(host: ThreadHost, found: Candidate, app_login: str) -> ThreadData:
    """The thread's comments, root first; the new reply is added if the listing lags behind."""
    posted = [c for c in host.review_comments(found.repo, found.pr_number)
              if c.id == found.root_id or c.in_reply_to == found.root_id]
    comments = [_as_thread_comment(c) for c in sorted(posted, key=lambda c: (c.id != found.root_id, c.id))]
    if not any(c.id == found.comment_id for c in comments):
        comments.append(ThreadComment(found.comment_id, found.login, USER, found.body))
    if not comments or comments[0].id != found.root_id:
        comments.insert(0, ThreadComment(found.root_id, "", USER, ""))  # root gone: never answered
    return ThreadData(tuple(comments), app_login, found.path, found.line, found.diff_hunk)


def _as_thread_comment(posted: PostedComment) -> ThreadComment:
    return ThreadComment(posted.id, posted.author, posted.author_type, posted.body)


def _allowed(ctx: ThreadContext, found: Candidate) -> bool:
    if found.login == found.pr_author:
        return True
    if ctx.settings.repliers != "write":
        return False
    return may_talk(found.login, found.pr_author, ctx.host.permission(found.repo, found.login), "write")


def _respond(ctx: ThreadContext, found: Candidate, thread: ThreadData) -> Outcome:
    learner = ctx.learner
    profile = learner.view(ctx.host_key, found.login) if learner else ProfileView()
    model, note = _model_within_quota(ctx, found)
    reply = next_reply(thread, found.body, ctx.graph, profile, model, limits=ctx.settings.limits,
                       no_model_note=note)
    if reply.used_model and learner:
        learner.record_model_reply(ctx.host_key, found.login, found.repo, found.pr_number)
    if reply.body:
        ctx.host.reply(found.repo, found.pr_number, found.root_id, reply.body)
    if reply.reaction:
        ctx.host.add_reaction(found.repo, found.pr_number, found.comment_id, reply.reaction)
    if learner:
        learner.shown(ctx.host_key, found.login, reply.shown)
        learner.understood(ctx.host_key, found.login, reply.understood)
        learner.record(ctx.host_key, found.login, [(e.principle, e.kind, e.outcome) for e in reply.evidence],
                       f"{found.repo}#{found.pr_number}")
    action = "commented" if reply.body else ("reacted" if reply.reaction else "skipped")
    return Outcome(action, f"{reply.intent}" + (" (model)" if reply.used_model else ""))


def _model_within_quota(ctx: ThreadContext, found: Candidate) -> tuple[ChatModel | None, str | None]:
    """The model when this person still has model-written replies left this hour."""
    if ctx.model is None:
        return None, None
    if ctx.learner is None:  # nowhere to count replies: the quota cannot be kept
        return None, NO_QUOTA_NOTE
    times = ctx.learner.model_replies(ctx.host_key, found.login, found.repo, found.pr_number)
    state = quota(times, ctx.settings.quota_per_hour, ctx.now)
    return (ctx.model, None) if state.allowed else (None, quota_note(state))
