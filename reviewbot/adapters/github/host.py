"""The narrow GitHub boundary: the few calls the review flow makes, as plain data.

`Host` is what the flow talks to; `reviewbot.adapters.github.pygithub_host` is the real
implementation and the tests hold an in-memory one. Values crossing the
boundary are frozen dataclasses, never PyGithub objects, so the core stays
free of I/O and of the client library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from reviewbot.accounts import is_bot
from reviewbot.errors import ReviewbotError
from reviewbot.models import CommitMessage, Side

EVENTS = ("COMMENT", "REQUEST_CHANGES")  # APPROVE is never sent


class HostError(ReviewbotError):
    """GitHub refused or failed a call; the message says which and why."""


class NotFound(HostError):
    """The object (file, commit, pull request) does not exist or is not visible."""


class Forbidden(HostError):
    """GitHub answered 403 for a reason other than a rate limit: the token may not do this.

    A workflow's token is read-only on pull requests from forks ("Resource not
    accessible by integration"); so is any token whose permissions leave the call out.
    """


class ReviewRejected(HostError):
    """GitHub answered 422 to a review: some comment could not be placed on the diff."""

    def __init__(self, errors: tuple[str, ...]) -> None:
        self.errors = errors
        super().__init__("GitHub refused the review (422): " + ("; ".join(errors) or "no details given"))


class RateLimited(HostError):
    """GitHub's rate limit would need a longer wait than allowed; retry the job later."""

    def __init__(self, wait: float) -> None:
        self.wait = wait
        super().__init__(f"GitHub rate limit: retry in {wait:.0f} s")


@dataclass(frozen=True)
class PullInfo:
    """What the flow needs to know about a pull request."""

    number: int
    head_sha: str
    base_sha: str
    author: str
    author_type: str = "User"  # GitHub's user.type: "User", "Bot" or "Organization"
    draft: bool = False
    state: str = "open"
    title: str = ""  # the author's words: untrusted, passed to the LLM only as delimited data
    body: str = ""
    html_url: str = ""  # the pull request's page, e.g. https://github.com/o/r/pull/7 ("" when unknown)

    @property
    def by_bot(self) -> bool:
        return is_bot(self.author, self.author_type)


@dataclass(frozen=True)
class ChangedFile:
    """One entry of the pull-request files endpoint (or of a comparison)."""

    path: str
    status: str  # added | removed | modified | renamed | copied | changed | unchanged
    patch: str | None = None  # None: binary, or too large for GitHub to show
    previous_path: str | None = None
    additions: int = 0
    deletions: int = 0


@dataclass(frozen=True)
class Comparison:
    """GET /compare/{base}...{head}: how head relates to base, and what changed."""

    status: str  # ahead | behind | diverged | identical
    files: tuple[ChangedFile, ...]


@dataclass(frozen=True)
class PostedComment:
    """A comment already on the pull request: a review comment, a review body or an issue comment."""

    id: int
    author: str  # login, e.g. "octocat" or "reviewbot[bot]"
    body: str
    path: str | None = None
    line: int | None = None
    in_reply_to: int | None = None
    author_type: str = "User"  # GitHub's user.type: "User" or "Bot"
    commit_id: str | None = None  # a review's commit: the head it reviewed


@dataclass(frozen=True)
class InlineComment:
    """One comment of a review, anchored like GitHub's `comments[]` entries."""

    path: str
    line: int
    body: str
    side: Side = Side.RIGHT
    start_line: int | None = None
    start_side: Side | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "side": self.side.value,
            "body": self.body,
        }
        if self.start_line is not None:
            data["start_line"] = self.start_line
            data["start_side"] = (self.start_side or self.side).value
        return data


@dataclass(frozen=True)
class ReviewDraft:
    """One review, ready to post: POST /repos/{o}/{r}/pulls/{n}/reviews."""

    commit_id: str
    body: str
    event: str = "COMMENT"
    comments: tuple[InlineComment, ...] = ()

    def __post_init__(self) -> None:
        if self.event not in EVENTS:
            raise ValueError(f"review event must be one of {', '.join(EVENTS)}, not {self.event!r}")


class Host(Protocol):
    """The GitHub calls of one installation."""

    def app_slug(self) -> str:
        """The App's slug (GET /app); its comments are authored by `<slug>[bot]`."""

    def pull_request(self, repo: str, number: int) -> PullInfo: ...

    def pull_request_files(self, repo: str, number: int) -> tuple[ChangedFile, ...]:
        """Every changed file, through the paginated files endpoint."""

    def pull_request_commits(self, repo: str, number: int) -> tuple[CommitMessage, ...]:
        """The commits' messages, oldest first: GET /repos/{repo}/pulls/{number}/commits, every page (at most 250)."""

    def compare(self, repo: str, base: str, head: str) -> Comparison:
        """Raises NotFound when either commit is gone (e.g. after a force-push)."""

    def file_at(self, repo: str, path: str, ref: str) -> str | None:
        """The file's text at `ref`; None when missing, binary, not a file or too large."""

    def default_branch_file(self, repo: str, path: str) -> str | None:
        """The file's text on the repository's default branch (never a pull request's head)."""

    def review_comments(self, repo: str, number: int) -> tuple[PostedComment, ...]: ...

    def reviews(self, repo: str, number: int) -> tuple[PostedComment, ...]:
        """Submitted reviews, as their bodies."""

    def post_review(self, repo: str, number: int, draft: ReviewDraft) -> int:
        """Posts one review; returns its id. Raises ReviewRejected on 422."""

    def reply(self, repo: str, number: int, comment_id: int, body: str) -> int: ...

    def comment(self, repo: str, number: int, body: str) -> int:
        """An issue comment on the pull request's conversation."""

    def add_reaction(self, repo: str, number: int, comment_id: int, content: str) -> None:
        """React to a review comment: POST /repos/{repo}/pulls/comments/{comment_id}/reactions."""

    def permission(self, repo: str, login: str) -> str:
        """admin | maintain | write | triage | read | none: GET /repos/{repo}/collaborators/{login}/permission."""
