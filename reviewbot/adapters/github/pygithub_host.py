"""The real `Host`: GitHub's REST API through PyGithub.

`GitHubApp` is built once per worker process. It holds what is shared by
every job: the App's JWT authentication, the installation-token cache, the
App's slug, and one `Pacer` per installation so mutating calls of an
installation go out one at a time, a second apart, whichever job makes them.
`host_for(installation_id)` gives a `PyGithubHost` for one job.
`GitHubToken` does the same for one fixed token (a workflow's GITHUB_TOKEN
in the Action): no JWT, no token minting, its comments authored by
`github-actions[bot]`.

PyGithub's own pacing and retries are switched off: the same rules live in
`reviewbot.adapters.github.ratelimit` with an injected clock and sleep, shared across
clients, and testable without waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import quote

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from github import (
    Auth,
    Github,
    GithubException,
    GithubIntegration,
    UnknownObjectException,
)
from github.ContentFile import ContentFile
from github.GithubObject import NonCompletableGithubObject
from github.PaginatedList import PaginatedList
from github.PullRequest import ReviewComment
from github.Repository import Repository

from reviewbot.accounts import DEFAULT_API_URL
from reviewbot.adapters.github.host import (
    ChangedFile,
    Comparison,
    Forbidden,
    HostError,
    NotFound,
    PostedComment,
    PullInfo,
    RateLimited,
    ReviewDraft,
    ReviewRejected,
)
from reviewbot.adapters.github.ratelimit import (
    MAX_WAIT,
    Pacer,
    rate_limit_wait,
    retrying,
    wait_before_call,
)
from reviewbot.adapters.github.tokens import Token, TokenCache
from reviewbot.llm.commits import from_api
from reviewbot.models import CommitMessage
from reviewbot.review.lazytext import source_text

T = TypeVar("T")
ROLES = ("admin", "maintain", "write", "triage", "read", "none")
PER_PAGE = 100  # the most the list endpoints return per page
TIMEOUT = 30


class RawItem(NonCompletableGithubObject):
    """A list item kept as GitHub's JSON (`raw_data`).

    PyGithub completes an object with one more GET whenever an absent field is
    read (a root review comment has no `in_reply_to_id`); plain dictionaries
    never do.
    """

    def _initAttributes(self) -> None:
        pass

    def _useAttributes(self, attributes: Any) -> None:
        pass


class InstallationTokenAuth(Auth.Auth):
    """PyGithub authentication with a token from the shared cache, looked up per request."""

    def __init__(self, token: Callable[[], str]) -> None:
        self._token = token

    @property
    def token_type(self) -> str:
        return "token"

    @property
    def token(self) -> str:
        return self._token()


def _quiet() -> dict[str, Any]:
    """PyGithub options that leave pacing and retries to reviewbot."""
    return {
        "retry": None,
        "seconds_between_requests": None,
        "seconds_between_writes": None,
        "timeout": TIMEOUT,
    }


def app_jwt_signer(private_key: str) -> Callable[[dict[str, Any]], str]:
    """RS256 signing of the App's JWTs with its key parsed once.

    Given the PEM text, PyJWT parses it again for every JWT: about 27 ms of CPU
    with the interpreter lock held, during which no other thread of the process
    runs. In the server that is the webhook intake's event loop, so every token
    a job minted was a 27 ms stall of every delivery in flight. A parsed key
    signs in a fraction of a millisecond.
    """
    key = load_pem_private_key(private_key.encode("utf-8"), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("a GitHub App's private key is an RSA key (its tokens are signed with RS256)")
    return lambda payload: jwt.encode(payload, key=key, algorithm="RS256")


class GitHubApp:
    """The App: JWT authentication, installation tokens, slug, and per-installation pacing."""

    def __init__(
        self,
        app_id: int,
        private_key: str,
        api_url: str = DEFAULT_API_URL,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url, self.clock, self.sleep = api_url.rstrip("/"), clock, sleep
        self._integration = GithubIntegration(
            auth=Auth.AppAuth(app_id, sign_func=app_jwt_signer(private_key)), base_url=self.api_url, **_quiet()
        )
        self.tokens = TokenCache(self._mint, clock)
        self._pacers: dict[int, Pacer] = {}
        self._slug: str | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> GitHubApp:
        """From `reviewbot.settings.AppSettings` (app_id, private_key, api_url)."""
        return cls(settings.app_id, settings.private_key, settings.api_url, **kwargs)

    def _mint(self, installation_id: int) -> Token:
        grant = self._app_call(lambda: self._integration.get_access_token(installation_id))
        return Token(grant.token, grant.expires_at.timestamp())

    def _app_call(self, call: Callable[[], T]) -> T:
        return _translate(lambda: retrying(call, self.wait_for, self.sleep), "the App's authentication")

    def wait_for(self, error: Exception, attempt: int) -> float | None:
        return _wait_for(error, attempt, self.clock())

    def app_slug(self) -> str:
        with self._lock:
            if self._slug is None:
                self._slug = self._app_call(lambda: self._integration.get_app().slug)
            return self._slug

    def pacer(self, installation_id: int) -> Pacer:
        with self._lock:
            return self._pacers.setdefault(installation_id, Pacer(self.clock, self.sleep))

    def host_for(self, installation_id: int) -> PyGithubHost:
        return PyGithubHost(self, installation_id)


class FixedToken:
    """The token cache's interface for a token that never changes."""

    def __init__(self, value: str) -> None:
        self._value = value

    def token(self, installation_id: int) -> str:
        return self._value

    def forget(self, installation_id: int) -> None:
        pass  # nothing to renew: a refused token stays refused


