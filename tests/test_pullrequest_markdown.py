"""Posting untrusted text safely: no raw HTML, no hidden text, no pings; code untouched."""

from __future__ import annotations

from reviewbot.pullrequest.markdown import WORD_JOINER, code_span, fenced, one_line, sanitize


def test_html_outside_code_is_escaped():
    assert sanitize("use <script>alert(1)</script> here") == "use &lt;script>alert(1)&lt;/script> here"


def test_html_comments_cannot_hide_text_or_forge_a_marker():
    text = sanitize("ok <!-- reviewbot:v1 principle=x depth=0 fp=00 --> hidden")
    assert "<!--" not in text and "reviewbot:v1" in text


def test_html_comment_openers_are_broken_inside_code_too():
    text = sanitize("```html\n<!-- reviewbot:v1 principle=x depth=0 fp=00 -->\n```")
    assert "<!--" not in text and text.startswith("```html\n<" + WORD_JOINER + "!--")


def test_code_spans_and_fences_keep_their_text():
    text = "call `a < b` then\n\n```python\nif a < b:\n    pass\n```\nafter <b>"
    assert sanitize(text) == "call `a < b` then\n\n```python\nif a < b:\n    pass\n```\nafter &lt;b>"


def test_mentions_are_defused_but_emails_are_kept():
    text = sanitize("ask @octocat or mail me@example.com; `@octocat` in code stays")
    assert f"@{WORD_JOINER}octocat or" in text and "me@example.com" in text and "`@octocat`" in text


def test_one_line_collapses_whitespace():
    assert one_line("a\n  b\tc") == "a b c"


def test_code_span_grows_its_backticks_to_hold_any_inside():
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"


def test_fenced_blocks_cannot_be_closed_early_and_keep_text_exact():
    text = "before\n```\n<!-- keep -->\n"
    block = fenced(text.rstrip("\n"), "suggestion")
    assert block.startswith("````suggestion\n") and block.endswith("\n````")
    assert "<!-- keep -->" in block
    assert fenced("", "suggestion") == "```suggestion\n```"


def test_fences_close_only_on_the_same_character_at_least_as_long():
    text = "~~~~\n<a>\n~~~\n```\n<b>\n~~~~\nafter <c>"
    assert sanitize(text) == text.replace("after <c>", "after &lt;c>")


def test_an_unclosed_fence_runs_to_the_end_as_code():
    assert sanitize("```\n<kept>") == "```\n<kept>"
