"""A fake GitHub that answers like GitHub: its state, its rules, and an in-memory Host.

- `FakeGitHub` holds the state (repositories, pull requests and their files,
  file contents per ref, comparisons, comments, reviews) and GitHub's rules:
  a review comment must sit on a line of the pull request's diff (else 422
  with GitHub's own error body), `commit_id` must belong to the pull request,
  installation tokens expire, and failures (e.g. a 403 secondary rate limit)
  can be queued for any endpoint.
- `FakeHost` implements `reviewbot.adapters.github.host.Host` directly on that state,
  for fast flow tests; `fakegithub_http.FakeGitHubServer` serves the same
  state over real HTTP for the PyGithub host.
- Every JSON answer starts from GitHub's documented response for that call
  (`documented`, from tests/fixtures/github-rest/responses.json) with the
  fake's state written over it, so PyGithub reads every field GitHub sends;
  the HTTP server also checks each answer against GitHub's schema.
- `MemoryStore` is an in-memory ReviewStore; `FakeClock` a clock whose
  sleep advances it at once.
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fakegithub_oauth import FakeOAuth

from reviewbot.adapters.github.host import (
    ChangedFile,
    Comparison,
    NotFound,
    PostedComment,
    PullInfo,
    ReviewDraft,
    ReviewRejected,
)
from reviewbot.llm.commits import from_api
from reviewbot.models import CommitMessage

DOCS = "https://docs.github.com/rest"
LINE_NOT_IN_DIFF = "Pull request review thread line must be part of the diff"
START_NOT_IN_HUNK = "Pull request review thread start line must be part of the same hunk as the line."
PATH_NOT_IN_DIFF = "Pull request review thread path is invalid"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out "
    "to GitHub Support for help, please include the request ID ABCD:1234."
)
MAX_CONTENT_BYTES = 1024 * 1024  # the contents API returns no content above this
TOKEN_LIFETIME = 3600.0
RECORDED = Path(__file__).parent / "fixtures" / "github-rest" / "responses.json"


@cache
def recorded() -> dict[str, dict[str, Any]]:
    """GitHub's documented responses by call name: method, path, status, JSON schema, example."""
    return json.loads(RECORDED.read_text(encoding="utf-8"))["calls"]


def documented(call: str, **values: Any) -> dict[str, Any]:
    """GitHub's example answer to `call` (the first item for a list), with `values` written over it."""
    example = recorded()[call]["example"]
    item = example[0] if isinstance(example, list) else example
    return {**copy.deepcopy(item), **values}


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")

# --- GitHub's rule for where a review comment may go --------------------------------------


def hunks(patch: str | None) -> list[dict[str, set[int]]]:
    """Each hunk of a files-endpoint patch: the line numbers commentable on each side."""
    found: list[dict[str, set[int]]] = []
    old = new = 0
    for line in (patch or "").split("\n"):
        header = _HUNK.match(line)
        if header:
            old, new = int(header.group(1)), int(header.group(3))
            found.append({"LEFT": set(), "RIGHT": set()})
        elif found and line.startswith("+"):
            found[-1]["RIGHT"].add(new)
            new += 1
        elif found and line.startswith("-"):
            found[-1]["LEFT"].add(old)
            old += 1
        elif found and line.startswith(" "):
            found[-1]["LEFT"].add(old)
            found[-1]["RIGHT"].add(new)
            old, new = old + 1, new + 1
    return found


def comment_error(files: dict[str, dict], comment: dict) -> str | None:
    """GitHub's error string for a review comment that cannot be placed, or None."""
    entry = files.get(comment.get("path", ""))
    if entry is None or not entry.get("patch"):
        return PATH_NOT_IN_DIFF
    side, line = comment.get("side", "RIGHT"), comment.get("line")
    holding = [h for h in hunks(entry["patch"]) if line in h[side]]
    if not holding:
        return LINE_NOT_IN_DIFF
    start = comment.get("start_line")
    if start is not None and (start >= line or start not in holding[0][comment.get("start_side", side)]):
        return START_NOT_IN_HUNK
    return None


# --- state -------------------------------------------------------------------------------------


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Failure:
    method: str
    path: re.Pattern[str]
    status: int
    body: Any  # JSON: an error object, or a recorded answer
    headers: dict[str, str]
    times: int = 1


