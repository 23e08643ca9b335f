"""The review body: counts, principles, skipped, moved comments, how to ask why."""

from __future__ import annotations

from reviewbot.models import Comment, PrincipleRef, Severity, Skipped
from reviewbot.pullrequest.incremental import Scope
from reviewbot.pullrequest.markers import Marker, read_markers
from reviewbot.pullrequest.summary import MAX_BODY, Moved, Summary, render_body

REF_A = PrincipleRef("least-surprise", "Least surprise", "why a")
REF_B = PrincipleRef("finish-what-you-start", "Finish what you start", "why b")
STATEMENTS = {
    "least-surprise": "Code should do what a reader expects.",
    "finish-what-you-start": "Unfinished work hides.",
}


def _c(line, severity=Severity.WARNING, ref=REF_A, body="body"):
    return Comment("app.py", line, severity, f"title {line}", body, ref, "diff:x")


def test_counts_by_severity_and_principles_with_statements():
    comments = (_c(1, Severity.ERROR), _c(2), _c(3, ref=REF_B))
    body = render_body(Summary(comments, statements=STATEMENTS, files_reviewed=2), "reviewbot")
    assert "**3 findings**" in body and "Error: 1" in body and "Warning: 2" in body and "Info: 0" in body
    assert "**Least surprise** (`least-surprise`): Code should do what a reader expects." in body
    assert "**Finish what you start** (`finish-what-you-start`): Unfinished work hides." in body
    assert "Reviewed 2 files with the built-in reviewer." in body


def test_no_findings_is_said_plainly():
    assert "**No findings**" in render_body(Summary(()), "reviewbot")


def test_skipped_files_are_listed_with_their_reason():
    body = render_body(Summary((), skipped=(Skipped("logo.png", "binary, or too large"),)), "reviewbot")
    assert "#### Not reviewed" in body and "- `logo.png`: binary, or too large" in body


def test_how_to_ask_why_names_the_commands():
    body = render_body(Summary(()), "my-app")
    assert "**why?**" in body and "`@my-app review`" in body and "`@my-app help`" in body


def test_incremental_scope_and_repeats_are_reported():
    scope = Scope(full=False, since="abcdef1234", reason="changes since abcdef1")
    body = render_body(Summary((_c(1),), scope=scope, repeated=2, files_reviewed=1), "reviewbot")
    assert "Reviewed only the changes since abcdef1 (1 file)" in body
    assert "2 findings already commented on are not repeated." in body


def test_moved_comments_keep_their_markers_and_are_found_again():
    moved = (
        Moved(_c(40), Marker("least-surprise", 0, "aaaa")),
        Moved(_c(41), Marker("least-surprise", 0, "bbbb")),
    )
    body = render_body(Summary(tuple(m.comment for m in moved), moved=moved), "reviewbot")
    assert "#### Comments not on the diff" in body and "`app.py` line 40" in body
    assert [m.fp for m in read_markers(body)] == ["aaaa", "bbbb"]


def test_untrusted_text_is_sanitized_and_only_markers_are_html():
    evil = _c(1, body="<img src=x> <!-- hidden -->")
    moved = (Moved(evil, Marker("least-surprise", 0, "cccc")),)
    body = render_body(Summary((evil,), moved=moved, notes=("<script>",)), "reviewbot")
    assert "<img" not in body and "<script>" not in body
    assert body.count("<!--") == 1 and read_markers(body)[0].fp == "cccc"


def test_the_body_stays_under_githubs_limit():
    big = "x" * 5000
    moved = tuple(Moved(_c(n, body=big), Marker("least-surprise", 0, f"{n:04x}")) for n in range(30))
    body = render_body(Summary(tuple(m.comment for m in moved), moved=moved), "reviewbot")
    assert len(body) <= MAX_BODY + 200 and "more not shown" in body


def test_questions_are_counted_among_the_findings():
    from dataclasses import replace

    from reviewbot.models import Kind

    asked = replace(_c(4), kind=Kind.QUESTION, title="Question: is this intended?")
    body = render_body(Summary((_c(1, Severity.ERROR), asked), statements=STATEMENTS), "reviewbot")
    assert "**2 findings** — " in body and "· 1 of them is a question" in body
    assert "question" not in render_body(Summary((_c(1),), statements=STATEMENTS), "reviewbot").lower()
