"""Guard rails of the why-threads: who is answered, the hourly quota, the settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from webhook_examples import examples

from reviewbot.errors import ConfigError
from reviewbot.threads.guards import candidate, may_talk, quota, quota_note
from reviewbot.threads.settings import ThreadSettings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _delivery(**comment: object) -> dict:
    payload = next(p for p in examples("pull_request_review_comment") if p["action"] == "created")
    payload["comment"].update(comment)
    return payload


def test_a_reply_in_a_thread_is_a_candidate() -> None:
    found = candidate("pull_request_review_comment", _delivery(in_reply_to_id=7, body="why?"))
    assert (found.repo, found.pr_number, found.pr_author, found.root_id, found.login, found.body) == (
        "Codertocat/Hello-World", 2, "Codertocat", 7, "Codertocat", "why?"
    )
    assert found.path == "README.md" and found.diff_hunk.startswith("@@")


@pytest.mark.parametrize(
    ("event", "change"),
    [
        ("pull_request_review_comment", {}),  # a new top-level comment, not a reply
        ("issue_comment", {"in_reply_to_id": 7}),
        ("pull_request_review_comment", {"in_reply_to_id": "7"}),
        ("pull_request_review_comment", {"in_reply_to_id": 7, "user": {"login": "ci[bot]", "type": "User"}}),
        ("pull_request_review_comment", {"in_reply_to_id": 7, "user": {"login": "ci", "type": "Bot"}}),
        ("pull_request_review_comment", {"in_reply_to_id": 7, "user": None}),
    ],
)
def test_not_candidates(event: str, change: dict) -> None:
    assert candidate(event, _delivery(**change)) is None


def test_edited_and_deleted_comments_are_not_candidates() -> None:
    for payload in examples("pull_request_review_comment"):
        payload["comment"]["in_reply_to_id"] = 7
        assert (candidate("pull_request_review_comment", payload) is None) == (payload["action"] != "created")


def test_a_payload_missing_its_pull_request_is_not_a_candidate() -> None:
    payload = _delivery(in_reply_to_id=7)
    del payload["pull_request"]
    assert candidate("pull_request_review_comment", payload) is None


@pytest.mark.parametrize(
    ("login", "permission", "repliers", "allowed"),
    [
        ("author", None, "author", True),
        ("other", "admin", "author", False),
        ("other", "write", "write", True),
        ("other", "maintain", "write", True),
        ("other", "triage", "write", False),
        ("other", None, "write", False),
    ],
)
def test_who_may_talk(login: str, permission: str | None, repliers: str, allowed: bool) -> None:
    assert may_talk(login, "author", permission, repliers) is allowed


def test_quota_counts_the_last_hour() -> None:
    times = [NOW - timedelta(minutes=m) for m in (70, 50, 30, 10)]
    assert quota(times, 4, NOW).allowed
    spent = quota(times, 3, NOW)
    assert (spent.allowed, spent.used, spent.again_at) == (False, 3, NOW - timedelta(minutes=50) + timedelta(hours=1))
    assert "back at 12:10 UTC" in quota_note(spent)


def test_a_zero_quota_never_uses_the_model() -> None:
    state = quota([], 0, NOW)
    assert not state.allowed and state.again_at is None
    assert "turned off" in quota_note(state)


def test_thread_settings_from_the_environment() -> None:
    assert ThreadSettings.from_env({}) == ThreadSettings("write", 20, 8)
    env = {"REVIEWBOT_THREAD_REPLIERS": " Author ", "REVIEWBOT_THREAD_QUOTA": "5", "REVIEWBOT_THREAD_MAX_DEPTH": "3"}
    settings = ThreadSettings.from_env(env)
    assert settings == ThreadSettings("author", 5, 3) and settings.limits.max_depth == 3


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("REVIEWBOT_THREAD_REPLIERS", "everyone", "REVIEWBOT_THREAD_REPLIERS must be one of author, write"),
        ("REVIEWBOT_THREAD_QUOTA", "-1", "REVIEWBOT_THREAD_QUOTA must be a whole number from 0 to 10000"),
        ("REVIEWBOT_THREAD_MAX_DEPTH", "0", "REVIEWBOT_THREAD_MAX_DEPTH must be a whole number from 1 to 50"),
    ],
)
def test_bad_thread_settings_name_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ThreadSettings.from_env({name: value})
