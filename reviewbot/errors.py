"""One family of exceptions, each with a message a person can act on.

Every edge translates these once: the CLI into an exit code and one line on
stderr, the server into a status code and a log line, the Action into an
annotation. Nothing below the edges prints or exits.
"""

from __future__ import annotations

MAX_FAILURE_TEXT = 300  # characters of an error shown on a pull request


def shortened(text: str, limit: int = MAX_FAILURE_TEXT) -> str:
    """`text` on one line, cut to `limit` characters (the cut marked with an ellipsis)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class ReviewbotError(Exception):
    """Base class: `str(err)` is a complete, actionable one-line message."""

    exit_code = 2


class UsageError(ReviewbotError):
    """The command was called wrongly (bad flag combination, missing file)."""


class InputError(ReviewbotError):
    """Input data could not be used (unreadable file, not a diff, bad JSON)."""


class DiffParseError(InputError):
    """A unified diff is malformed; `line` is the 1-based input line."""

    def __init__(self, line: int, detail: str) -> None:
        self.line = line
        self.detail = detail
        super().__init__(f"malformed diff at line {line}: {detail}")


class ConfigError(ReviewbotError):
    """A configuration key or value is invalid; the message names key and file."""


class UnknownPrincipleError(ReviewbotError):
    """A principle id is not in the graph; the message suggests close ids."""


class AnalyzerError(ReviewbotError):
    """A built-in analyzer could not run (missing binary, crashed)."""


class GitError(ReviewbotError):
    """A local git command failed; the message carries git's own words."""


class ModelError(ReviewbotError):
    """The LLM could not be used (auth, quota, timeout, unusable answer)."""
