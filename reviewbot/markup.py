"""The one Markdown sanitiser: untrusted text made safe to show on GitHub. Pure.

Everything a model or a pull request wrote passes through `sanitize` before
it reaches a review comment, a review body, a thread reply, a job summary or
the Markdown report. The text is parsed as CommonMark (markdown-it-py, with
GitHub's tables and strikethrough) and written back out from the syntax
tree, so only constructs emitted here can appear in the result:

- images of every form (inline, reference, collapsed, shortcut, nested
  brackets) are replaced by their alt text: nothing is fetched when a
  comment is shown;
- raw HTML (inline and block, comments included) is dropped;
- link reference definitions are consumed by the parser and never written;
- links and autolinks to other hosts, and bare URLs, are shown as code
  (`text (`url`)`), so nothing links out unseen;
- @-mentions and slash commands at the start of a line are put in code
  spans, so they notify no one and command no bot;
- code spans, fenced blocks (a ```suggestion among them) and indented code
  keep their content byte for byte, inside a fence it cannot close; a block
  holding a slash-command line is indented, which leaves its content as it
  was and moves the command off the start of the raw line; the info word of
  blocks GitHub renders as pictures (mermaid, geojson, topojson, stl, math)
  is dropped, so they show as code;
- the one exception to "byte for byte": `<!--` followed by `reviewbot:` gets
  an invisible word joiner everywhere, code included, so no text can forge
  the hidden markers reviewbot reads back from its own comments;
- every other character with a meaning in Markdown is backslash-escaped.

Writing the result out again gives the same text, so sanitising twice is
harmless.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

GITHUB_HOSTS = ("github.com",)
WORD_JOINER = "\u2060"  # invisible; breaks a marker opener without changing how it reads
RENDERED_BLOCKS = frozenset({"mermaid", "geojson", "topojson", "stl", "math"})
# A run of backticks, then anything, then a run of exactly as many (CommonMark's code span);
# for reading commands out of a person's comment, where text in code does not count.
CODE_SPAN = re.compile(r"(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)")
_MARKER_OPENER = re.compile(r"<!--(?=\s*reviewbot:)")
_COMMAND_LINE = re.compile(r"^[ \t]*/[A-Za-z][\w-]*(?=\s|$)", re.MULTILINE)
# Characters that could start a construct where they stand: `<` only before what an HTML tag
# or an autolink starts with, `&` only before an entity, `_` and `*` only where they could
# open or close emphasis. Those at the start of a line are `_LINE_START`'s.
_ESCAPED = re.compile(
    r"[\\`\[\]|~$]|<(?=\S)|&(?=#?\w+;)"
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|(?<!\s)\*|\*(?!\s)"
)
_OPENS_TAG = re.compile(r"\S")
_LINE_START = re.compile(r"^([ \t]*)([-+=#>]|\*(?=\s|$)|\d{1,9}[.)])")
_NAME = r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)?"
_MENTION = re.compile(rf"(?<![\w`/.@-]){_NAME}(?:{_NAME})*")  # `@a@b` whole: once `@a` is code, `@b` would ping
_BARE_URL = re.compile(r"\b(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s<>`]+[^\s<>`.,:;!?'\")\]]")
_COMMAND = re.compile(r"^([ \t]*)(/[A-Za-z][\w-]*)(?=\s|$)")
_INFO_WORD = re.compile(r"[\w+#.-]*")
_SPECIAL_IN_TEXT = re.compile(f"{_MENTION.pattern}|{_BARE_URL.pattern}")


@dataclass(frozen=True)
class Policy:
    """What a sanitised text may link to: relative links and http(s) links to exactly these hosts."""

    hosts: tuple[str, ...] = GITHUB_HOSTS


DEFAULT = Policy()


def sanitize(text: str | None, policy: Policy = DEFAULT) -> str:
    """Untrusted Markdown, safe to post: see the module docstring for every rule."""
    source = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    return defuse_markers(_Writer(policy).blocks(_tree(source).children).strip("\n"))


def defuse_markers(text: str) -> str:
    """`text` with every reviewbot marker opener broken by an invisible character."""
    return _MARKER_OPENER.sub("<" + WORD_JOINER + "!--", text)


def has_command_line(text: str) -> bool:
    """Whether a line of `text` starts (after blanks) with a slash command such as `/approve`."""
    return _COMMAND_LINE.search(text) is not None


def one_line(text: str | None, policy: Policy = DEFAULT) -> str:
    """Untrusted text for a heading, a title or a list item: one sanitised line."""
    return " ".join(sanitize(" ".join((text or "").split()), policy).split())


def code_span(text: str) -> str:
    """`text` as a code span that nothing inside it can close (one line)."""
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if _needs_padding(text) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fenced(text: str, info: str = "") -> str:
    """A fenced block (e.g. ```suggestion) that `text` cannot close early; `text` kept byte for byte.

    Only a reviewbot marker opener inside is broken (`defuse_markers`).
    """
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * (longest + 1)
    block = f"{ticks}{info}\n{text}\n{ticks}" if text else f"{ticks}{info}\n{ticks}"
    return defuse_markers(block)


def _needs_padding(text: str) -> bool:
    """A code span strips one space each side when both are there; backticks at the ends need room."""
    both_spaces = text.startswith(" ") and text.endswith(" ") and bool(text.strip(" "))
    return text.startswith("`") or text.endswith("`") or both_spaces


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _tree(text: str) -> SyntaxTreeNode:
    from markdown_it.tree import SyntaxTreeNode

    return SyntaxTreeNode(_parser().parse(text))


# --- writing the tree back out ---------------------------------------------------------------


class _Writer:
    """Markdown from a syntax tree, emitting only safe constructs."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.block_writers: dict[str, Callable[[SyntaxTreeNode], str]] = {
            "paragraph": self.paragraph,
            "heading": self.heading,
            "blockquote": self.blockquote,
            "bullet_list": self.bullet_list,
            "ordered_list": self.ordered_list,
            "fence": self.fence,
            "code_block": self.fence,
            "hr": lambda node: "---",
            "html_block": lambda node: "",
            "table": self.table,
        }

    # blocks

    def blocks(self, nodes: list[SyntaxTreeNode], tight: bool = False) -> str:
        written = [self.block(node) for node in nodes]
        return ("\n" if tight else "\n\n").join(part for part in written if part.strip())

    def block(self, node: SyntaxTreeNode) -> str:
        writer = self.block_writers.get(node.type)
        return writer(node) if writer else self.blocks(node.children)

    def paragraph(self, node: SyntaxTreeNode) -> str:
        text = self.inline(node.children[0]) if node.children else ""
        return "\n".join(_safe_line_start(line.strip(" \t")) for line in text.split("\n"))

    def heading(self, node: SyntaxTreeNode) -> str:
        level = int(node.tag[1:]) if node.tag[1:].isdigit() else 1
        text = " ".join(self.inline(node.children[0]).split()) if node.children else ""
        return f"{'#' * level} {text}" if text else ""

    def blockquote(self, node: SyntaxTreeNode) -> str:
        inner = self.blocks(node.children)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n")) if inner else ""

    def bullet_list(self, node: SyntaxTreeNode) -> str:
        return self.items(node, lambda index: "-")

    def ordered_list(self, node: SyntaxTreeNode) -> str:
        start = int(node.attrs.get("start", 1) or 1)
        return self.items(node, lambda index: f"{start + index}.")

    def items(self, node: SyntaxTreeNode, marker: Callable[[int], str]) -> str:
        tight = all(p.hidden for item in node.children for p in item.children if p.type == "paragraph")
        written = []
        for index, item in enumerate(node.children):
            bullet = marker(index)
            body = self.blocks(item.children, tight) or ""
            pad = " " * (len(bullet) + 1)
            lines = body.split("\n")
            rest = [f"{pad}{line}" if line else "" for line in lines[1:]]
            written.append("\n".join([f"{bullet} {lines[0]}".rstrip(), *rest]))
        return ("\n" if tight else "\n\n").join(written)

    def fence(self, node: SyntaxTreeNode) -> str:
        word = _INFO_WORD.match(node.info.strip()) if node.type == "fence" else None
        info = word.group(0) if word and word.group(0).lower() not in RENDERED_BLOCKS else ""
        block = fenced(node.content.removesuffix("\n"), info)
        if not has_command_line(node.content):
            return block
        return "\n".join(f"   {line}" if line else line for line in block.split("\n"))

    def table(self, node: SyntaxTreeNode) -> str:
        rows = [row for section in node.children for row in section.children]
        if not rows:
            return ""
        cells = [[self.cell(cell) for cell in row.children] for row in rows]
        aligns = [_alignment(cell.attrs.get("style")) for cell in rows[0].children]
        lines = ["| " + " | ".join(row) + " |" for row in cells]
        lines.insert(1, "| " + " | ".join(aligns) + " |")
        return "\n".join(lines)

    def cell(self, node: SyntaxTreeNode) -> str:
        return " ".join(self.inline(node.children[0]).split()) if node.children else ""

    # inline

    def inline(self, node: SyntaxTreeNode) -> str:
        written = ""
        for child in node.children:
            written = _joined(written, self.span(child))
        return written

    def span(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        if kind == "text":
            return self.text(node.content)
        if kind == "code_inline":
            return code_span(node.content)
        if kind == "softbreak":
            return "\n"
        if kind == "hardbreak":
            return "\\\n"
        if kind in ("em", "strong", "s"):
            mark = {"em": "*", "strong": "**", "s": "~~"}[kind]
            inner = self.inline(node)
            return f"{mark}{inner}{mark}" if inner.strip() else inner
        if kind == "link":
            return self.link(node)
        if kind == "image":
            return self.inline(node)  # its alt text only: nothing is fetched
        return ""  # html_inline and anything unknown

    def link(self, node: SyntaxTreeNode) -> str:
        href = str(node.attrs.get("href", ""))
        label = self.inline(node)
        if not _allowed(href, self.policy):
            shown = code_span(href)
            return shown if node.markup == "autolink" or not label.strip() else f"{label} ({shown})"
        if node.markup == "autolink":
            return f"<{href}>"
        return f"[{label}](<{href.replace('<', '%3C').replace('>', '%3E')}>)"

    def text(self, content: str) -> str:
        written, last = "", 0
        for found in _SPECIAL_IN_TEXT.finditer(content):
            written = _joined(_joined(written, _escape(content[last : found.start()])), self.special(found.group(0)))
            last = found.end()
        return _joined(written, _escape(content[last:]))

    def special(self, found: str) -> str:
        if found.startswith("@") or not _allowed(found if "://" in found else f"http://{found}", self.policy):
            return code_span(found)
        return _escape(found)


def _joined(written: str, piece: str) -> str:
    """`written` + `piece`, where the seam between two pieces must not start a construct of its own."""
    if written.endswith("`") and piece.startswith("`"):
        return f"{written} {piece}"  # two code spans side by side would read as one
    if (written.endswith("!") and piece.startswith("[")) or (_OPENS_TAG.match(piece) and written.endswith("<")):
        return f"{written[:-1]}\\{written[-1]}{piece}"  # `!` + a link is an image, `<` + a word is HTML
    return written + piece


def _escape(text: str) -> str:
    return _ESCAPED.sub(lambda m: "\\" + m.group(0), text)


def _safe_line_start(line: str) -> str:
    """A paragraph line that starts no block (list, heading, quote) and no slash command."""
    command = _COMMAND.match(line)
    if command:
        return f"{command.group(1)}{code_span(command.group(2))}{line[command.end():]}"
    return _LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", line)


def _alignment(style: object) -> str:
    return {"text-align:left": ":--", "text-align:center": ":-:", "text-align:right": "--:"}.get(str(style), "---")


def _allowed(href: str, policy: Policy) -> bool:
    """Relative links and http(s) links to the policy's hosts."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return False
    if not parts.scheme and not parts.netloc:
        return not href.strip().startswith("//") and "\\" not in href
    host = (parts.hostname or "").lower().rstrip(".")
    return parts.scheme in ("http", "https") and host in policy.hosts and not parts.username and not parts.password
