"""The terminal report: grouped by file, why on every comment, colour only when asked."""

from __future__ import annotations

import re

from reviewbot.models import Review
from reviewbot.render import RenderOptions, render

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_plain_report_has_no_escape_codes(sample_review: Review) -> None:
    text = render(sample_review, "text", RenderOptions(color=False))
    assert "\x1b" not in text


def test_grouped_by_file_with_why(sample_review: Review) -> None:
    text = render(sample_review, "text", RenderOptions(color=False, target="working tree against main"))
    lines = text.splitlines()
    assert lines[0] == "Reviewed working tree against main"
    assert "app/db.py" in lines and "app/models.py" in lines
    assert lines.index("app/db.py") < lines.index("app/models.py")
    assert "  error    line 12-14  SQL built from an f-string  [ruff:S608]" in lines
    assert "  warning  line 3  Mutable default argument  [ruff:B006]" in lines
    assert "  info     line 9  Leftover TODO  [diff:todo-comment]" in lines
    assert "Why (Keep code and data apart): Text that becomes code lets input run as code." in text
    assert "Ask one layer deeper: reviewbot why shared-state" in text
    assert "Suggested change:" in text and "def add(item, items=None):" in text


def test_skipped_notes_and_summary(sample_review: Review) -> None:
    lines = render(sample_review, "text", RenderOptions(color=False, width=200)).splitlines()
    assert "Not reviewed" in lines
    assert "  - assets/logo.png: binary file" in lines
    assert "  - Reviewed with the built-in analyzers only." in lines
    assert lines[-1] == "reviewbot: 1 error, 1 warning, 1 info · 4 files: 2 reviewed by ruff, 1 with diff checks only, 1 not examined · 2 skipped · built-in reviewer"


def test_colour_when_asked(sample_review: Review) -> None:
    text = render(sample_review, "text", RenderOptions(color=True))
    assert ANSI.search(text)
    assert "\x1b[1;31m" in ANSI.sub(lambda m: m.group(0), text)  # bold red for errors
    assert "SQL built from an f-string" in ANSI.sub("", text)


def test_text_is_not_read_as_rich_markup() -> None:
    from reviewbot.models import Comment, PrincipleRef, Severity

    comment = Comment("a.py", 1, Severity.INFO, "[bold]x[/bold]", "[red]y", PrincipleRef("p", "P", "w"), "diff:x")
    text = render(Review(comments=(comment,), files_reviewed=1), "text")
    assert "[bold]x[/bold]" in text and "[red]y" in text


def test_wraps_to_the_given_width(sample_review: Review) -> None:
    text = render(sample_review, "text", RenderOptions(width=60))
    assert max(len(line) for line in text.splitlines()) <= 60


def test_empty_diff() -> None:
    text = render(Review(comments=(), notes=("no changes to review",)), "text")
    assert text == "reviewbot: no changes to review\n"


def test_clean_review_summary() -> None:
    text = render(Review(comments=(), files_reviewed=2), "text")
    assert text.splitlines()[-1] == "reviewbot: 0 errors, 0 warnings, 0 info · 2 files reviewed · built-in reviewer"


def test_llm_reviewer_is_named() -> None:
    text = render(Review(comments=(), files_reviewed=1, reviewer="llm:gpt-4o-mini"), "text")
    assert text.rstrip().endswith("LLM reviewer (gpt-4o-mini)")


def test_a_principle_is_explained_once_per_review() -> None:
    from reviewbot.models import Comment, PrincipleRef, Severity

    ref = PrincipleRef("set-timeouts", "Set timeouts", "A call without a timeout can wait forever.")
    comments = tuple(
        Comment("app/http.py", line, Severity.WARNING, "HTTP request without a timeout", "body", ref, "ruff:S113")
        for line in (3, 9, 14)
    )
    text = render(Review(comments=comments), "text", RenderOptions(width=200))
    assert text.count("A call without a timeout can wait forever.") == 1
    assert text.count("Why (Set timeouts): see above, at app/http.py:3.") == 2
    for fmt in ("markdown", "github"):
        assert render(Review(comments=comments), fmt).count("A call without a timeout can wait forever.") == 1, fmt
    import json

    results = json.loads(render(Review(comments=comments), "sarif"))["runs"][0]["results"]
    assert ["wait forever" in r["message"]["text"] for r in results] == [True, False, False]
