"""Which task a workflow event is: a review, a why-thread turn, or nothing to do (pure).

    pull_request (opened, reopened, ready_for_review, synchronize)  -> ReviewTask
    pull_request_review_comment (created), a person's thread reply  -> ThreadTask
    pull_request_target                                             -> Idle, refused (exit 2)
    anything else                                                   -> Idle (exit 0)

A pull request whose head lives in another repository (a fork) gets a
read-only token and no secrets from GitHub: `fork` names that repository.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewbot.app.reviewing import ACTIONS as REVIEW_ACTIONS
from reviewbot.payload import dig
from reviewbot.threads.guards import ACTION as THREAD_ACTION
from reviewbot.threads.guards import EVENT as THREAD_EVENT
from reviewbot.threads.guards import Candidate, candidate

REVIEW_EVENT = "pull_request"
DELETED_FORK = "a fork that no longer exists"
TARGET_REFUSED = (
    "reviewbot does not run on pull_request_target: that event hands pull requests from forks a write token "
    "and the repository's secrets. Trigger the workflow on pull_request instead (see the example workflow)."
)


@dataclass(frozen=True)
class ReviewTask:
    repo: str
    number: int
    head: str | None  # the head commit the event names; a newer push makes this run stale
    trigger: str  # one of reviewbot.app.reviewing.ACTIONS
    fork: str | None = None  # the head's repository when it is not this one


@dataclass(frozen=True)
class ThreadTask:
    found: Candidate
    fork: str | None = None


@dataclass(frozen=True)
class Idle:
    reason: str
    refused: bool = False  # the workflow is set up wrongly (exit 2), not merely nothing to do


Task = ReviewTask | ThreadTask | Idle


def task_for(event: str, payload: Mapping[str, Any], repository: str | None = None) -> Task:
    """The task for `event`; `repository` (GITHUB_REPOSITORY) stands in when the payload has none."""
    action = str(payload.get("action") or "")
    if event == REVIEW_EVENT:
        return _review(payload, action, repository)
    if event == THREAD_EVENT:
        return _thread(payload, action)
    if event == "pull_request_target":
        return Idle(TARGET_REFUSED, refused=True)
    return Idle(f"nothing to do for the {event} event: reviewbot reviews on pull_request and answers on "
                f"{THREAD_EVENT}")


def _review(payload: Mapping[str, Any], action: str, repository: str | None) -> Task:
    if action not in REVIEW_ACTIONS:
        return Idle(f"nothing to do for pull_request.{action or '?'}: reviews run on {', '.join(REVIEW_ACTIONS)}")
    repo = dig(payload, "repository", "full_name") or repository
    number = dig(payload, "pull_request", "number")
    if not repo or not isinstance(number, int):
        return Idle("the pull_request event names no pull request and repository", refused=True)
    head = dig(payload, "pull_request", "head", "sha")
    return ReviewTask(repo, number, head if isinstance(head, str) else None, action, fork_of(payload, repo))


def _thread(payload: Mapping[str, Any], action: str) -> Task:
    if action != THREAD_ACTION:
        return Idle(f"nothing to do for {THREAD_EVENT}.{action or '?'}: only new replies are answered")
    found = candidate(THREAD_EVENT, payload)
    if found is None:
        return Idle("the comment is not a person's reply in a review thread")
    return ThreadTask(found, fork_of(payload, found.repo))


def fork_of(payload: Mapping[str, Any], repo: str) -> str | None:
    """The repository holding the pull request's head when it is not `repo` (a fork), else None."""
    head_repo = dig(payload, "pull_request", "head", "repo")
    if head_repo is None:
        return DELETED_FORK
    name = dig(head_repo, "full_name")
    return None if name == repo else str(name or DELETED_FORK)
