"""pull_request: the App's review flow, posted as one review or, when the token may not write, reported.

`reviewbot.app.reviewing.prepare` runs with the Action's Deps: the same
engine, markers, de-duplication and incremental review on `synchronize`,
with the bot's own reviews as the review history. The prepared review is
posted with `publish` (the same 422 fallback) when the token may write, and
its findings always become annotations, the job summary, SARIF and the exit
status, whether or not it could be posted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from reviewbot.action.context import Context, finish
from reviewbot.action.events import ReviewTask
from reviewbot.action.history import ReviewHistory, learner_from_threads
from reviewbot.action.report import Result, emit, sarif_text, write_sarif
from reviewbot.adapters.github.host import Forbidden, Host
from reviewbot.config import Config
from reviewbot.errors import ConfigError

if TYPE_CHECKING:
    from reviewbot.app.deps import Deps
    from reviewbot.app.repoconfig import RepoConfig
    from reviewbot.app.reviewing import Prepared
    from reviewbot.app.routes import Outcome
    from reviewbot.models import Review

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
    from reviewbot.app.reviewing import Request, Skip, prepare

    request = Request(task.repo, task.number, 0, task.trigger, task.head)
    prepared = prepare(request, action_deps(ctx, task), ctx.host)
    if isinstance(prepared, Skip):
        notes = ctx.notes if prepared.review is not None else ()
        return Result(f"no review posted: {prepared.reason}", prepared.review, notes=notes)
    return _publish(prepared, ctx, task)


def _publish(prepared: Prepared, ctx: Context, task: ReviewTask) -> Result:
    """Post the review when the token may write; otherwise say why, and where the findings are."""
    from reviewbot.app.reviewing import publish

    read_only = read_only_reason(task)
    if read_only:
        return _not_posted(prepared.review, f"{read_only} Its findings are reported {_where(ctx)}.", ctx)
    try:
        outcome = publish(ctx.host, prepared)
    except Forbidden as err:
        return _not_posted(prepared.review, refused(str(err), ctx), ctx)
    return reviewed(outcome, prepared.review, ctx, task)


def _not_posted(review: Review, why: str, ctx: Context) -> Result:
    return Result(REPORTED_HERE, review, not_posted=why, notes=ctx.notes)


def action_deps(ctx: Context, task: ReviewTask) -> Deps:
    """The App's Deps for this run: the token's host, the bot's reviews as the review history, and the
    author's learning as this pull request's why-threads show it (kept nowhere: see action/history.py)."""
    from reviewbot.accounts import bot_login
    from reviewbot.app.deps import Deps
    from reviewbot.learner.local import host_key
    from reviewbot.principles import load_graph
    from reviewbot.threads.settings import ThreadSettings

    app_login = bot_login(ctx.host.app_slug())
    history = ReviewHistory(ctx.host, app_login, task.head)
    learner = learner_from_threads(ctx.host.review_comments(task.repo, task.number), app_login, load_graph(),
                                   host_key(ctx.action.api_url), f"{task.repo}#{task.number}")
    return Deps(
        ctx.base,
        lambda _installation: ctx.host,
        history,
        api_url=ctx.action.api_url,
        review_drafts=ctx.action.review_drafts,
        threads=ThreadSettings.from_env(ctx.env),
        model=ctx.model,
        commands=False,
        config_files=(ctx.action.config_file,) if ctx.action.config_file else None,
        learner=learner,
    )


def repo_config_for(host: Host, repo: str, base: Config, path: str | None) -> RepoConfig:
    """The repository's settings from its default branch: `path` (the config input), else the usual files.

    Read before the review so a broken file stops the run with one clear error.
    """
    from reviewbot.app.repoconfig import parse_repo_config, read_repo_config

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
    return replace(found, config=replace(found.config, repository=repo))


def read_only_reason(task: ReviewTask) -> str | None:
    if task.fork is None:
        return None
    return (
        f"This pull request comes from {task.fork}, and GitHub runs workflows for pull requests from forks "
        "with a read-only token and no secrets, so reviewbot cannot comment on it."
    )


def _where(ctx: Context) -> str:
    where = "as annotations on the changed lines and in this job's summary"
    if ctx.action.sarif_file:
        where += f", and in {ctx.action.sarif_file.name}"
    return where


def refused(error: str, ctx: Context) -> str:
    """Why the review was not posted when GitHub refused it (403), and where its findings are instead."""
    return (
        f"GitHub refused it: {error}. The token may not write to pull requests: give the job "
        f"`permissions: pull-requests: write` (and `contents: read`). The findings are reported {_where(ctx)}."
    )


def reviewed(outcome: Outcome, review: Review, ctx: Context, task: ReviewTask) -> Result:
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