@dataclass
class FakePull:
    number: int
    head: str
    base: str
    files: list[dict[str, Any]]
    author: str = "octocat"
    author_type: str = "User"
    draft: bool = False
    state: str = "open"
    title: str = "Update the code"
    body: str = ""
    commits: list[str] = field(default_factory=list)  # every head this pull request has had
    messages: dict[str, str] = field(default_factory=dict)  # commit -> its message (default: "Commit <sha>")
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    issue_comments: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FakeRepo:
    full_name: str
    default_branch: str = "main"
    contents: dict[str, dict[str, str | bytes]] = field(default_factory=dict)  # ref -> path -> content
    pulls: dict[int, FakePull] = field(default_factory=dict)
    comparisons: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


class FakeGitHub:
    """GitHub's state and rules; see the module docstring."""

    def __init__(self, slug: str = "reviewbot", app_id: int = 4242, clock: Any = time.time) -> None:
        self.slug, self.app_id, self.clock = slug, app_id, clock
        self.repos: dict[str, FakeRepo] = {}
        self.failures: list[Failure] = []
        self.requests: list[tuple[str, str, float]] = []  # (method, path, time) of every call
        self.tokens: dict[str, tuple[int, float]] = {}  # token -> (installation id, expires at)
        self.tokens_minted = 0
        self.public_key: Any = None  # set to check the App's JWTs
        self.rate_remaining = 4999  # x-ratelimit-remaining of successful answers
        self.rate_reset_in = 3600.0  # seconds until x-ratelimit-reset
        self.roles: dict[str, str] = {}  # login -> role_name on every repository
        self.reactions: list[tuple[int, str]] = []  # (review comment id, content)
        self.oauth = FakeOAuth()  # the user authorization flow ("Sign in with GitHub")
        self._ids = itertools.count(1000)
        self._lock = threading.RLock()

    # -- building state --

    def add_repo(self, full_name: str = "octo/hello", default_branch: str = "main") -> FakeRepo:
        self.repos[full_name] = FakeRepo(full_name, default_branch)
        return self.repos[full_name]

    def add_pull(
        self, repo: str, number: int, head: str, base: str, files: list[dict], **kwargs: Any
    ) -> FakePull:
        pull = FakePull(number, head, base, files, **kwargs)
        pull.commits.append(head)
        self.repos[repo].pulls[number] = pull
        return pull

    def push(self, repo: str, number: int, head: str, files: list[dict]) -> None:
        pull = self.repos[repo].pulls[number]
        pull.head, pull.files = head, files
        pull.commits.append(head)

    def set_file(self, repo: str, ref: str, path: str, content: str | bytes) -> None:
        self.repos[repo].contents.setdefault(ref, {})[path] = content

    def set_comparison(self, repo: str, base: str, head: str, status: str, files: list[dict]) -> None:
        self.repos[repo].comparisons[(base, head)] = {"status": status, "files": files}

    def fail(
        self, method: str, path: str, status: int, body: Any, headers: dict | None = None, times: int = 1
    ) -> None:
        """Answer the next `times` matching calls with this (an error, or a recorded answer) instead."""
        self.failures.append(Failure(method, re.compile(path), status, body, headers or {}, times))

    def secondary_rate_limit(
        self, method: str, path: str, retry_after: int | None = None, times: int = 1
    ) -> None:
        headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
        body = {
            "message": SECONDARY_MESSAGE,
            "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api",
        }
        self.fail(method, path, 403, body, headers, times)

    def primary_rate_limit(self, method: str, path: str, reset: float, times: int = 1) -> None:
        headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(reset))}
        body = {"message": "API rate limit exceeded for installation ID 1.", "documentation_url": DOCS}
        self.fail(method, path, 403, body, headers, times)

    # -- what happened --

    def calls(self, method: str | None = None, pattern: str = "") -> list[tuple[str, str, float]]:
        return [r for r in self.requests if (method is None or r[0] == method) and re.search(pattern, r[1])]

    def mutations(self) -> list[tuple[str, str, float]]:
        return [r for r in self.requests if r[0] != "GET" and not r[1].startswith("/app")]

    def pull(self, repo: str = "octo/hello", number: int = 1) -> FakePull:
        return self.repos[repo].pulls[number]

    # -- answering (status, json) --

    def record(self, method: str, path: str) -> tuple[int, Any, dict[str, str]] | None:
        """Log the call; a queued answer for it (status, body, headers) is returned instead of the usual one."""
        with self._lock:
            self.requests.append((method, path, self.clock()))
            for failure in self.failures:
                if failure.times > 0 and failure.method == method and failure.path.search(path):
                    failure.times -= 1
                    return failure.status, copy.deepcopy(failure.body), dict(failure.headers)
        return None

    def user(self, login: str, kind: str = "User") -> dict[str, Any]:
        example = recorded()["get-pull"]["example"]["user"]
        urls = {key: value.replace("octocat", login) for key, value in example.items() if key.endswith("_url")}
        return {
            **copy.deepcopy(example),
            **urls,
            "login": login,
            "id": abs(hash(login)) % 10**7,
            "url": f"https://api.github.com/users/{login}",
            "html_url": f"https://github.com/{login}",
            "type": kind,
            "site_admin": False,
        }

    @property
    def bot(self) -> dict[str, Any]:
        return self.user(f"{self.slug}[bot]", "Bot")

    def app_json(self) -> dict[str, Any]:
        return documented(
            "get-app",
            id=self.app_id, slug=self.slug, node_id="MDM6QXBwNDI0Mg==", owner=self.user("octo", "Organization"), name="reviewbot", description="A code-review bot that teaches", external_url="https://example.com", html_url=f"https://github.com/apps/{self.slug}", created_at="2024-01-01T00:00:00Z", updated_at="2024-01-01T00:00:00Z", permissions={
                "contents": "read",
                "issues": "write",
                "metadata": "read",
                "pull_requests": "write",
            }, events=["pull_request", "issue_comment", "pull_request_review_comment"], installations_count=1,
        )

    def mint_token(self, installation_id: int) -> dict[str, Any]:
        with self._lock:
            self.tokens_minted += 1
            token = f"ghs_fake{self.tokens_minted:06d}"
            expires = self.clock() + TOKEN_LIFETIME
            self.tokens[token] = (installation_id, expires)
        return documented(
            "create-installation-token",
            token=token,
            expires_at=iso(expires),
            permissions={
                "contents": "read",
                "issues": "write",
                "metadata": "read",
                "pull_requests": "write",
            },
            repository_selection="all",
        )

    def token_valid(self, token: str) -> bool:
        found = self.tokens.get(token)
        return found is not None and found[1] > self.clock()

    def pull_json(self, repo: FakeRepo, pull: FakePull, base_url: str) -> dict[str, Any]:
        url = f"{base_url}/repos/{repo.full_name}/pulls/{pull.number}"
        example = recorded()["get-pull"]["example"]
        part = lambda side, sha, ref: {
            **copy.deepcopy(example[side]), "label": f"octo:{ref}", "ref": ref, "sha": sha, "user": self.user("octo")
        }
        return documented(
            "get-pull",
            requested_teams=[],  # GitHub's own example lists a team without its required `type`
            url=url, id=500 + pull.number, node_id="PR_kw", html_url=f"https://github.com/{repo.full_name}/pull/{pull.number}", number=pull.number, state=pull.state, locked=False, title=pull.title, user=self.user(pull.author, pull.author_type), body=pull.body, draft=pull.draft, head=part("head", pull.head, "feature"), base=part("base", pull.base, repo.default_branch), created_at="2024-01-01T00:00:00Z", updated_at="2024-01-01T00:00:00Z",
        )

    def commits_json(self, repo: FakeRepo, pull: FakePull, base_url: str) -> list[dict[str, Any]]:
        """The list-commits answer: one entry per head the pull request has had, oldest first."""
        example = recorded()["list-pull-commits"]["example"][0]
        return [
            documented(
                "list-pull-commits",
                sha=sha, node_id=f"C_{sha[:8]}", url=f"{base_url}/repos/{repo.full_name}/commits/{sha}",
                html_url=f"https://github.com/{repo.full_name}/commit/{sha}",
                comments_url=f"{base_url}/repos/{repo.full_name}/commits/{sha}/comments",
                commit={**copy.deepcopy(example["commit"]), "message": pull.messages.get(sha, f"Commit {sha}"),
                        "url": f"{base_url}/repos/{repo.full_name}/git/commits/{sha}"},
            )
            for sha in pull.commits
        ]

    def file_json(self, repo: FakeRepo, entry: dict[str, Any]) -> dict[str, Any]:
        data = documented("list-pull-files")
        data.pop("patch", None)
        data.pop("previous_filename", None)
        data |= {
            "sha": "bbcd538c8e72b8c175046e27cc8f907076331401",
            "filename": entry["filename"],
            "status": entry["status"],
            "additions": entry.get("additions", 0),
            "deletions": entry.get("deletions", 0),
            "changes": entry.get("additions", 0) + entry.get("deletions", 0),
            "blob_url": f"https://github.com/{repo.full_name}/blob/x/{entry['filename']}",
            "raw_url": f"https://github.com/{repo.full_name}/raw/x/{entry['filename']}",
            "contents_url": f"https://api.github.com/repos/{repo.full_name}/contents/{entry['filename']}",
        }
        for key in ("patch", "previous_filename"):
            if entry.get(key) is not None:
                data[key] = entry[key]
        return data

    def content_json(self, repo: FakeRepo, path: str, ref: str | None) -> tuple[int, Any]:
        found = repo.contents.get(ref or repo.default_branch, {}).get(path)
        if found is None:
            return 404, {
                "message": "Not Found",
                "documentation_url": f"{DOCS}/repos/contents",
                "status": "404",
            }
        raw = found.encode("utf-8") if isinstance(found, str) else found
        big = len(raw) > MAX_CONTENT_BYTES
        encoded = "" if big else base64.encodebytes(raw).decode("ascii")
        return 200, documented(
            "get-content-file",
            type="file", encoding="none" if big else "base64", size=len(raw), name=path.rsplit("/", 1)[-1], path=path, content=encoded, sha="3d21ec53a331a6f037a91c368710b99387d012c1", url=f"https://api.github.com/repos/{repo.full_name}/contents/{path}",
        )

    def create_review(
        self, repo: FakeRepo, pull: FakePull, data: dict[str, Any], base_url: str
    ) -> tuple[int, dict]:
        """POST …/reviews: all or nothing, like GitHub."""
        with self._lock:
            problem = self._review_problem(pull, data)
            if problem:
                return 422, {
                    "message": "Unprocessable Entity",
                    "errors": [problem],
                    "documentation_url": DOCS,
                    "status": "422",
                }
            review_id = next(self._ids)
            state = {"COMMENT": "COMMENTED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "APPROVE": "APPROVED"}
            review = documented(
                "create-review",
                id=review_id, node_id="PRR_kw", user=self.bot, body=data.get("body", ""), state=state.get(data.get("event", ""), "PENDING"), html_url=f"https://github.com/{repo.full_name}/pull/{pull.number}#pullrequestreview-{review_id}", pull_request_url=f"{base_url}/repos/{repo.full_name}/pulls/{pull.number}", submitted_at=iso(self.clock()), commit_id=data.get("commit_id", pull.head), author_association="NONE", event=data.get("event"),
            )
            pull.reviews.append(review)
            for comment in data.get("comments", []):
                pull.review_comments.append(self._review_comment(repo, pull, review, comment, base_url))
            return 200, review

    def _review_problem(self, pull: FakePull, data: dict[str, Any]) -> str | None:
        if data.get("event") == "REQUEST_CHANGES" and not data.get("body"):
            return "Body is required when requesting changes"
        if data.get("commit_id") and data["commit_id"] not in pull.commits:
            return "Pull request review commit_id is not part of the pull request"
        files = {f["filename"]: f for f in pull.files}
        return next(filter(None, (comment_error(files, c) for c in data.get("comments", []))), None)

    def _review_comment(
        self, repo: FakeRepo, pull: FakePull, review: dict, comment: dict, base_url: str
    ) -> dict:
        comment_id = next(self._ids)
        made = documented("list-review-comments")
        for key in ("in_reply_to_id", "position", "original_position"):
            made.pop(key, None)
        return made | {
            "url": f"{base_url}/repos/{repo.full_name}/pulls/comments/{comment_id}",
            "pull_request_review_id": review["id"],
            "id": comment_id,
            "node_id": "PRRC_kw",
            "diff_hunk": "@@ -1 +1 @@",
            "path": comment["path"],
            "commit_id": review["commit_id"],
            "original_commit_id": review["commit_id"],
            "user": review["user"],
            "body": comment["body"],
            "created_at": review["submitted_at"],
            "updated_at": review["submitted_at"],
            "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}#discussion_r{comment_id}",
            "pull_request_url": f"{base_url}/repos/{repo.full_name}/pulls/{pull.number}",
            "author_association": "NONE",
            "start_line": comment.get("start_line"),
            "original_start_line": comment.get("start_line"),
            "start_side": comment.get("start_side"),
            "line": comment.get("line"),
            "original_line": comment.get("line"),
            "side": comment.get("side", "RIGHT"),
            "subject_type": "line",
        }

    def reply(
        self, repo: FakeRepo, pull: FakePull, comment_id: int, body: str, base_url: str
    ) -> tuple[int, dict]:
        parent = next((c for c in pull.review_comments if c["id"] == comment_id), None)
        if parent is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}
        review = {
            "id": next(self._ids),
            "commit_id": parent["commit_id"],
            "user": self.bot,
            "submitted_at": iso(self.clock()),
        }
        reply = self._review_comment(repo, pull, review, {**parent, "body": body}, base_url)
        reply["in_reply_to_id"] = comment_id
        pull.review_comments.append(reply)
        return 201, reply

    def issue_comment(self, repo: FakeRepo, pull: FakePull, body: str, base_url: str) -> tuple[int, dict]:
        comment_id = next(self._ids)
        comment = documented(
            "create-issue-comment",
            id=comment_id, node_id="IC_kw", url=f"{base_url}/repos/{repo.full_name}/issues/comments/{comment_id}", html_url=f"https://github.com/{repo.full_name}/pull/{pull.number}#issuecomment-{comment_id}", body=body, user=self.bot, created_at=iso(self.clock()), updated_at=iso(self.clock()), issue_url=f"{base_url}/repos/{repo.full_name}/issues/{pull.number}", author_association="NONE", performed_via_github_app=self.app_json(),
        )
        pull.issue_comments.append(comment)
        return 201, comment


