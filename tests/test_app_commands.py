"""`@app review` / `@app help` in a pull request's conversation."""

from __future__ import annotations

import pytest

from reviewbot.app.command_text import (
    Command,
    help_text,
    looks_like_command,
    parse_command,
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("@reviewbot review", Command.REVIEW),
        ("@ReviewBot review please", Command.REVIEW),
        ("@reviewbot[bot] re-review", Command.REVIEW),
        ("Thanks! @reviewbot review", Command.REVIEW),
        ("@reviewbot: help", Command.HELP),
        ("@reviewbot help", Command.HELP),
        ("@reviewbot", Command.HELP),
        ("@reviewbot what can you do", Command.HELP),
        ("> @reviewbot review", None),
        ("```\n@reviewbot review\n```", None),
        ("use `@reviewbot review` to ask", None),
        ("@reviewbotx review", None),
        ("@other review", None),
        ("mail a@reviewbot review", None),
        ("", None),
    ],
)
def test_parse_command(body, expected):
    assert parse_command(body, "reviewbot") is expected


def test_first_command_addressed_to_the_app_wins():
    assert parse_command("@other help\n@reviewbot review", "reviewbot") is Command.REVIEW


def test_slug_free_precheck_needs_a_known_command_word():
    assert looks_like_command("@anything review")
    assert looks_like_command("x\n@anything help")
    assert not looks_like_command("@anything thanks")
    assert not looks_like_command("> @anything review")


def test_help_names_the_commands_with_the_apps_slug():
    text = help_text("my-bot")
    assert "`@my-bot review`" in text and "`@my-bot help`" in text and "why?" in text
