"""Review comments: body with marker first, anchors checked against the diff."""

from __future__ import annotations

import pytest

from reviewbot.adapters.github.host import ChangedFile
from reviewbot.models import Comment, PrincipleRef, Severity, Side
from reviewbot.pullrequest.comments import (
    anchorable,
    comment_body,
    inline_comment,
    line_text,
    marker_for,
)
from reviewbot.pullrequest.markers import read_marker
from reviewbot.pullrequest.patches import build_diff

# app.py: lines 1-3 context, 4-5 added, 6-8 context; second hunk: 20 context, 21 added, 22 context
PATCH = "@@ -1,7 +1,8 @@\n a\n b\n c\n+d = 1\n+e = 2\n f\n-g\n g2\n h\n@@ -18,3 +20,3 @@\n t\n-u\n+u2 = print(x)\n v"
DIFF, SKIPPED = build_diff([ChangedFile("app.py", "modified", PATCH, None, 3, 2)])
REF = PrincipleRef("least-surprise", "Least surprise", "Readers expect <b>no</b> side effects.")


def _comment(
    line=4, end_line=None, side=Side.RIGHT, suggestion=None, path="app.py", source="diff:print-call"
):
    return Comment(
        path,
        line,
        Severity.WARNING,
        "Print left in",
        "Remove @octocat's `print()`.",
        REF,
        source,
        end_line,
        side,
        suggestion,
    )


@pytest.mark.parametrize(
    ("comment", "ok"),
    [
        (_comment(4), True),
        (_comment(1), True),  # context line
        (_comment(21), True),
        (_comment(4, 5), True),
        (_comment(1, 8), True),
        (_comment(9), False),  # between hunks
        (_comment(8, 21), False),  # range across two hunks
        (_comment(5, side=Side.LEFT), True),  # the deleted "g"
        (_comment(19, side=Side.LEFT), True),
        (_comment(30, side=Side.LEFT), False),
        (_comment(4, path="other.py"), False),
    ],
)
def test_anchors_are_checked_like_github_does(comment, ok):
    assert anchorable(comment, DIFF) is ok


def test_the_patch_is_readable():
    assert len(DIFF) == 1 and SKIPPED == ()


def test_a_range_becomes_start_line_and_line():
    payload = inline_comment(_comment(4, 5), "body").as_json()
    assert payload == {
        "path": "app.py",
        "line": 5,
        "side": "RIGHT",
        "start_line": 4,
        "start_side": "RIGHT",
        "body": "body",
    }
    assert inline_comment(_comment(4), "b").as_json() == {
        "path": "app.py",
        "line": 4,
        "side": "RIGHT",
        "body": "b",
    }


def test_body_starts_with_the_marker_and_carries_why_and_hint():
    comment = _comment(21)
    marker = marker_for(comment, DIFF, {})
    body = comment_body(comment, marker)
    assert body.splitlines()[0] == marker.render()
    assert read_marker(body) == marker and marker.depth == 0 and marker.principle == "least-surprise"
    assert "Print left in" in body and "`diff:print-call`" in body
    assert "Readers expect no side effects." in body and "<b>" not in body  # the why is sanitized
    assert "`@octocat`'s" in body  # no ping
    assert "why?" in body


def test_suggestions_are_github_suggestion_blocks_on_the_right_side():
    body = comment_body(_comment(21, suggestion="u2 = x\n"), marker_for(_comment(21), DIFF, {}))
    assert "```suggestion\nu2 = x\n```" in body


def test_suggestions_on_deleted_lines_are_plain_code():
    comment = _comment(5, side=Side.LEFT, suggestion="g = 0")
    body = comment_body(comment, marker_for(comment, DIFF, {}))
    assert "```suggestion" not in body and "```\ng = 0\n```" in body


def test_moved_comments_name_their_place_and_cannot_be_applied():
    comment = _comment(9, suggestion="x")
    body = comment_body(comment, marker_for(comment, DIFF, {}), located=True)
    assert "`app.py` line 9" in body and "```suggestion" not in body


def test_line_text_comes_from_the_file_else_from_the_hunk():
    assert (
        line_text(DIFF, {"app.py": "\n" * 20 + "u2 = print(x)\n"}, "app.py", 21, Side.RIGHT)
        == "u2 = print(x)"
    )
    assert line_text(DIFF, {}, "app.py", 21, Side.RIGHT) == "u2 = print(x)"
    assert line_text(DIFF, {}, "app.py", 5, Side.LEFT) == "g"
    assert line_text(DIFF, {}, "app.py", 50, Side.RIGHT) == ""


def test_the_fingerprint_survives_the_line_moving_down():
    moved = build_diff([ChangedFile("app.py", "modified", PATCH.replace("+20,3", "+30,3"), None, 3, 2)])[0]
    assert marker_for(_comment(21), DIFF, {}).fp == marker_for(_comment(31), moved, {}).fp


def test_with_a_served_explorer_the_principle_name_links_to_its_page():
    from reviewbot.pullrequest.comments import comment_body
    from reviewbot.pullrequest.markers import Marker

    body = comment_body(_comment(4), Marker("least-surprise", 0, "f" * 12), explorer_url="https://rb.example/principles")
    assert "**Why — [Least surprise](https://rb.example/principles/p/least-surprise.html)**" in body
    plain = comment_body(_comment(4), Marker("least-surprise", 0, "f" * 12))
    assert "**Why — Least surprise**" in plain and "](http" not in plain


def test_a_principle_name_cannot_break_out_of_its_link():
    from reviewbot.pullrequest.comments import principle_name

    linked = principle_name("least-surprise", "Evil](https://evil.example) [x", "https://rb.example/principles")
    from markdown_it import MarkdownIt

    tokens = MarkdownIt().parseInline(linked)[0].children or []
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert hrefs == ["https://rb.example/principles/p/least-surprise.html"]
    assert principle_name("proposed:Not A Slug", "Name", "https://rb.example/principles") == "**Name**"


def test_a_question_is_labelled_as_one_instead_of_by_severity():
    from dataclasses import replace

    from reviewbot.models import Kind

    asked = replace(_comment(4), kind=Kind.QUESTION, title="Question: is dropping `strict` intended?")
    body = comment_body(asked, marker_for(asked, DIFF, {}))
    assert "**❓ Question** · **is dropping `strict` intended?** · `diff:print-call`" in body
    assert "Warning" not in body and "Question: is dropping" not in body
    plain = comment_body(_comment(4), marker_for(_comment(4), DIFF, {}))
    assert "**⚠️ Warning** · **Print left in**" in plain
