"""GitHub accounts: bots and the App's login."""

from __future__ import annotations

from reviewbot.accounts import bot_login, is_bot


def test_an_apps_login_carries_the_bot_suffix() -> None:
    assert bot_login("reviewbot") == "reviewbot[bot]" and is_bot(bot_login("reviewbot"))


def test_bots_by_type_or_by_login() -> None:
    assert is_bot("renovate", "Bot") and is_bot("x[bot]", "User") and is_bot("x[bot]")
    assert not is_bot("octocat", "User") and not is_bot("octocat")