# --- the in-memory Host ------------------------------------------------------------------------


class FakeHost:
    """`Host` on a FakeGitHub's state, with GitHub's rules; no HTTP."""

    base_url = "https://api.github.com"

    def __init__(self, github: FakeGitHub) -> None:
        self.github = github

    def _answer(self, method: str, path: str) -> None:
        failed = self.github.record(method, path)
        if failed and failed[0] == 404:
            raise NotFound(f"GitHub has no {path} (404)")
        if failed:
            raise AssertionError(f"FakeHost does not simulate {failed[0]}; use FakeGitHubServer")

    def _pull(self, repo: str, number: int) -> tuple[FakeRepo, FakePull]:
        found = self.github.repos[repo]
        return found, found.pulls[number]

    def app_slug(self) -> str:
        self._answer("GET", "/app")
        return self.github.slug

    def pull_request(self, repo: str, number: int) -> PullInfo:
        self._answer("GET", f"/repos/{repo}/pulls/{number}")
        _, p = self._pull(repo, number)
        return PullInfo(number, p.head, p.base, p.author, p.author_type, p.draft, p.state, p.title, p.body,
                        f"https://github.com/{repo}/pull/{number}")

    def pull_request_files(self, repo: str, number: int) -> tuple[ChangedFile, ...]:
        self._answer("GET", f"/repos/{repo}/pulls/{number}/files")
        return tuple(map(changed_file, self._pull(repo, number)[1].files))

    def pull_request_commits(self, repo: str, number: int) -> tuple[CommitMessage, ...]:
        self._answer("GET", f"/repos/{repo}/pulls/{number}/commits")
        return from_api(self.github.commits_json(*self._pull(repo, number), self.base_url))

    def compare(self, repo: str, base: str, head: str) -> Comparison:
        self._answer("GET", f"/repos/{repo}/compare/{base}...{head}")
        found = self.github.repos[repo].comparisons.get((base, head))
        if found is None:
            raise NotFound(f"GitHub has no comparison {base}...{head} (404)")
        return Comparison(found["status"], tuple(map(changed_file, found["files"])))

    def file_at(self, repo: str, path: str, ref: str) -> str | None:
        self._answer("GET", f"/repos/{repo}/contents/{path}?ref={ref}")
        return _text(self.github.repos[repo].contents.get(ref, {}).get(path))

    def default_branch_file(self, repo: str, path: str) -> str | None:
        self._answer("GET", f"/repos/{repo}/contents/{path}")
        found = self.github.repos[repo]
        return _text(found.contents.get(found.default_branch, {}).get(path))

    def review_comments(self, repo: str, number: int) -> tuple[PostedComment, ...]:
        self._answer("GET", f"/repos/{repo}/pulls/{number}/comments")
        return tuple(
            PostedComment(
                c["id"], c["user"]["login"], c["body"], c["path"], c["line"], c.get("in_reply_to_id")
            )
            for c in self._pull(repo, number)[1].review_comments
        )

    def reviews(self, repo: str, number: int) -> tuple[PostedComment, ...]:
        self._answer("GET", f"/repos/{repo}/pulls/{number}/reviews")
        return tuple(
            PostedComment(r["id"], r["user"]["login"], r["body"], commit_id=r.get("commit_id"))
            for r in self._pull(repo, number)[1].reviews
        )

    def post_review(self, repo: str, number: int, draft: ReviewDraft) -> int:
        self._answer("POST", f"/repos/{repo}/pulls/{number}/reviews")
        data = {"commit_id": draft.commit_id, "body": draft.body, "event": draft.event}
        data["comments"] = [c.as_json() for c in draft.comments]
        status, answer = self.github.create_review(*self._pull(repo, number), data, self.base_url)
        if status == 422:
            raise ReviewRejected(tuple(answer["errors"]))
        return answer["id"]

    def reply(self, repo: str, number: int, comment_id: int, body: str) -> int:
        self._answer("POST", f"/repos/{repo}/pulls/{number}/comments/{comment_id}/replies")
        return self.github.reply(*self._pull(repo, number), comment_id, body, self.base_url)[1]["id"]

    def comment(self, repo: str, number: int, body: str) -> int:
        self._answer("POST", f"/repos/{repo}/issues/{number}/comments")
        return self.github.issue_comment(*self._pull(repo, number), body, self.base_url)[1]["id"]

    def add_reaction(self, repo: str, number: int, comment_id: int, content: str) -> None:
        self._answer("POST", f"/repos/{repo}/pulls/comments/{comment_id}/reactions")
        self.github.reactions.append((comment_id, content))

    def permission(self, repo: str, login: str) -> str:
        self._answer("GET", f"/repos/{repo}/collaborators/{login}/permission")
        return self.github.roles.get(login, "none")


