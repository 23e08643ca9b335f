"""The argument parser: argparse and small constant modules only, so `reviewbot --help` stays fast."""

from __future__ import annotations

import argparse
import sys

from reviewbot import __version__
from reviewbot.config import COMMENT_ON, FAIL_ON, LEVELS
from reviewbot.learner.args import add_learner_parser
from reviewbot.models import Severity
from reviewbot.render import FORMATS
from reviewbot.server.cli import add_server_commands

SEVERITIES = tuple(s.value for s in Severity)

DESCRIPTION = "A code-review bot that teaches: every comment carries its first-principle why."
CHECK_EPILOG = """\
input (one of):
  DIFF                  a unified diff file (`git diff` or `diff -u` output); `-` reads stdin
  --git [BASE]          the working tree and index against BASE (default: the merge-base
                        with the upstream or default branch, else HEAD)
  --git BASE..HEAD      the commits after BASE up to HEAD, without the working tree
                        (BASE...HEAD: from their merge-base)
  --staged              the index against HEAD (what `git commit` would record)

exit status: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage, input or configuration error, 3 internal error, 130 interrupted.

examples:
  reviewbot check --git
  git diff main | reviewbot check - --format markdown
  reviewbot check changes.diff --root . --format sarif --output reviewbot.sarif
"""

ACTION_EPILOG = """\
environment (GitHub Actions sets the first ones; action.yml sets the rest from its inputs):
  GITHUB_EVENT_NAME, GITHUB_EVENT_PATH   the event: pull_request or pull_request_review_comment
  GITHUB_TOKEN                           token to read the pull request and post the review
  GITHUB_API_URL, GITHUB_SERVER_URL      GitHub's API and web addresses
  GITHUB_STEP_SUMMARY, GITHUB_OUTPUT     where the job summary and the step outputs go
  OPENAI_API_KEY, OPENAI_BASE_URL        the LLM; without a key the built-in reviewer runs
  REVIEWBOT_MODEL                        the model to review with
  REVIEWBOT_CONFIG                       settings file in the repository, read from the default branch
  REVIEWBOT_FAIL_ON                      error | warning | info | never (default: the settings file's)
  REVIEWBOT_SARIF_FILE                   also write the findings as SARIF to this file

exit status: 0 done or nothing to do, 1 findings at or above fail-on,
2 the workflow or its environment is set up wrongly, 3 internal error.
"""


