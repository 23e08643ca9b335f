"""`@<app-slug> review` and `@<app-slug> help` in a pull request's conversation."""

from __future__ import annotations

from reviewbot.accounts import bot_login
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
    if command is Command.HELP:
        host.comment(repo, number, help_text(slug))
        return Outcome("commented", "help")
    return review_pull_request(Request(repo, number, installation, COMMAND), deps)


ROUTES = (Route("issue_comment", ("created",), accepts, run),)
