"""The Action's pieces: the Actions environment, which task an event is, and the stand-ins for the App's
database and host (reviews as history, refused writes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakegithub import FakeGitHub, FakeHost
from webhook_examples import example, examples

from reviewbot.action.environment import ActionEnv, read_event
from reviewbot.action.events import DELETED_FORK, Idle, ReviewTask, ThreadTask, task_for
from reviewbot.action.history import ReviewHistory, last_reviewed_commit
from reviewbot.action.report import Result, log_text, outputs_text, summary_text
from reviewbot.adapters.github.host import (
    PostedComment,
    ReviewDraft,
)
from reviewbot.errors import ConfigError, InputError

BOT = "github-actions[bot]"
ENV = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": "event.json", "GITHUB_TOKEN": "ghs_x"}


# --- the environment -------------------------------------------------------------------------


def test_the_environment_is_read_once_with_defaults(tmp_path: Path) -> None:
    found = ActionEnv.from_env({**ENV, "REVIEWBOT_SARIF_FILE": "out/r.sarif", "REVIEWBOT_FAIL_ON": " Warning ",
                                "REVIEWBOT_CONFIG": "./.github/reviewbot.toml", "GITHUB_API_URL": "https://ghe.test/api/v3/"},
                               tmp_path)
    assert found.event_path == tmp_path / "event.json" and found.sarif_file == tmp_path / "out" / "r.sarif"
    assert found.api_url == "https://ghe.test/api/v3" and found.server_url == "https://github.com"
    assert found.fail_on == "warning" and found.config_file == ".github/reviewbot.toml"
    assert found.step_summary is None and found.review_drafts is False
    bare = ActionEnv.from_env({**ENV, "REVIEWBOT_FAIL_ON": "", "REVIEWBOT_CONFIG": "", "REVIEWBOT_SARIF_FILE": ""}, tmp_path)
    assert (bare.fail_on, bare.config_file, bare.sarif_file) == (None, None, None)  # empty inputs: not given


@pytest.mark.parametrize(("change", "message"), [
    ({"GITHUB_EVENT_NAME": " "}, "GITHUB_EVENT_NAME is not set"),
    ({"REVIEWBOT_REVIEW_DRAFTS": "maybe"}, "REVIEWBOT_REVIEW_DRAFTS must be true or false"),
    ({"REVIEWBOT_CONFIG": "/etc/passwd"}, "config: give a path inside the repository"),
    ({"GITHUB_SERVER_URL": "github.com"}, r"GITHUB_SERVER_URL must be an http\(s\) URL"),
])
def test_a_bad_environment_names_the_variable(tmp_path: Path, change: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ActionEnv.from_env({**ENV, **change}, tmp_path)


def test_the_token_is_required_only_when_asked_for(tmp_path: Path) -> None:
    found = ActionEnv.from_env({**ENV, "GITHUB_TOKEN": ""}, tmp_path)
    with pytest.raises(ConfigError, match="GITHUB_TOKEN is not set"):
        found.require_token()


def test_reading_the_event(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text("[1]", encoding="utf-8")
    (tmp_path / "ok.json").write_text('{"action": "opened"}', encoding="utf-8")
    (tmp_path / "latin1.json").write_bytes(b'{"a": "\xe9"}')
    assert read_event(tmp_path / "ok.json") == {"action": "opened"}
    with pytest.raises(InputError, match="not a JSON object"):
        read_event(tmp_path / "list.json")
    with pytest.raises(InputError, match="cannot read the event"):
        read_event(tmp_path / "latin1.json")
    with pytest.raises(InputError, match="cannot read the event: No such file"):
        read_event(tmp_path / "missing.json")


# --- events ----------------------------------------------------------------------------------


def test_every_example_pull_request_event_is_a_review_or_nothing_to_do() -> None:
    for payload in examples("pull_request"):
        task = task_for("pull_request", payload)
        if payload["action"] in ("opened", "reopened", "ready_for_review", "synchronize"):
            assert task == ReviewTask("Codertocat/Hello-World", 2, payload["pull_request"]["head"]["sha"],
                                      payload["action"])
        else:
            assert isinstance(task, Idle) and not task.refused, payload["action"]


def test_forks_are_recognised_by_the_heads_repository() -> None:
    payload = example("pull_request", "opened")
    payload["pull_request"]["head"]["repo"]["full_name"] = "mallory/Hello-World"
    assert task_for("pull_request", payload).fork == "mallory/Hello-World"
    payload["pull_request"]["head"]["repo"] = None  # the fork was deleted
    assert task_for("pull_request", payload).fork == DELETED_FORK


def test_review_comment_events() -> None:
    top_level = example("pull_request_review_comment", "created")
    assert task_for("pull_request_review_comment", top_level) == Idle(
        "the comment is not a person's reply in a review thread")
    reply = example("pull_request_review_comment", "created")
    reply["comment"]["in_reply_to_id"] = 5
    task = task_for("pull_request_review_comment", reply)
    assert isinstance(task, ThreadTask) and task.found.root_id == 5 and task.fork is None
    reply["comment"]["user"] = {"login": "dependabot[bot]", "type": "Bot"}
    assert isinstance(task_for("pull_request_review_comment", reply), Idle)  # bots are never answered
    assert isinstance(task_for("pull_request_review_comment", example("pull_request_review_comment", "deleted")), Idle)


def test_pull_request_target_is_refused_and_other_events_are_not() -> None:
    refused = task_for("pull_request_target", example("pull_request", "opened"))
    assert refused.refused and "pull_request_target" in refused.reason
    assert task_for("push", example("push")) == Idle(
        "nothing to do for the push event: reviewbot reviews on pull_request and answers on "
        "pull_request_review_comment")


def test_the_repository_comes_from_the_environment_when_the_payload_has_none() -> None:
    payload = example("pull_request", "opened")
    del payload["repository"]
    payload["pull_request"]["head"]["repo"]["full_name"] = "o/r"
    assert task_for("pull_request", payload, "o/r") == ReviewTask("o/r", 2, payload["pull_request"]["head"]["sha"],
                                                                "opened", None)


# --- the last reviewed head, from the reviews on the pull request -----------------------------


def test_the_last_reviewed_commit_is_the_bots_latest_reviewbot_review() -> None:
    reviews = [
        PostedComment(1, BOT, "### reviewbot\n\nfirst", commit_id="a" * 40),
        PostedComment(2, "octocat", "### reviewbot\n\nby a person", commit_id="b" * 40),
        PostedComment(3, BOT, "Deploy preview ready", commit_id="c" * 40),  # another workflow's review
        PostedComment(4, BOT, "### reviewbot\n\nsecond", commit_id="d" * 40),
    ]
    assert last_reviewed_commit(reviews, BOT) == "d" * 40
    assert last_reviewed_commit(reviews, BOT, skip="d" * 40) == "a" * 40  # a re-run of the job for head d
    assert last_reviewed_commit(reviews[1:3], BOT) is None


def test_review_history_reads_the_reviews_through_the_host() -> None:
    github = FakeGitHub(slug="github-actions")
    github.add_repo("o/r")
    github.add_pull("o/r", 1, "h" * 40, "b" * 40, [{"filename": "a.py", "status": "added", "patch": "@@ -0,0 +1 @@\n+x"}])
    host = FakeHost(github)
    host.post_review("o/r", 1, ReviewDraft("h" * 40, "### reviewbot\n\nbody"))
    history = ReviewHistory(host, BOT, head="n" * 40)
    assert history.last_reviewed_head("o/r", 1) == "h" * 40
    history.set_last_reviewed_head("o/r", 1, "n" * 40)  # nothing to store: the posted review is the record
    assert history.last_reviewed_head("o/r", 1) == "h" * 40


# --- the report texts ----------------------------------------------------------------------------


def test_outputs_and_log_when_no_review_ran() -> None:
    result = Result("no review posted: draft pull request")
    assert outputs_text(result) == "findings=0\nerrors=0\nwarnings=0\nposted=false\n"
    assert log_text(result, "pull_request.opened on o/r#1") == (
        "reviewbot: pull_request.opened on o/r#1\nreviewbot: no review posted: draft pull request\n")
    assert summary_text(result, "o/r#1").startswith("**reviewbot** · o/r#1 · no review posted: draft pull request")


def test_workflow_commands_in_notes_are_escaped() -> None:
    result = Result("x", notes=("50% done\n::error::injected",), not_posted="line one\nline two")
    lines = log_text(result, "t").splitlines()
    assert lines[1] == "::notice title=reviewbot::50%25 done%0A::error::injected"
    assert lines[2] == "::warning title=reviewbot did not post a review::line one%0Aline two"