class Parser(argparse.ArgumentParser):
    """argparse, with its usage errors in reviewbot's one-line form (exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"reviewbot: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="reviewbot", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"reviewbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    _add_check(commands)
    _add_why(commands)
    _add_principles(commands)
    add_learner_parser(commands)
    add_server_commands(commands)
    _add_action(commands)
    return parser


def _add_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check",
        help="review a diff and print comments with their why",
        description="Review a diff: every comment says what is wrong, how to fix it, and why.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = check.add_mutually_exclusive_group()
    source.add_argument("diff", nargs="?", metavar="DIFF", help="diff file to review, or - for stdin")
    source.add_argument("--git", nargs="?", const="", metavar="BASE",
                        help="review the working tree against BASE, or the commits of a range BASE..HEAD")
    source.add_argument("--staged", action="store_true", help="review the staged changes (index against HEAD)")
    check.add_argument("--root", metavar="DIR", help="where the post-change files are (default: current directory)")
    check.add_argument("-f", "--format", choices=FORMATS, default="text", help="output format (default: text)")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument(
        "--fail-on", choices=FAIL_ON, help="exit 1 when a finding at or above this severity exists (default: error)"
    )
    check.add_argument(
        "--comment-on", choices=COMMENT_ON,
        help="proven: comment on findings of rules that are certain or have earned it, list the rest (default); "
             "all: comment on every finding",
    )
    check.add_argument(
        "--severity", choices=SEVERITIES, dest="min_severity", help="report only findings at or above this severity"
    )
    check.add_argument(
        "--max-comments", type=_positive_int, metavar="N", help="report at most N comments (the most severe)"
    )
    check.add_argument("--level", choices=LEVELS, help="how the why is explained (default: engineer)")
    check.add_argument(
        "--offline", action="store_true", default=None, help="use the built-in reviewer even when an LLM is configured"
    )
    check.add_argument("--model", metavar="NAME", help="LLM to review with (default: REVIEWBOT_MODEL or ~/.config/reviewbot/config.toml)")
    check.add_argument("--concurrency", type=_positive_int, metavar="N", help="LLM requests in flight at once (default: 4)")
    check.add_argument(
        "--stats", action="store_true", help="print LLM calls, prompt/completion/cached tokens and estimated cost to stderr"
    )
    check.add_argument(
        "--config",
        metavar="FILE",
        help="review policy file (default: .reviewbot.toml or [tool.reviewbot] in pyproject.toml, "
        "read from the base revision with --git, else from HEAD)",
    )
    check.add_argument(
        "-i",
        "--interactive",
        action="store_true",
        help="then pick a finding and ask why, one layer at a time (why, simpler, example, check, got it)",
    )


def _add_why(commands: argparse._SubParsersAction) -> None:
    why = commands.add_parser(
        "why",
        help="explain a principle one layer deeper",
        description="Walk PRINCIPLE's primary chain (the first of its `because`) one step deeper, or down to bedrock.",
    )
    why.add_argument(
        "principle", metavar="PRINCIPLE", help="a principle id (see `reviewbot principles`) or a rule such as ruff:B006"
    )
    why.add_argument(
        "--depth", type=_depth, default=1, metavar="N", help="layers to print: a number or 'all' (default: 1)"
    )
    why.add_argument(
        "--level", choices=LEVELS, default="engineer", help="engineer (default) or eli12, the simpler form"
    )
    why.add_argument(
        "-f", "--format", choices=("text", "json", "dot", "mermaid"), default="text",
        help="output format (default: text); dot and mermaid draw the principle's neighbourhood",
    )
    why.add_argument(
        "--graph", action="store_true",
        help="draw the principle's primary chain, its other parents and what rests on it (DOT unless --format)",
    )
    tutor = why.add_mutually_exclusive_group()
    tutor.add_argument("--check", metavar="STATEMENT",
                       help="your understanding in your own words: get a verdict (correct, partly, misconception, "
                            "or can't tell) with the gap and the correction")
    tutor.add_argument("--probe", action="store_true", help="print the principle's question to test yourself")
    tutor.add_argument("--answer", metavar="TEXT", help="check your answer to the --probe question")
    why.add_argument(
        "--no-record", action="store_true",
        help="leave your learner profile alone. By default a --check or --answer verdict is added to your own "
             "local profile, as `check --interactive` does (REVIEWBOT_DATA_DIR, else $XDG_DATA_HOME/reviewbot/"
             "profile.sqlite3, as REVIEWBOT_LOGIN or your user name; never the App's database), except on a CI "
             "runner (CI=true)",
    )


def _add_principles(commands: argparse._SubParsersAction) -> None:
    principles = commands.add_parser(
        "principles",
        help="list or search the principle catalog",
        description="List the principles, or those matching QUERY (id, name, statement or category).",
    )
    principles.add_argument("query", nargs="?", metavar="QUERY", help="words to search for")
    principles.add_argument(
        "-f", "--format", choices=("text", "json", "dot", "mermaid"), default="text",
        help="output format (default: text); dot and mermaid draw the whole graph",
    )
    principles.add_argument(
        "--graph", action="store_true",
        help="print the whole graph, primary links bold and other links dashed (DOT unless --format)",
    )
    principles.add_argument(
        "--html", metavar="DIR",
        help="write the principle explorer to DIR: a map of every principle and a page for each, offline",
    )


def _add_action(commands: argparse._SubParsersAction) -> None:
    commands.add_parser(
        "action",
        help="review the pull request of a GitHub Actions run (what action.yml runs)",
        description="Do the GitHub App's work for this workflow run's event, reading the Actions environment.",
        epilog=ACTION_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {text!r}")
    return number


def _depth(text: str) -> int | None:
    """A layer count, or None for 'all'."""
    return None if text.strip().lower() == "all" else _positive_int(text)
