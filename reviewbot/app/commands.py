"""`@<app-slug> review` and `@<app-slug> help` in a pull request's conversation.

Only the pull request's author and people with write access may give them,
each at most COMMAND_QUOTA times per pull request in QUOTA_WINDOW; anyone
else's command (or one over the quota) is ignored without a reply, so
commands cannot be used to make the App post or spend its model budget. A
review asked for this way keeps the usual skips (bots' pull requests, drafts
unless the repository opts in) and is posted only when it has something new.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reviewbot.accounts import bot_login
from reviewbot.adapters.github.host import Host
from reviewbot.app.command_text import (
    Command,
    help_text,
    looks_like_command,
    parse_command,
)
from reviewbot.app.deps import Deps
from reviewbot.app.reviewing import COMMAND, Request, review_pull_request
from reviewbot.app.routes import Outcome, Route
from reviewbot.jobs import Job
from reviewbot.payload import Payload, dig, installation_id, is_bot_user, require_installation_id
from reviewbot.threads.guards import WRITE_PERMISSIONS

COMMAND_QUOTA = 5  # commands per person per pull request within QUOTA_WINDOW
QUOTA_WINDOW = timedelta(hours=1)


def accepts(payload: Payload) -> bool:
    """Pure filter: a person's new comment on a pull request that gives some App a command.

    Whether the command is addressed to this App is checked by the job, which knows its slug.
    """
    return (
        installation_id(payload) is not None
        and dig(payload, "issue", "pull_request") is not None
        and isinstance(dig(payload, "issue", "number"), int)
        and bool(dig(payload, "repository", "full_name"))
        and not is_bot_user(dig(payload, "comment", "user"))
        and not is_bot_user(dig(payload, "sender"))
        and dig(payload, "comment", "performed_via_github_app") is None
        and looks_like_command(str(dig(payload, "comment", "body") or ""))
    )


def run(job: Job, deps: Deps) -> Outcome:
    payload = job.payload
    repo, number = dig(payload, "repository", "full_name"), dig(payload, "issue", "number")
    installation = require_installation_id(payload)
    host = deps.host_for(installation)
    slug = host.app_slug()
    if dig(payload, "comment", "user", "login") == bot_login(slug):
        return Outcome("skipped", "comment written by the App itself")
    command = parse_command(str(dig(payload, "comment", "body") or ""), slug)
    if command is None:
        return Outcome("skipped", "comment is not addressed to the App")
    login = str(dig(payload, "comment", "user", "login") or "")
    refusal = refusal_for(login, repo, number, host, deps)
    if refusal:
        return Outcome("skipped", refusal)
    if command is Command.HELP:
        host.comment(repo, number, help_text(slug))
        return Outcome("commented", "help")
    return review_pull_request(Request(repo, number, installation, COMMAND), deps)


def refusal_for(login: str, repo: str, number: int, host: Host, deps: Deps) -> str | None:
    """Why `login`'s command is ignored: not the author and no write access, or over the quota.
    A command that passes is counted."""
    author = host.pull_request(repo, number).author
    if login != author and host.permission(repo, login) not in WRITE_PERMISSIONS:
        return f"command from {login}, who neither opened the pull request nor has write access"
    log = deps.command_log
    if log is None:
        return None
    now = datetime.fromtimestamp(deps.clock(), UTC)
    if log.commands_since(repo, number, login, now - QUOTA_WINDOW) >= COMMAND_QUOTA:
        return f"{login} gave {COMMAND_QUOTA} commands on this pull request within the last hour (the quota)"
    log.record_command(repo, number, login, now)
    return None


ROUTES = (Route("issue_comment", ("created",), accepts, run),)
