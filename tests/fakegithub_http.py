"""The fake GitHub over real HTTP on 127.0.0.1, for the PyGithub host.

PyGithub sends its requests with `requests`, which respx cannot intercept,
so the real adapter is tested against this threaded server instead. It
answers from a `fakegithub.FakeGitHub` with GitHub's JSON shapes, `Link`
pagination, `x-ratelimit-*` headers, RS256 JWT checks for the App's own
calls, token checks for installation calls, and any queued failure.

Every answer is checked against GitHub's JSON schema for that call and
status (tests/fixtures/github-rest/responses.json); leaving the context
fails the test with the answers GitHub would never have given.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from fakegithub import DOCS, FakeGitHub, FakePull, FakeRepo, documented, recorded


class FakeGitHubServer:
    """FakeGitHub over HTTP on 127.0.0.1; use as a context manager. `url` is GITHUB_API_URL."""

    def __init__(self, github: FakeGitHub, prefix: str = "") -> None:
        self.github, self.prefix = github, prefix
        self.problems: list[str] = []  # answers that differ from GitHub's documented schema
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"

    def __enter__(self) -> FakeGitHubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        if exc[0] is None:
            self.check()

    def check(self) -> None:
        """Fail when the fake gave an answer GitHub's documentation says it never gives."""
        assert not self.problems, "the fake GitHub strayed from GitHub's schema:\n" + "\n".join(self.problems)


def _handler_for(server: FakeGitHubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        fake = server

    return Handler


_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    (method, re.compile(pattern + r"$"), name)
    for method, pattern, name in [
        ("GET", r"/app", "get_app"),
        ("POST", r"/app/installations/(?P<installation>\d+)/access_tokens", "post_token"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)", "get_pull"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)/files", "get_files"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)/commits", "get_commits"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)/comments", "get_review_comments"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)/reviews", "get_reviews"),
        ("POST", r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)/reviews", "post_review"),
        (
            "POST",
            r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)/comments/(?P<comment>\d+)/replies",
            "post_reply",
        ),
        ("POST", r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/comments", "post_issue_comment"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/compare/(?P<base>[^/.]+)\.\.\.(?P<head>[^/]+)", "get_compare"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/contents/(?P<path>.+)", "get_contents"),
        ("POST", r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/comments/(?P<comment>\d+)/reactions", "post_reaction"),
        ("GET", r"/repos/(?P<repo>[^/]+/[^/]+)/collaborators/(?P<login>[^/]+)/permission", "get_permission"),
        ("GET", r"/login/oauth/authorize", "oauth_authorize"),
        ("POST", r"/login/oauth/access_token", "oauth_access_token"),
        ("GET", r"/user", "oauth_user"),
        ("DELETE", r"/applications/(?P<client_id>[^/]+)/token", "oauth_revoke"),
    ]
]


# (route, status) -> the call in tests/fixtures/github-rest/responses.json whose schema the answer follows
DOCUMENTED = {
    ("get_app", 200): "get-app",
    ("post_token", 201): "create-installation-token",
    ("get_pull", 200): "get-pull",
    ("get_files", 200): "list-pull-files",
    ("get_commits", 200): "list-pull-commits",
    ("get_compare", 200): "compare",
    ("get_contents", 200): "get-content-file",
    ("get_review_comments", 200): "list-review-comments",
    ("get_reviews", 200): "list-reviews",
    ("post_review", 200): "create-review",
    ("post_review", 422): "create-review-rejected",
    ("post_reply", 201): "create-reply",
    ("post_issue_comment", 201): "create-issue-comment",
    ("post_reaction", 201): "create-reaction",
    ("get_permission", 200): "get-permission",
    ("oauth_user", 200): "get-authenticated-user",
}
ERROR = "create-review-forbidden"  # GitHub's "Basic Error": the body of its 4xx and 5xx answers


