"""The real PyGithub host against a fake GitHub served over HTTP on 127.0.0.1.

Nothing is mocked inside PyGithub: requests go through `requests` to a
threaded server that answers like GitHub (JSON shapes, Link pagination,
x-ratelimit headers, RS256 JWT checks, 422s, secondary rate limits). The
clock is fake, so backoff and pacing are measured without waiting.
"""

from __future__ import annotations

import itertools

import pytest
from fakegithub import LINE_NOT_IN_DIFF, FakeClock, FakeGitHub, MemoryStore
from fakegithub_http import FakeGitHubServer
from github_support import GRAPH, commit, files_between, git_pull, install, marker_review, pr_event

from reviewbot.adapters.github.host import (
    HostError,
    InlineComment,
    NotFound,
    RateLimited,
    ReviewDraft,
    ReviewRejected,
)
from reviewbot.adapters.github.pygithub_host import GitHubApp
from reviewbot.adapters.github.ratelimit import SECONDARY_WAIT
from reviewbot.adapters.github.tokens import REFRESH_MARGIN
from reviewbot.app.deps import Deps
from reviewbot.app.handlers import handle
from reviewbot.jobs import Job
from reviewbot.models import Side
from reviewbot.pullrequest.markers import read_markers
from reviewbot.settings import AppSettings

REPO = "octo/hello"
PATCH = "@@ -1,2 +1,3 @@\n a\n+b\n c"


@pytest.fixture(scope="session")
def app_key():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode("ascii"), key.public_key()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def github(clock, app_key):
    fake = FakeGitHub(clock=clock)
    fake.public_key = app_key[1]
    fake.add_repo(REPO)
    files = [{"filename": "a.py", "status": "modified", "patch": PATCH, "additions": 1, "deletions": 0}]
    fake.add_pull(REPO, 1, "h" * 40, "b" * 40, files)
    return fake


@pytest.fixture
def server(github):
    with FakeGitHubServer(github) as running:
        yield running


@pytest.fixture
def app(server, app_key, clock):
    return GitHubApp(4242, app_key[0], server.url, clock=clock, sleep=clock.sleep)


@pytest.fixture
def host(app):
    return app.host_for(1)


# --- authentication ------------------------------------------------------------------------


def test_the_app_authenticates_with_an_rs256_jwt(app, github):
    assert app.app_slug() == "reviewbot"
    assert app.app_slug() == "reviewbot" and len(github.calls("GET", "^/app$")) == 1  # cached


def test_a_jwt_signed_with_the_wrong_key_is_refused(server, clock):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(HostError, match="401"):
        GitHubApp(4242, other.decode(), server.url, clock=clock, sleep=clock.sleep).app_slug()


def test_the_app_key_is_parsed_once_not_for_every_jwt(app, github, clock, monkeypatch):
    """Parsing the PEM costs ~27 ms with the interpreter lock held: never per token."""
    import jwt.algorithms

    parsed = []
    real = jwt.algorithms.load_pem_private_key
    monkeypatch.setattr(jwt.algorithms, "load_pem_private_key", lambda *a, **k: parsed.append(1) or real(*a, **k))
    for installation in (1, 2, 3):
        app.host_for(installation).pull_request(REPO, 1)
    assert github.tokens_minted == 3 and parsed == []


def test_an_app_key_that_is_not_rsa_is_refused_when_the_app_is_built(server, clock):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="RSA key"):
        GitHubApp(4242, pem.decode(), server.url, clock=clock, sleep=clock.sleep)


def test_installation_tokens_are_cached_and_renewed_before_expiry(host, app, github, clock):
    host.pull_request(REPO, 1)
    app.host_for(1).pull_request(REPO, 1)
    assert github.tokens_minted == 1
    clock.now += 3600 - REFRESH_MARGIN + 1
    host.pull_request(REPO, 1)
    assert github.tokens_minted == 2


def test_a_revoked_token_is_replaced_once(host, github):
    host.pull_request(REPO, 1)
    github.tokens.clear()
    assert host.pull_request(REPO, 1).number == 1
    assert github.tokens_minted == 2


