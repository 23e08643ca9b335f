"""Hidden markers: format, parsing, fingerprints that survive line shifts, trust."""

from __future__ import annotations

from reviewbot.accounts import bot_login
from reviewbot.adapters.github.host import PostedComment
from reviewbot.pullrequest.markers import (
    Marker,
    fingerprint,
    known_fingerprints,
    read_marker,
    read_markers,
)


def test_marker_renders_as_one_hidden_html_comment():
    text = Marker("least-surprise", 0, "00ff00ff00ff00ff").render()
    assert text == "<!-- reviewbot:v1 principle=least-surprise depth=0 fp=00ff00ff00ff00ff -->"


def test_marker_round_trips_through_a_comment_body():
    marker = Marker("least-surprise", 2, "abcdef0123456789")
    assert read_marker(marker.render() + "\n**Warning** text") == marker


def test_bodies_without_a_complete_marker_have_none():
    assert read_marker("no marker here") is None
    assert read_marker("<!-- reviewbot:v1 depth=0 fp=ab -->") is None  # no principle
    assert read_marker("<!-- reviewbot:v1 principle=x depth=deep fp=ab -->") is None


def test_fingerprint_ignores_line_numbers_and_indentation():
    a = fingerprint("app.py", "least-surprise", "print-call", "    print(x)")
    b = fingerprint("app.py", "least-surprise", "print-call", "print(x)   ")
    assert a == b and len(a) == 16 and int(a, 16) >= 0


def test_fingerprint_changes_with_path_principle_rule_or_text():
    base = fingerprint("app.py", "p", "r", "print(x)")
    others = {
        fingerprint("lib.py", "p", "r", "print(x)"),
        fingerprint("app.py", "q", "r", "print(x)"),
        fingerprint("app.py", "p", "s", "print(x)"),
        fingerprint("app.py", "p", "r", "print(y)"),
    }
    assert base not in others and len(others) == 4


def test_read_markers_finds_every_moved_comment_in_a_review_body():
    first, second = Marker("a", 0, "1111"), Marker("b", 0, "2222")
    body = f"### reviewbot\n\nsummary\n\n#### Moved\n\n{first.render()}\ntext one\n\n{second.render()}\ntext two\n"
    assert read_markers(body) == (first, second)


def test_only_the_apps_own_comments_count_as_already_posted():
    marker = Marker("least-surprise", 0, "feedfeedfeedfeed").render()
    posted = (
        PostedComment(1, bot_login("reviewbot"), marker + "\nmine"),
        PostedComment(2, "mallory", Marker("x", 0, "badbadbadbadbad0").render()),
    )
    assert known_fingerprints(posted, "reviewbot[bot]") == {"feedfeedfeedfeed"}