def schema_problems(route: str | None, status: int, data: Any) -> list[str]:
    """How an answer differs from GitHub's documented schema for it (nothing when it matches)."""

    call = DOCUMENTED.get((route or "", status)) or (ERROR if status >= 400 else None)
    if call is None:
        return [f"{route} answered {status}, which GitHub does not document for it"]
    validator = _validator(call)
    return [f"{route} {status}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(data)]


@functools.cache
def _validator(call: str) -> Any:
    import jsonschema

    return jsonschema.Draft7Validator(recorded()[call]["schema"])


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGitHubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def github(self) -> FakeGitHub:
        return self.fake.github

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        url = urlparse(self.path)
        path = unquote(url.path)[len(self.fake.prefix) :]
        self.query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        form = (self.headers.get("content-type") or "").startswith("application/x-www-form-urlencoded")
        self.body = {k: v[-1] for k, v in parse_qs(raw.decode()).items()} if form else json.loads(raw or b"null")
        self.route = next(((name, match.groupdict()) for verb, pattern, name in _ROUTES
                           if verb == method and (match := pattern.match(path))), None)
        failed = self.github.record(method, path + (f"?{url.query}" if url.query else ""))
        if failed:
            return self._send(*failed, checked=failed[0] >= 400)  # a test's canned success is its own
        if self.route is not None:
            return self._routed(*self.route)
        self._send(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})

    def _routed(self, name: str, args: dict[str, str]) -> None:
        if name.startswith("oauth_"):
            return getattr(self, name)(**args)  # the user authorization flow checks its own credentials
        denied = self._check_auth(name.endswith(("_app", "_token")))
        if denied:
            return self._send(401, {"message": denied, "documentation_url": DOCS, "status": "401"})
        if "repo" in args and args["repo"] not in self.github.repos:
            return self._send(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})
        status, data, *extra = getattr(self, name)(**args)
        self._send(status, data, extra[0] if extra else {})

    def _check_auth(self, as_app: bool) -> str | None:
        kind, _, credential = (self.headers.get("authorization") or "").partition(" ")
        if as_app:
            return (
                None
                if kind == "Bearer" and self._jwt_ok(credential)
                else "A JSON web token could not be decoded"
            )
        if kind.lower() != "token" or not self.github.token_valid(credential):
            return "Bad credentials"
        return None

    def _jwt_ok(self, token: str) -> bool:
        if self.github.public_key is None:
            return bool(token)
        import jwt

        try:
            claims = jwt.decode(
                token, self.github.public_key, algorithms=["RS256"], options={"verify_iat": False}
            )
        except jwt.PyJWTError:
            return False
        return claims.get("iss") == str(self.github.app_id) and claims["exp"] - claims["iat"] <= 660

    def _send(self, status: int, data: Any, headers: dict[str, str] | None = None, checked: bool = True) -> None:
        if checked:
            self.fake.problems += schema_problems(self.route[0] if self.route else None, status, data)
        payload = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("content-length", str(len(payload)))
        self.send_header("x-github-media-type", "github.v3; format=json")
        defaults = {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": str(self.github.rate_remaining),
            "x-ratelimit-reset": str(int(self.github.clock() + self.github.rate_reset_in)),
            "x-ratelimit-used": "1",
            "x-ratelimit-resource": "core",
        }
        for name, value in {**defaults, **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    # -- pagination --

    def _page(self, items: list[Any], path: str) -> tuple[int, list[Any], dict[str, str]]:
        per_page = min(int(self.query.get("per_page", 30)), 100)
        page = int(self.query.get("page", 1))
        last = max(1, -(-len(items) // per_page))
        links = []
        for rel, number in (("prev", page - 1), ("next", page + 1), ("last", last), ("first", 1)):
            if 1 <= number <= last and number != page:
                query = urlencode({"per_page": per_page, "page": number})
                links.append(f'<{self.fake.url}{path}?{query}>; rel="{rel}"')
        headers = {"link": ", ".join(links)} if links else {}
        return 200, items[(page - 1) * per_page : page * per_page], headers

    # -- endpoints --

    def _repo_pull(self, repo: str, number: str) -> tuple[FakeRepo, FakePull | None]:
        found = self.github.repos[repo]
        return found, found.pulls.get(int(number))

    def get_app(self) -> tuple[int, dict]:
        return 200, self.github.app_json()

    def post_token(self, installation: str) -> tuple[int, dict]:
        return 201, self.github.mint_token(int(installation))

    def get_pull(self, repo: str, number: str) -> tuple[int, Any]:
        found, pull = self._repo_pull(repo, number)
        if pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}
        return 200, self.github.pull_json(found, pull, self.fake.url)

    def get_files(self, repo: str, number: str) -> tuple[int, Any, dict]:
        found, pull = self._repo_pull(repo, number)
        items = [self.github.file_json(found, f) for f in pull.files]
        return self._page(items, f"/repos/{repo}/pulls/{number}/files")

    def get_commits(self, repo: str, number: str) -> tuple[int, Any, dict]:
        found, pull = self._repo_pull(repo, number)
        items = self.github.commits_json(found, pull, self.fake.url)
        return self._page(items, f"/repos/{repo}/pulls/{number}/commits")

    def get_review_comments(self, repo: str, number: str) -> tuple[int, Any, dict]:
        _, pull = self._repo_pull(repo, number)
        return self._page(pull.review_comments, f"/repos/{repo}/pulls/{number}/comments")

    def get_reviews(self, repo: str, number: str) -> tuple[int, Any, dict]:
        _, pull = self._repo_pull(repo, number)
        return self._page(pull.reviews, f"/repos/{repo}/pulls/{number}/reviews")

    def post_review(self, repo: str, number: str) -> tuple[int, Any]:
        found, pull = self._repo_pull(repo, number)
        return self.github.create_review(found, pull, self.body or {}, self.fake.url)

    def post_reply(self, repo: str, number: str, comment: str) -> tuple[int, Any]:
        found, pull = self._repo_pull(repo, number)
        return self.github.reply(found, pull, int(comment), (self.body or {}).get("body", ""), self.fake.url)

    def post_issue_comment(self, repo: str, number: str) -> tuple[int, Any]:
        found, pull = self._repo_pull(repo, number)
        return self.github.issue_comment(found, pull, (self.body or {}).get("body", ""), self.fake.url)

    def get_compare(self, repo: str, base: str, head: str) -> tuple[int, Any]:
        found = self.github.repos[repo]
        comparison = found.comparisons.get((base, head))
        if comparison is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}
        example = recorded()["compare"]["example"]
        commit = lambda sha: {**example["base_commit"], "sha": sha, "url": f"{self.fake.url}/repos/{repo}/commits/{sha}"}
        return 200, documented("compare", url=f"{self.fake.url}/repos/{repo}/compare/{base}...{head}", html_url=f"https://github.com/{repo}/compare/{base}...{head}", status=comparison["status"], ahead_by=1, behind_by=0, total_commits=1, base_commit=commit(base), merge_base_commit=commit(base), commits=[], files=[self.github.file_json(found, f) for f in comparison["files"]])

    def get_contents(self, repo: str, path: str) -> tuple[int, Any]:
        return self.github.content_json(self.github.repos[repo], path, self.query.get("ref"))

    def post_reaction(self, repo: str, comment: str) -> tuple[int, Any]:
        content = (self.body or {}).get("content", "")
        self.github.reactions.append((int(comment), content))
        return 201, documented(
            "create-reaction", id=len(self.github.reactions), node_id="REA_kw", user=self.github.bot, content=content
        )

    def get_permission(self, repo: str, login: str) -> tuple[int, Any]:
        role = self.github.roles.get(login, "none")
        base = {"maintain": "write", "triage": "read"}.get(role, role)
        base = base if base in ("admin", "write", "read", "none") else "read"
        user = self.github.user(login)
        return 200, documented("get-permission", permission=base, role_name=role, user={**user, "role_name": role})

    # -- the user authorization flow (tests/fakegithub_oauth.py) --

    def oauth_authorize(self) -> None:
        location = self.github.oauth.authorize(self.query, self.github.clock())
        self.send_response(302)
        self.send_header("location", location)
        self.send_header("content-length", "0")
        self.end_headers()

    def oauth_access_token(self) -> None:
        answer = self.github.oauth.exchange({**self.query, **(self.body or {})}, self.github.clock())
        self._send(200, answer, checked=False)  # not a REST call: GitHub's OAuth answer, errors with 200 too

    def oauth_user(self) -> None:
        login = self.github.oauth.login_for(self.headers.get("authorization") or "")
        if login is None:
            return self._send(401, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"})
        user = self.github.user(login)
        self._send(200, documented("get-authenticated-user", **{k: v for k, v in user.items() if k != "user_view_type"}))

    def oauth_revoke(self, client_id: str) -> None:
        import base64

        kind, _, credential = (self.headers.get("authorization") or "").partition(" ")
        pair = base64.b64decode(credential).decode().partition(":") if kind == "Basic" else None
        status = self.github.oauth.revoke(client_id, (pair[0], pair[2]) if pair else None,
                                          (self.body or {}).get("access_token", ""))
        if status != 204:
            return self._send(status, {"message": "Not Found", "documentation_url": DOCS, "status": str(status)})
        self.send_response(204)
        self.end_headers()