class GitHubToken:
    """One fixed token (a workflow's GITHUB_TOKEN): what `PyGithubHost` needs of `GitHubApp`.

    `slug` names the account the token writes as: `github-actions` for the
    workflow token, whose comments GitHub authors as `github-actions[bot]`.
    """

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_API_URL,
        slug: str = "github-actions",
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url, self.clock, self.sleep = api_url.rstrip("/"), clock, sleep
        self.tokens = FixedToken(token)
        self._slug = slug
        self._pacer = Pacer(clock, sleep)

    def wait_for(self, error: Exception, attempt: int) -> float | None:
        return _wait_for(error, attempt, self.clock())

    def app_slug(self) -> str:
        return self._slug

    def pacer(self, installation_id: int) -> Pacer:
        return self._pacer

    def host_for(self, installation_id: int = 0) -> PyGithubHost:
        return PyGithubHost(self, installation_id)


def _wait_for(error: Exception, attempt: int, now: float) -> float | None:
    """Seconds to wait before retrying a call PyGithub raised `error` for; None: do not retry."""
    if not isinstance(error, GithubException):
        return None
    data = error.data if isinstance(error.data, dict) else {}
    return rate_limit_wait(error.status, dict(error.headers or {}), str(data.get("message", "")), now, attempt)


def _translate(call: Callable[[], T], what: str) -> T:
    """PyGithub's exceptions as the host's errors."""
    try:
        return call()
    except UnknownObjectException as error:
        raise NotFound(f"GitHub has no {what} (404)") from error
    except GithubException as error:
        data = error.data if isinstance(error.data, dict) else {}
        kind = Forbidden if error.status == 403 else HostError
        raise kind(f"GitHub answered {error.status} to {what}: {data.get('message', error.data)}") from error


