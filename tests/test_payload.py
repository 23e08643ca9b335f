"""Reading webhook payloads: missing keys, wrong types, bots."""

from __future__ import annotations

import pytest
from webhook_examples import example

from reviewbot.payload import dig, installation_id, is_bot_user


def test_dig_follows_keys_and_stops_at_anything_missing() -> None:
    payload = example("pull_request", "opened")
    assert dig(payload, "pull_request", "head", "sha") == payload["pull_request"]["head"]["sha"]
    assert dig(payload, "pull_request", "nope", "sha") is None
    assert dig(payload, "action", "deeper") is None  # a string is not a mapping
    assert dig(None, "anything") is None


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"installation": {"id": 42}}, 42),
        ({"installation": {"id": "42"}}, None),
        ({"installation": {"id": True}}, None),
        ({"installation": None}, None),
        ({}, None),
    ],
)
def test_the_installation_id_is_an_integer_or_none(payload: dict, expected: int | None) -> None:
    assert installation_id(payload) == expected


@pytest.mark.parametrize(
    ("user", "bot"),
    [
        ({"login": "octocat", "type": "User"}, False),
        ({"login": "dependabot[bot]", "type": "Bot"}, True),
        ({"login": "renovate", "type": "Bot"}, True),
        ({"login": "an-app[bot]", "type": "User"}, True),
        (None, True),  # a missing user is never answered
        ("octocat", True),
    ],
)
def test_bots_by_type_or_login_and_a_missing_user_counts_as_one(user: object, bot: bool) -> None:
    assert is_bot_user(user) is bot