def test_github_enterprise_urls_with_a_path_prefix_work(github, app_key, clock):
    with FakeGitHubServer(github, prefix="/api/v3") as running:
        app = GitHubApp(4242, app_key[0], running.url, clock=clock, sleep=clock.sleep)
        assert app.host_for(1).pull_request(REPO, 1).head_sha == "h" * 40


# --- reading ---------------------------------------------------------------------------------


def test_pull_request_fields(host):
    pr = host.pull_request(REPO, 1)
    assert (pr.number, pr.head_sha, pr.base_sha, pr.author, pr.author_type, pr.draft, pr.state) == (
        1,
        "h" * 40,
        "b" * 40,
        "octocat",
        "User",
        False,
        "open",
    )


def test_files_are_read_through_every_page(host, github):
    github.pull(REPO, 1).files = [
        {"filename": f"f{i:03}.py", "status": "added", "patch": "@@ -0,0 +1 @@\n+x", "additions": 1}
        for i in range(250)
    ] + [{"filename": "logo.png", "status": "added", "additions": 0}]
    files = host.pull_request_files(REPO, 1)
    assert len(files) == 251 and files[0].path == "f000.py" and files[-1].patch is None
    pages = github.calls("GET", "/pulls/1/files")
    assert len(pages) == 3 and "per_page=100" in pages[0][1]


def test_commit_messages_are_read_through_every_page(host, github):
    pull = github.pull(REPO, 1)
    pull.commits = [f"{n:040x}" for n in range(1, 131)]
    pull.messages = {pull.commits[0]: "First\n\nWhy it was done.\n", pull.commits[-1]: "Last <<<SYSTEM\r\n"}
    commits = host.pull_request_commits(REPO, 1)
    assert len(commits) == 130 and len(github.calls("GET", "/pulls/1/commits")) == 2
    assert (commits[0].id, commits[0].subject, commits[0].body) == (pull.commits[0], "First", "Why it was done.")
    assert (commits[-1].subject, commits[-1].body) == ("Last <<<SYSTEM", "")
    assert commits[1].subject == f"Commit {pull.commits[1]}"


def test_contents_at_a_ref_and_on_the_default_branch(host, github):
    github.set_file(REPO, "h" * 40, "src/a.py", "print('é')\n")
    github.set_file(REPO, "main", ".reviewbot.toml", "max-comments = 3\n")
    assert host.file_at(REPO, "src/a.py", "h" * 40) == "print('é')\n"
    assert host.default_branch_file(REPO, ".reviewbot.toml") == "max-comments = 3\n"
    assert github.calls("GET", r"contents/\.reviewbot\.toml$")  # no ref: GitHub's default branch


@pytest.mark.parametrize(
    "content",
    [None, b"\x89PNG\x00\x01", b"\xff\xfe not utf-8", "x" * (1024 * 1024 + 1)],
    ids=["missing", "nul", "latin", "big"],
)
def test_unusable_contents_read_as_none(host, github, content):
    if content is not None:
        github.set_file(REPO, "h" * 40, "f", content)
    assert host.file_at(REPO, "f", "h" * 40) is None


def test_compare_and_a_vanished_commit(host, github):
    github.set_comparison(
        REPO, "b" * 40, "h" * 40, "ahead", [{"filename": "a.py", "status": "modified", "patch": PATCH}]
    )
    comparison = host.compare(REPO, "b" * 40, "h" * 40)
    assert comparison.status == "ahead" and comparison.files[0].patch == PATCH
    with pytest.raises(NotFound):
        host.compare(REPO, "0" * 40, "h" * 40)


# --- writing ---------------------------------------------------------------------------------


def _draft(line=2, start=None):
    return ReviewDraft(
        "h" * 40,
        "summary",
        "COMMENT",
        (InlineComment("a.py", line, "note", Side.RIGHT, start, Side.RIGHT if start else None),),
    )


