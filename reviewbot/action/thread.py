"""pull_request_review_comment: one turn of a why-thread, answered by the App's thread code.

`reviewbot.app.threads.answer` runs unchanged; the Action gives it the
token's host and a learner profile that lives for this run only (there is
no database): rebuilt from the pull request's own why-threads, so a "got it"
or a check earlier in this pull request counts, and model-written replies
are counted within the run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from reviewbot.action.context import Context, finish
from reviewbot.action.events import ThreadTask
from reviewbot.action.history import learner_from_threads
from reviewbot.action.report import Result
from reviewbot.adapters.github.host import Forbidden
from reviewbot.errors import ConfigError


def run_thread(task: ThreadTask, ctx: Context) -> int:
    """Answer the reply (never on a fork, whose token is read-only); always exit 0 unless misconfigured."""
    from reviewbot.app.threads import answer

    found = task.found
    where = f"{ctx.action.event_name}.created on {found.repo}#{found.pr_number} by {found.login}"
    if task.fork:
        finish(Result("no reply posted", not_posted=fork_reason(task.fork)), ctx, where)
        return 0
    try:
        outcome = answer(found, thread_context(ctx, found))
    except Forbidden as err:
        raise ConfigError(f"GitHub refused the reply: {err}; give the job `permissions: pull-requests: write`") from None
    finish(Result(headline(outcome), posted=outcome.action in ("commented", "reacted"), notes=ctx.notes), ctx, where)
    return 0


def thread_context(ctx: Context, found: Any) -> Any:
    """The thread turn's context; the profile is what this pull request's threads show, before this reply."""
    from reviewbot.accounts import bot_login
    from reviewbot.app.threads import ThreadContext
    from reviewbot.learner.local import host_key
    from reviewbot.principles import load_graph
    from reviewbot.threads.settings import ThreadSettings

    graph, key = load_graph(), host_key(ctx.action.api_url)
    learner = learner_from_threads(
        ctx.host.review_comments(found.repo, found.pr_number), bot_login(ctx.host.app_slug()), graph, key,
        f"{found.repo}#{found.pr_number}", skip=found.comment_id)
    return ThreadContext(
        host=ctx.host, learner=learner, graph=graph, model=ctx.model,
        settings=ThreadSettings.from_env(ctx.env), now=datetime.now(UTC), host_key=key,
    )


def fork_reason(fork: str) -> str:
    return (
        f"This pull request comes from {fork}, and GitHub runs workflows for pull requests from forks "
        "with a read-only token, so reviewbot cannot reply in its threads. "
        "`reviewbot why PRINCIPLE` gives the same answers on your machine."
    )


def headline(outcome: Any) -> str:
    if outcome.action == "commented":
        return f"replied in the thread ({outcome.reason})"
    if outcome.action == "reacted":
        return f"reacted in the thread ({outcome.reason})"
    return f"no reply: {outcome.reason}"
