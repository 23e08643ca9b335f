"""GitHub's documented REST answers, replayed through the real PyGithub host.

tests/fixtures/github-rest/responses.json holds, for every call the `Host`
makes, GitHub's JSON schema and example answer from its OpenAPI description.
Here the examples are served over HTTP as they are and read by
`PyGithubHost`; the fake GitHub's own answers are checked against the same
schemas by `FakeGitHubServer` in every HTTP test.
"""

from __future__ import annotations

import jsonschema
import pytest
from fakegithub import FakeGitHub, recorded
from fakegithub_http import DOCUMENTED, FakeGitHubServer, schema_problems

from reviewbot.adapters.github.host import ChangedFile, PostedComment, ReviewDraft, ReviewRejected
from reviewbot.adapters.github.pygithub_host import GitHubToken

REPO = "octocat/Hello-World"  # the repository GitHub's examples are about
HOST_CALLS = {
    "get-pull", "list-pull-files", "compare", "get-content-file", "list-review-comments", "list-reviews",
    "create-review", "create-review-rejected", "create-reply", "create-issue-comment", "create-reaction",
    "get-permission", "get-app", "create-installation-token",
}


@pytest.fixture
def github() -> FakeGitHub:
    fake = FakeGitHub()
    fake.add_repo(REPO)
    return fake


@pytest.fixture
def host(github: FakeGitHub):
    token = github.mint_token(1)["token"]
    with FakeGitHubServer(github) as server:
        yield GitHubToken(token, server.url).host_for()


def replay(github: FakeGitHub, method: str, path: str, call: str, status: int | None = None) -> None:
    """Answer the next `method path` with GitHub's documented answer to `call`."""
    entry = recorded()[call]
    github.fail(method, path + r"(\?|$)", status or entry["status"], entry["example"])


def test_every_call_the_host_makes_is_recorded_with_its_schema() -> None:
    assert set(recorded()) >= HOST_CALLS
    assert set(DOCUMENTED.values()) <= set(recorded())


def test_githubs_examples_follow_githubs_schemas_but_two() -> None:
    """Two of GitHub's own examples leave out a field its schema requires; the fake fills them in."""
    failing = set()
    for name, entry in recorded().items():
        if "example" in entry and not jsonschema.Draft7Validator(entry["schema"]).is_valid(entry["example"]):
            failing.add(name)
    assert failing == {"get-pull", "get-permission"}


def test_an_answer_github_would_not_give_is_caught() -> None:
    assert schema_problems("get_pull", 200, {"number": 1})
    assert schema_problems("get_pull", 201, {})  # GitHub documents no 201 for it
    assert not schema_problems("get_pull", 404, {"message": "Not Found", "documentation_url": "https://docs.github.com"})


def test_a_pull_request(github: FakeGitHub, host) -> None:
    replay(github, "GET", f"/repos/{REPO}/pulls/1347", "get-pull")
    pull = host.pull_request(REPO, 1347)
    assert (pull.number, pull.head_sha, pull.author, pull.author_type) == (
        1347, "6dcb09b5b57875f334f61aebed695e2e4193db5e", "octocat", "User"
    )
    assert (pull.draft, pull.state, pull.title, pull.body) == (
        False, "open", "Amazing new feature", "Please pull these awesome changes in!"
    )


def test_the_files_of_a_pull_request(github: FakeGitHub, host) -> None:
    replay(github, "GET", f"/repos/{REPO}/pulls/1347/files", "list-pull-files")
    [entry] = host.pull_request_files(REPO, 1347)
    assert entry == ChangedFile(
        "file1.txt", "added", "@@ -132,7 +132,7 @@ module Test @@ -1000,7 +1000,7 @@ module Test", None, 103, 21
    )


def test_a_comparison(github: FakeGitHub, host) -> None:
    replay(github, "GET", f"/repos/{REPO}/compare/aaaaaaa...bbbbbbb", "compare")
    comparison = host.compare(REPO, "aaaaaaa", "bbbbbbb")
    assert comparison.status == "behind" and [f.path for f in comparison.files] == ["file1.txt"]


def test_review_comments_and_reviews(github: FakeGitHub, host) -> None:
    replay(github, "GET", f"/repos/{REPO}/pulls/1347/comments", "list-review-comments")
    replay(github, "GET", f"/repos/{REPO}/pulls/1347/reviews", "list-reviews")
    assert host.review_comments(REPO, 1347) == (
        PostedComment(10, "octocat", "Great stuff!", "file1.txt", 2, 8, "User"),
    )
    assert host.reviews(REPO, 1347) == (
        PostedComment(80, "octocat", "Here is the body for the review.",
                      commit_id="ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091"),
    )


def test_writes(github: FakeGitHub, host) -> None:
    replay(github, "POST", f"/repos/{REPO}/pulls/1347/reviews", "create-review")
    replay(github, "POST", f"/repos/{REPO}/pulls/1347/comments/10/replies", "create-reply")
    replay(github, "POST", f"/repos/{REPO}/issues/1347/comments", "create-issue-comment")
    replay(github, "POST", f"/repos/{REPO}/pulls/comments/10/reactions", "create-reaction")
    draft = ReviewDraft("6dcb09b5b57875f334f61aebed695e2e4193db5e", "body")
    assert host.post_review(REPO, 1347, draft) == recorded()["create-review"]["example"]["id"]
    assert host.reply(REPO, 1347, 10, "why?") == recorded()["create-reply"]["example"]["id"]
    assert host.comment(REPO, 1347, "hello") == recorded()["create-issue-comment"]["example"]["id"]
    host.add_reaction(REPO, 1347, 10, "+1")


def test_a_refused_review_names_githubs_reasons(github: FakeGitHub, host) -> None:
    errors = ["Pull request review thread line must be part of the diff"]
    github.fail("POST", f"/repos/{REPO}/pulls/1347/reviews$", 422,
                {"message": "Unprocessable Entity", "errors": errors, "documentation_url": "https://docs.github.com/rest"})
    with pytest.raises(ReviewRejected) as refused:
        host.post_review(REPO, 1347, ReviewDraft("6dcb09b5b57875f334f61aebed695e2e4193db5e", "body"))
    assert refused.value.errors == tuple(errors)


def test_a_collaborators_role(github: FakeGitHub, host) -> None:
    replay(github, "GET", f"/repos/{REPO}/collaborators/octocat/permission", "get-permission")
    assert host.permission(REPO, "octocat") == "admin"