class PyGithubHost:
    """The calls of one installation (one job)."""

    def __init__(self, app: GitHubApp | GitHubToken, installation_id: int) -> None:
        self._app, self._id = app, installation_id
        auth = InstallationTokenAuth(lambda: app.tokens.token(installation_id))
        self._gh = Github(auth=auth, base_url=app.api_url, per_page=PER_PAGE, lazy=True, **_quiet())

    # --- the two ways of calling GitHub -------------------------------------------------

    def _read(self, call: Callable[[], T], what: str) -> T:
        return _translate(lambda: retrying(self._held(call), self._wait_for, self._app.sleep), what)

    def _write(self, call: Callable[[], T], what: str) -> T:
        with self._app.pacer(self._id).turn():
            return self._read(call, what)

    def _held(self, call: Callable[[], T]) -> Callable[[], T]:
        """`call`, held back first while the last response said the quota is spent."""

        def run() -> T:
            remaining, _ = self._gh.requester.rate_limiting
            wait = wait_before_call(remaining, self._gh.requester.rate_limiting_resettime, self._app.clock())
            if wait > MAX_WAIT:
                raise RateLimited(wait)
            if wait:
                self._app.sleep(wait)
            return call()

        return run

    def _wait_for(self, error: Exception, attempt: int) -> float | None:
        if isinstance(error, GithubException) and error.status == 401 and attempt == 0:
            self._app.tokens.forget(self._id)  # revoked or expired early: mint a new one once
            return 0.0
        return self._app.wait_for(error, attempt)

    def _repo(self, repo: str) -> Repository:
        return self._gh.get_repo(repo)

    # --- Host ----------------------------------------------------------------------------

    def app_slug(self) -> str:
        return self._app.app_slug()

    def rate_limit_remaining(self) -> int | None:
        """Requests left in this installation's hour, from the last response (None: unknown yet)."""
        remaining, _ = self._gh.requester.rate_limiting
        return remaining if remaining >= 0 else None

    def pull_request(self, repo: str, number: int) -> PullInfo:
        def call() -> PullInfo:
            pr = self._repo(repo).get_pull(number)
            return PullInfo(
                number, pr.head.sha, pr.base.sha, pr.user.login, pr.user.type, bool(pr.draft), pr.state,
                pr.title or "", pr.body or "", pr.html_url or "",
            )

        return self._read(call, f"pull request {repo}#{number}")

    def pull_request_files(self, repo: str, number: int) -> tuple[ChangedFile, ...]:
        files = lambda: tuple(map(_changed_file, self._repo(repo).get_pull(number).get_files()))
        return self._read(files, f"files of {repo}#{number}")

    def pull_request_commits(self, repo: str, number: int) -> tuple[CommitMessage, ...]:
        def call() -> tuple[CommitMessage, ...]:
            url = f"{self._repo(repo).url}/pulls/{number}/commits"
            return from_api(item.raw_data for item in PaginatedList(RawItem, self._gh.requester, url, None))

        return self._read(call, f"commits of {repo}#{number}")

    def compare(self, repo: str, base: str, head: str) -> Comparison:
        def call() -> Comparison:
            comparison = self._repo(repo).compare(base, head)
            return Comparison(comparison.status, tuple(map(_changed_file, comparison.files)))

        return self._read(call, f"comparison {base[:7]}...{head[:7]} in {repo}")

    def file_at(self, repo: str, path: str, ref: str) -> str | None:
        return self._content(repo, path, ref)

    def default_branch_file(self, repo: str, path: str) -> str | None:
        return self._content(repo, path, None)  # no ref: GitHub reads the default branch

    def _content(self, repo: str, path: str, ref: str | None) -> str | None:
        args = (path,) if ref is None else (path, ref)
        try:
            found = self._read(lambda: self._repo(repo).get_contents(*args), f"file {path} in {repo}")
        except NotFound:
            return None
        return _text(found)

    def review_comments(self, repo: str, number: int) -> tuple[PostedComment, ...]:
        def call() -> tuple[PostedComment, ...]:
            url = f"{self._repo(repo).url}/pulls/{number}/comments"
            return tuple(
                _posted(item.raw_data) for item in PaginatedList(RawItem, self._gh.requester, url, None)
            )

        return self._read(call, f"review comments of {repo}#{number}")

    def reviews(self, repo: str, number: int) -> tuple[PostedComment, ...]:
        def call() -> tuple[PostedComment, ...]:
            pulls = self._repo(repo).get_pull(number).get_reviews()
            return tuple(
                PostedComment(r.id, r.user.login if r.user else "", r.body or "", commit_id=r.commit_id)
                for r in pulls
            )

        return self._read(call, f"reviews of {repo}#{number}")

    def post_review(self, repo: str, number: int, draft: ReviewDraft) -> int:
        def call() -> int:
            target = self._repo(repo)
            comments = [cast("ReviewComment", c.as_json()) for c in draft.comments]  # the same fields
            review = target.get_pull(number).create_review(
                commit=target.get_commit(draft.commit_id),
                body=draft.body,
                event=draft.event,
                comments=comments,
            )
            return review.id

        try:
            return self._write(call, f"a review on {repo}#{number}")
        except HostError as error:
            cause = error.__cause__
            if isinstance(cause, GithubException) and cause.status == 422:
                raise ReviewRejected(_errors(cause.data)) from cause
            raise

    def reply(self, repo: str, number: int, comment_id: int, body: str) -> int:
        call = lambda: self._repo(repo).get_pull(number).create_review_comment_reply(comment_id, body).id
        return self._write(call, f"a reply in {repo}#{number}")

    def comment(self, repo: str, number: int, body: str) -> int:
        call = lambda: self._repo(repo).get_issue(number).create_comment(body).id
        return self._write(call, f"a comment on {repo}#{number}")

    # --- the calls why-threads add (reviewbot.app.threads.ThreadHost) ---------------------

    def add_reaction(self, repo: str, number: int, comment_id: int, content: str) -> None:
        """POST /repos/{repo}/pulls/comments/{id}/reactions (review comment ids are per repository)."""
        url = f"{self._repo(repo).url}/pulls/comments/{comment_id}/reactions"
        call = lambda: self._gh.requester.requestJsonAndCheck("POST", url, input={"content": content})
        self._write(call, f"a reaction in {repo}#{number}")

    def permission(self, repo: str, login: str) -> str:
        """admin | maintain | write | triage | read | none: `login`'s role on the repository."""
        url = f"{self._repo(repo).url}/collaborators/{quote(login, safe='')}/permission"
        try:
            _, data = self._read(
                lambda: self._gh.requester.requestJsonAndCheck("GET", url), f"{login}'s role"
            )
        except NotFound:
            return "none"
        role = data.get("role_name")
        return role if role in ROLES else str(data.get("permission") or "none")  # a custom role: its base


def _changed_file(entry: Any) -> ChangedFile:
    return ChangedFile(
        entry.filename,
        entry.status,
        entry.patch or None,
        entry.previous_filename,
        entry.additions or 0,
        entry.deletions or 0,
    )


def _posted(data: dict[str, Any]) -> PostedComment:
    return PostedComment(
        data["id"],
        (data.get("user") or {}).get("login", ""),
        data.get("body") or "",
        data.get("path"),
        data.get("line"),
        data.get("in_reply_to_id"),
        (data.get("user") or {}).get("type", "User"),
    )


def _text(found: ContentFile | list[ContentFile]) -> str | None:
    """A file's text; None for directories, symlinks, submodules, binary or over-1-MB files."""
    if isinstance(found, list) or found.type != "file" or found.encoding != "base64":
        return None
    return source_text(found.decoded_content)


def _errors(data: Any) -> tuple[str, ...]:
    """The strings of GitHub's 422 `errors` array (strings or objects)."""
    errors = data.get("errors", []) if isinstance(data, dict) else []
    return tuple(e if isinstance(e, str) else str(e.get("message") or e) for e in errors) or (
        (str(data.get("message")),) if isinstance(data, dict) and data.get("message") else ()
    )
