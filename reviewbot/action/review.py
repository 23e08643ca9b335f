"""pull_request: the App's review flow, posted as one review or, when the token may not write, reported.

`review_pull_request` runs unchanged with the Action's Deps (see
`reviewbot.action.wiring`): the same engine, markers, de-duplication, 422
fallback and incremental review on `synchronize`. The Review it made is
captured, so its findings also become annotations, the job summary, SARIF
and the exit status, whether or not the review could be posted.
"""

from __future__ import annotations

from typing import Any

from reviewbot.action.context import Context, finish
from reviewbot.action.events import ReviewTask
from reviewbot.action.report import Result, emit, sarif_text, write_sarif
from reviewbot.action.wiring import (
    ActionHost,
    ActionSettings,
    CapturedReviews,
    NotWritten,
    ReadOnly,
    ReviewHistory,
)
from reviewbot.config import Config
from reviewbot.errors import ConfigError

REPORTED_HERE = "no review posted: the findings are in the annotations and the job summary"


def run_review(task: ReviewTask, ctx: Context) -> int:
    """Review the pull request, report, and return the exit status fail-on gives."""
    from reviewbot.cli.check import exit_status

    repo_config = repo_config_for(ctx.host, task.repo, ctx.base, ctx.action.config_file)
    result = _review(task, ctx)
    finish(result, ctx, target(ctx, task))
    write_sarif_file(ctx, result)
    fail_on = ctx.action.fail_on or repo_config.config.fail_on
    return exit_status(result.review, fail_on) if result.review is not None else 0


def _review(task: ReviewTask, ctx: Context) -> Result:
    from reviewbot.github.reviewing import Request, review_pull_request

    captured = CapturedReviews()
    deps = action_deps(ctx, task, ActionHost(ctx.host, read_only_reason(task)), captured)
    try:
        outcome = review_pull_request(Request(task.repo, task.number, 0, task.trigger, task.head), deps)
    except NotWritten as err:
        if captured.last is None:
            raise
        return Result(REPORTED_HERE, captured.last, not_posted=not_posted(err, ctx), notes=ctx.notes)
    return reviewed(outcome, captured.last, ctx, task)


def action_deps(ctx: Context, task: ReviewTask, host: Any, captured: CapturedReviews) -> Any:
    """The App's Deps for this run: the token's host, the reviews as history, the captured engine."""
    from reviewbot.github.deps import Deps
    from reviewbot.github.markers import bot_login
    from reviewbot.threads.settings import ThreadSettings

    settings = ActionSettings(ctx.base, ctx.action.api_url, ctx.action.review_drafts, ThreadSettings.from_env(ctx.env))
    history = ReviewHistory(ctx.host, bot_login(ctx.host.app_slug()), task.head)
    names = (ctx.action.config_file,) if ctx.action.config_file else None
    return Deps(settings, history, lambda _installation: host, ctx.model, review_fn=captured, commands=False,
                config_files=names)


def repo_config_for(host: Any, repo: str, base: Config, path: str | None) -> Any:
    """The repository's settings from its default branch: `path` (the config input), else the usual files.

    Read before the review so a broken file stops the run with one clear error.
    """
    from reviewbot.github.repoconfig import parse_repo_config, read_repo_config

    if path is None:
        return read_repo_config(host, repo, base)
    text = host.default_branch_file(repo, path)
    if text is None:
        raise ConfigError(
            f"config: {path} is not on the default branch of {repo} (reviewbot reads its settings from there, "
            "so a pull request cannot change them)"
        )
    found = parse_repo_config(text, path, base)
    if found.source is None:
        raise ConfigError(f"config: {path} has no [tool.reviewbot] table")
    return found


def read_only_reason(task: ReviewTask) -> str | None:
    if task.fork is None:
        return None
    return (
        f"This pull request comes from {task.fork}, and GitHub runs workflows for pull requests from forks "
        "with a read-only token and no secrets, so reviewbot cannot comment on it."
    )


def not_posted(err: NotWritten, ctx: Context) -> str:
    """Why the review was not posted, and where its findings are instead."""
    where = "as annotations on the changed lines and in this job's summary"
    if ctx.action.sarif_file:
        where += f", and in {ctx.action.sarif_file.name}"
    if isinstance(err, ReadOnly):
        return f"{err} Its findings are reported {where}."
    return (
        f"GitHub refused it: {err}. The token may not write to pull requests: give the job "
        f"`permissions: pull-requests: write` (and `contents: read`). The findings are reported {where}."
    )


def reviewed(outcome: Any, review: Any, ctx: Context, task: ReviewTask) -> Result:
    """What the App's flow did, as the run reports it."""
    notes = ctx.notes if review is not None else ()
    if outcome.action != "posted":
        return Result(f"no review posted: {outcome.reason}", review, notes=notes)
    parts = [f"posted a review with {_count(outcome.inline, 'inline comment')}"]
    if outcome.moved:
        parts.append(f"{_count(outcome.moved, 'finding')} in its body")
    if outcome.repeated:
        parts.append(f"{_count(outcome.repeated, 'finding')} already commented on")
    headline = ", ".join(parts) + (" (GitHub refused the inline comments)" if outcome.fallback else "")
    link = f"{ctx.action.server_url}/{task.repo}/pull/{task.number}#pullrequestreview-{outcome.review_id}"
    return Result(headline, review, posted=True, notes=notes, link=link)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def target(ctx: Context, task: ReviewTask) -> str:
    head = f" at {task.head[:7]}" if task.head else ""
    return f"{ctx.action.event_name}.{task.trigger} on {task.repo}#{task.number}{head}"


def write_sarif_file(ctx: Context, result: Result) -> None:
    """The sarif-file input: this run's findings (an empty run when no review ran)."""
    from reviewbot import __version__

    if ctx.action.sarif_file is not None:
        write_sarif(ctx.action.sarif_file, sarif_text(result.review, __version__), ctx.action.workspace)
        emit(f"reviewbot: wrote SARIF to {ctx.action.sarif_file}\n", ctx.out)