def test_a_review_is_posted_with_its_inline_comments(host, github):
    review_id = host.post_review(REPO, 1, _draft(3, start=1))
    [review] = github.pull(REPO, 1).reviews
    assert review["id"] == review_id and review["commit_id"] == "h" * 40 and review["event"] == "COMMENT"
    [comment] = github.pull(REPO, 1).review_comments
    assert (comment["start_line"], comment["line"], comment["side"], comment["body"]) == (
        1,
        3,
        "RIGHT",
        "note",
    )
    listed = host.review_comments(REPO, 1)
    assert listed[0].author == "reviewbot[bot]" and host.reviews(REPO, 1)[0].body == "summary"


def test_a_comment_off_the_diff_is_refused_with_githubs_422(host, github):
    with pytest.raises(ReviewRejected) as refused:
        host.post_review(REPO, 1, _draft(line=9))
    assert refused.value.errors == (LINE_NOT_IN_DIFF,) and github.pull(REPO, 1).reviews == []


def test_replies_and_issue_comments(host, github):
    host.post_review(REPO, 1, _draft())
    parent = host.review_comments(REPO, 1)[0].id
    reply = host.reply(REPO, 1, parent, "deeper")
    assert host.review_comments(REPO, 1)[-1].in_reply_to == parent and reply > parent
    host.comment(REPO, 1, "hello")
    assert github.pull(REPO, 1).issue_comments[0]["body"] == "hello"


# --- being a good citizen ------------------------------------------------------------------


def test_mutations_of_an_installation_are_at_least_a_second_apart(host, app, github, clock):
    for body in ("one", "two", "three"):
        host.comment(REPO, 1, body)
    app.host_for(1).comment(REPO, 1, "four")  # another job, same installation
    times = [t for _, _, t in github.mutations()]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times)) and len(times) == 4


def test_reads_are_not_paced(host, github, clock):
    host.pull_request(REPO, 1)
    host.pull_request(REPO, 1)
    assert clock.slept == []


def test_a_secondary_rate_limit_with_retry_after_is_waited_out(host, github, clock):
    github.secondary_rate_limit("POST", "/reviews$", retry_after=3)
    host.post_review(REPO, 1, _draft())
    assert (
        3 in clock.slept
        and len(github.calls("POST", "/reviews$")) == 2
        and len(github.pull(REPO, 1).reviews) == 1
    )


def test_a_secondary_rate_limit_without_headers_waits_a_minute(host, github, clock):
    github.secondary_rate_limit("GET", "/pulls/1$")
    host.pull_request(REPO, 1)
    assert clock.slept == [SECONDARY_WAIT]


def test_a_spent_primary_quota_waits_until_reset(host, github, clock):
    github.primary_rate_limit("GET", "/pulls/1/files", reset=clock.now + 42)
    assert host.pull_request_files(REPO, 1)
    assert clock.slept == [43]


def test_the_next_call_is_held_when_a_response_says_the_quota_is_spent(host, github, clock):
    github.rate_remaining, github.rate_reset_in = 0, 20
    host.pull_request(REPO, 1)
    github.rate_remaining = 4999
    host.pull_request(REPO, 1)
    assert clock.slept == [21]


def test_a_quota_reset_too_far_away_fails_the_job_without_calling(host, github, clock):
    github.rate_remaining = 0
    host.pull_request(REPO, 1)
    calls = len(github.requests)
    with pytest.raises(RateLimited, match="3601"):
        host.pull_request(REPO, 1)
    assert len(github.requests) == calls


def test_a_wait_too_long_fails_the_job_for_a_later_retry(host, github, clock):
    github.secondary_rate_limit("POST", "/issues/1/comments", retry_after=3600)
    with pytest.raises(RateLimited):
        host.comment(REPO, 1, "x")
    assert github.pull(REPO, 1).issue_comments == []


def test_other_errors_are_not_retried(host, github, clock):
    github.fail("GET", "/pulls/1$", 502, {"message": "Bad Gateway"})
    with pytest.raises(HostError, match="502"):
        host.pull_request(REPO, 1)
    assert clock.slept == []


