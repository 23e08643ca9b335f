"""pull_request_review_comment: one turn of a why-thread, answered by the App's thread code.

`reviewbot.app.threads.answer` runs unchanged; the Action gives it the
token's host and a learner profile that lives for this run only (there is
no database), so model-written replies are counted within the run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from reviewbot.action.context import Context, finish
from reviewbot.action.events import ThreadTask
from reviewbot.action.history import RunLearner
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
        outcome = answer(found, thread_context(ctx))
    except Forbidden as err:
        raise ConfigError(f"GitHub refused the reply: {err}; give the job `permissions: pull-requests: write`") from None
    finish(Result(headline(outcome), posted=outcome.action in ("commented", "reacted"), notes=ctx.notes), ctx, where)
    return 0


def thread_context(ctx: Context) -> Any:
    from reviewbot.app.threads import ThreadContext
    from reviewbot.learner.local import host_key
    from reviewbot.principles import load_graph
    from reviewbot.threads.settings import ThreadSettings

    return ThreadContext(
        host=ctx.host, learner=RunLearner(), graph=load_graph(), model=ctx.model,
        settings=ThreadSettings.from_env(ctx.env), now=datetime.now(UTC), host_key=host_key(ctx.action.api_url),
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
