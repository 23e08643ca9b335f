"""Commands people give the App in a pull request's conversation.

    @<app-slug> review    review the pull request again (whole, not repeating comments)
    @<app-slug> help      explain the commands

Mentions inside quotes and code do not count, so quoting an earlier command
or showing one in backticks does not trigger it.
A mention with an unknown word gets the help text.
"""

from __future__ import annotations

import re
from enum import Enum

from reviewbot.markup import CODE_SPAN

_COMMAND = re.compile(
    r"(?<![\w@/.`-])@(?P<slug>[A-Za-z0-9][A-Za-z0-9-]*)(?:\[bot\])?(?![\w-])[\s:,]*(?P<word>[A-Za-z-]*)"
)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


class Command(str, Enum):
    REVIEW = "review"
    HELP = "help"


WORDS = {
    "review": Command.REVIEW,
    "rereview": Command.REVIEW,
    "re-review": Command.REVIEW,
    "help": Command.HELP,
}


def _command_lines(body: str) -> list[str]:
    """Lines that may hold a command: not quoted, not inside a fenced block."""
    lines, fenced = [], False
    for line in (body or "").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and not line.lstrip().startswith(">"):
            lines.append(line)
    return lines


def mentions(body: str) -> tuple[tuple[str, str], ...]:
    """(slug, word) for every command-shaped mention, slug lower-cased."""
    text = CODE_SPAN.sub(" ", "\n".join(_command_lines(body)))
    return tuple((m["slug"].lower(), m["word"].lower()) for m in _COMMAND.finditer(text))


def parse_command(body: str, slug: str) -> Command | None:
    """The command addressed to `slug` in a comment, or None when it is not addressed to it."""
    for mentioned, word in mentions(body):
        if mentioned == slug.lower():
            return WORDS.get(word, Command.HELP)
    return None


def looks_like_command(body: str) -> bool:
    """Pure pre-check without the slug: some `@name review` or `@name help` outside quotes and code."""
    return any(word in WORDS for _, word in mentions(body))


HELP = """\
### reviewbot commands

Write these in a comment on this pull request:

- `@{slug} review`: review the whole pull request again. Comments already posted are not repeated.
- `@{slug} help`: show this message.

In the thread of any review comment, reply **why?** to go one layer deeper toward the first principles \
behind it, **simpler** for a plainer explanation, or **example** for a small example.

Pull requests are reviewed when they are opened, reopened or marked ready for review, and on every push \
(only what changed since the last review). Settings live in `.reviewbot.toml` (or `[tool.reviewbot]` in \
`pyproject.toml`) on the default branch."""


def help_text(slug: str) -> str:
    return HELP.format(slug=slug)