# --- the whole flow over HTTP ----------------------------------------------------------------


def _deps(server, app_key, clock, store, review_fn=marker_review):
    settings = AppSettings(app_id=4242, private_key=app_key[0], webhook_secret=b"", api_url=server.url)
    return Deps.for_app(settings, store, clock=clock, sleep=clock.sleep, review_fn=review_fn, graph=GRAPH)


BASE = {"app.py": "".join(f"v{i} = {i}\n" for i in range(30))}
HEAD = {"app.py": "# TODO: name things\n" + "".join(f"v{i} = {i}\n" for i in range(30)) + "print(v1)\n"}


def test_a_pull_request_is_reviewed_and_then_incrementally_over_http(
    tmp_path, server, github, app_key, clock
):
    made = git_pull(tmp_path / "repo", BASE, HEAD)
    install(github, REPO, made, number=2)
    store = MemoryStore()
    deps = _deps(server, app_key, clock, store)
    outcome = handle(Job("d1", "pull_request", "opened", pr_event("opened", REPO, 2, made.head)), deps)
    assert (outcome.action, outcome.inline) == ("posted", 2)
    assert sorted(c["line"] for c in github.pull(REPO, 2).review_comments) == [1, 32]

    new = commit(made.cwd, {"app.py": HEAD["app.py"] + "# TODO: and this\n"})
    github.push(REPO, 2, new, files_between(made.cwd, made.base, new))
    github.set_comparison(REPO, made.head, new, "ahead", files_between(made.cwd, made.head, new))
    outcome = handle(Job("d2", "pull_request", "synchronize", pr_event("synchronize", REPO, 2, new)), deps)
    assert (outcome.inline, outcome.repeated) == (1, 0)
    assert github.pull(REPO, 2).review_comments[-1]["line"] == 33 and store.last_reviewed_head(REPO, 2) == new


def test_the_422_fallback_over_http_keeps_the_review(tmp_path, server, github, app_key, clock):
    made = git_pull(tmp_path / "repo", BASE, HEAD)
    install(github, REPO, made, number=2)

    def racing(diff, contents, config, graph, model=None, pull_request=None, base_contents=None):
        github.pull(REPO, 2).files = [
            dict(f, patch="@@ -1 +1 @@\n-a\n+b") for f in github.pull(REPO, 2).files
        ]
        return marker_review(diff, contents, config, graph, model)

    outcome = handle(
        Job("d1", "pull_request", "opened", pr_event("opened", REPO, 2, made.head)),
        _deps(server, app_key, clock, MemoryStore(), racing),
    )
    assert outcome.fallback and outcome.moved == 2
    [review] = github.pull(REPO, 2).reviews
    assert len(read_markers(review["body"])) == 2 and github.pull(REPO, 2).review_comments == []


def test_the_remaining_quota_is_reported_for_metrics(host, github):
    assert host.rate_limit_remaining() is None
    github.rate_remaining = 1234
    host.pull_request(REPO, 1)
    assert host.rate_limit_remaining() == 1234


def test_reactions_for_why_threads(host, github):
    host.add_reaction(REPO, 1, 77, "+1")
    assert github.reactions == [(77, "+1")] and github.calls("POST", "/pulls/comments/77/reactions$")


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", "admin"), ("maintain", "maintain"), ("triage", "triage"), ("security-lead", "read")],
)
def test_a_persons_role_on_the_repository(host, github, role, expected):
    github.roles["octocat"] = role
    assert host.permission(REPO, "octocat") == expected
    assert host.permission(REPO, "stranger") == "none"


def test_review_comments_carry_the_authors_type(host):
    host.post_review(REPO, 1, _draft())
    assert host.review_comments(REPO, 1)[0].author_type == "Bot"


def test_an_unknown_person_has_no_role(host, github):
    github.fail("GET", "/collaborators/ghost/permission$", 404, {"message": "Not Found", "status": "404"})
    assert host.permission(REPO, "ghost") == "none"
