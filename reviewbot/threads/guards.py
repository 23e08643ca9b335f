"""Who gets an answer, and how many model-written ones (pure decisions).

reviewbot never answers itself or any other bot (no reply loops), only
replies inside threads (a comment with `in_reply_to_id`), and only people
allowed to talk to it: the pull request's author, or (configurable) anyone
with write access. Model-written replies are limited per person per pull
request per hour; past the limit the answer comes from the principle graph
with a polite note saying when the model is back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reviewbot.learner.profile import QUOTA_WINDOW
from reviewbot.payload import is_bot_user

EVENT = "pull_request_review_comment"
ACTION = "created"
WRITE_PERMISSIONS = frozenset({"admin", "maintain", "write"})


@dataclass(frozen=True)
class Candidate:
    """A human's reply in a review thread, as the delivery describes it."""

    repo: str
    pr_number: int
    pr_author: str
    root_id: int  # GitHub threads are flat: in_reply_to_id is the thread's first comment
    comment_id: int
    login: str
    body: str
    path: str | None
    line: int | None
    diff_hunk: str | None


def candidate(event: str, payload: Mapping[str, Any]) -> Candidate | None:
    """The thread reply this delivery carries, or None (not a reply, or by a bot)."""
    if event != EVENT or payload.get("action") != ACTION:
        return None
    comment, pull = payload.get("comment") or {}, payload.get("pull_request") or {}
    root = comment.get("in_reply_to_id")
    if not isinstance(root, int) or is_bot_user(comment.get("user")) or is_bot_user(payload.get("sender")):
        return None
    try:
        return Candidate(
            repo=payload["repository"]["full_name"], pr_number=int(pull["number"]),
            pr_author=pull["user"]["login"], root_id=root, comment_id=int(comment["id"]),
            login=comment["user"]["login"], body=comment.get("body") or "",
            path=comment.get("path"), line=comment.get("line"), diff_hunk=comment.get("diff_hunk"),
        )
    except (KeyError, TypeError, ValueError):
        return None


def may_talk(login: str, pr_author: str, permission: str | None, repliers: str) -> bool:
    """The PR author always; with repliers == "write" also anyone with write access."""
    if login == pr_author:
        return True
    return repliers == "write" and (permission or "none") in WRITE_PERMISSIONS


@dataclass(frozen=True)
class Quota:
    allowed: bool
    used: int
    limit: int
    again_at: datetime | None = None  # when the oldest reply in the window leaves it


def quota(replies: Sequence[datetime], limit: int, now: datetime) -> Quota:
    """Whether one more model-written reply fits in the last hour's budget."""
    recent = sorted(at for at in replies if at > now - QUOTA_WINDOW)
    if len(recent) < limit:
        return Quota(True, len(recent), limit)
    again = recent[len(recent) - limit] + QUOTA_WINDOW if limit else None
    return Quota(False, len(recent), limit, again)


def quota_note(q: Quota) -> str:
    """The polite line shown instead of a model-written answer once the budget is spent."""
    if q.limit == 0:
        return "_(Model-written replies are turned off here, so this comes straight from the principle graph.)_"
    when = f" at {q.again_at:%H:%M} UTC" if q.again_at else ""
    return (
        f"_(You have had {q.limit} model-written replies on this pull request in the last hour, "
        f"the most one person gets, so this one comes straight from the principle graph. "
        f"Full answers are back{when}; thank you for digging this deep.)_"
    )
