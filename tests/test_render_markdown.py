"""The Markdown report: counts, one section per file, the why folded in <details>."""

from __future__ import annotations

from reviewbot.models import Review
from reviewbot.render import RenderOptions, render
from reviewbot.render.markdown import code, fenced


def test_report_structure(sample_review: Review) -> None:
    text = render(sample_review, "markdown", RenderOptions(target="working tree against main"))
    assert text.startswith(
        "## reviewbot: 1 error, 1 warning, 1 info\n\n4 files: 2 reviewed by ruff, 1 with diff checks only, 1 not examined · 2 skipped · built-in reviewer"
    )
    assert "working tree against main" in text.splitlines()[2]
    assert text.index("### `app/db.py`") < text.index("### `app/models.py`")
    assert "🔴 **error** · line 12-14 · **SQL built from an f-string** · `ruff:S608`" in text
    assert "<details><summary>Why: Keep code and data apart</summary>" in text
    assert "Ask one layer deeper: `reviewbot why code-data-separation`" in text
    assert "Suggested change:\n\n```\ndef add(item, items=None):" in text
    assert "### Not reviewed\n\n- `assets/logo.png`: binary file\n- `old.py`: deleted" in text
    assert "### Notes\n\n- Reviewed with the built-in analyzers only." in text


def test_untrusted_text_goes_through_the_one_sanitiser(sample_review: Review) -> None:
    text = render(sample_review, "markdown")
    assert "instead of ." in text  # raw HTML dropped (reviewbot.markup)
    assert "`cursor.execute(sql, params)`" in text  # code spans kept


def test_images_and_links_out_in_a_finding_do_not_render() -> None:
    from reviewbot.models import Comment, PrincipleRef, Severity

    body = "![x][a] and [y] and ![p](https://evil.test/p.png)\n\n[a]: https://evil.test/a.png\n[y]: https://evil.test/y"
    finding = Comment("a.py", 1, Severity.INFO, "t", body, PrincipleRef("p", "P", "why"), "diff:x")
    text = render(Review(comments=(finding,), files_reviewed=1), "markdown")
    assert "x and y (`https://evil.test/y`) and p" in text
    assert "](" not in text.split("Why:")[0].split("`diff:x`")[1]


def test_code_span_holds_backticks() -> None:
    assert code("plain") == "`plain`"
    assert code("a`b") == "``a`b``"
    assert code("`x") == "`` `x ``"


def test_fence_is_longer_than_any_fence_inside() -> None:
    assert fenced("x = 1") == "```\nx = 1\n```"
    assert fenced("```\ninner\n```").startswith("````\n")


def test_clean_review() -> None:
    text = render(Review(comments=(), files_reviewed=3), "markdown")
    assert "✅ No problems found in 3 files." in text
    assert "### Not reviewed" not in text


def test_a_proposed_principle_offers_no_deeper_command() -> None:
    from reviewbot.render.common import deeper_line

    assert deeper_line("no-shared-mutable-defaults") == "Ask one layer deeper: reviewbot why no-shared-mutable-defaults"
    proposed = deeper_line("new:retry-budgets")
    assert "reviewbot why" not in proposed and "not in the catalog" in proposed