def changed_file(entry: dict[str, Any]) -> ChangedFile:
    return ChangedFile(
        entry["filename"],
        entry["status"],
        entry.get("patch"),
        entry.get("previous_filename"),
        entry.get("additions", 0),
        entry.get("deletions", 0),
    )


def _text(found: str | bytes | None) -> str | None:
    if found is None or isinstance(found, bytes):
        return None
    return found


# --- the store --------------------------------------------------------------------------------


class MemoryStore:
    """ReviewStore in memory."""

    def __init__(self) -> None:
        self.claimed: set[str] = set()
        self.heads: dict[tuple[str, int], str] = {}

    def claim_delivery(self, delivery_id: str) -> bool:
        if delivery_id in self.claimed:
            return False
        self.claimed.add(delivery_id)
        return True

    def release_delivery(self, delivery_id: str) -> None:
        self.claimed.discard(delivery_id)

    def last_reviewed_head(self, repo_full_name: str, pr_number: int) -> str | None:
        return self.heads.get((repo_full_name, pr_number))

    def set_last_reviewed_head(self, repo_full_name: str, pr_number: int, sha: str) -> None:
        self.heads[(repo_full_name, pr_number)] = sha

    def ping(self) -> None:
        return None


# --- time ---------------------------------------------------------------------------------------


class FakeClock:
    """now() and sleep() in fake seconds: sleeping advances the clock at once."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += max(seconds, 0.0)
