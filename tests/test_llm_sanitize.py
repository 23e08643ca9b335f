"""Model-written Markdown is made safe before anyone sees it: no images, HTML, mentions, slash commands."""

from __future__ import annotations

from reviewbot.llm.sanitize import (
    MAX_TITLE,
    sanitize_suggestion,
    sanitize_text,
    sanitize_title,
)


def test_images_become_their_alt_text() -> None:
    assert sanitize_text("see ![a diagram](https://evil.test/x.png) here") == "see a diagram here"
    assert sanitize_text("![](https://evil.test/pixel.gif)") == ""
    assert sanitize_text("![x][ref]\n\n[ref]: https://evil.test/x.png") == "x"


def test_raw_html_is_removed_but_comparisons_stay() -> None:
    text = sanitize_text('<img src=x onerror="alert(1)"><b>bold</b> <!-- hidden --> when a < b and b > c')
    assert text == "bold  when a < b and b > c"  # (reviewbot.markup parses; tests/test_markup.py has every form)


def test_html_inside_code_is_kept_as_code() -> None:
    assert sanitize_text("use `<br>` here") == "use `<br>` here"
    fenced = "```html\n<script>alert(1)</script>\n```"
    assert sanitize_text(fenced) == fenced


def test_mentions_are_put_in_code_spans_so_nobody_is_notified() -> None:
    text = sanitize_text("ping @octocat and @acme/security-team, mail a@b.com, decorator `@cache`")
    assert text == "ping `@octocat` and `@acme/security-team`, mail a@b.com, decorator `@cache`"


def test_slash_command_lines_are_defused_everywhere() -> None:
    text = sanitize_text("Looks fine.\n/approve\n  /lgtm cancel\n\n> /merge\n\n/etc/hosts is a path\n```\n/retest\n```")
    assert text.splitlines() == [
        "Looks fine.",
        "`/approve`",
        "`/lgtm` cancel",  # a paragraph line's leading blanks are not kept
        "",
        "> `/merge`",
        "",
        "/etc/hosts is a path",
        "",
        "   ```",  # the block is indented: its content is unchanged, the command is off column 0
        "   /retest",
        "   ```",
    ]


def test_titles_are_one_short_line() -> None:
    title = sanitize_title("Bad\nthing @bob " + "x" * 300)
    assert "\n" not in title and len(title) <= MAX_TITLE and "`@bob`" in title


def test_suggestions_are_posted_byte_for_byte_or_not_at_all() -> None:
    assert sanitize_suggestion("x = 1\n```\n/approve") is None
    assert sanitize_suggestion("x = 1\n/approve") is None  # altering it would change what gets applied
    assert sanitize_suggestion("<img src=x> // @bob <!-- c -->\n") == "<img src=x> // @bob <!-- c -->\n"
    assert sanitize_suggestion(None) is None


def test_long_text_is_clipped() -> None:
    assert len(sanitize_text("a" * 10_000, 100)) == 100
