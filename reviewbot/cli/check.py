"""`reviewbot check`: gather the diff and files, review, render, choose the exit status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reviewbot.adapters.llm import open_model
from reviewbot.cli import inputs, terminal
from reviewbot.errors import UsageError

if TYPE_CHECKING:
    from reviewbot.config import Config
    from reviewbot.diffmodel import Diff
    from reviewbot.models import PullRequestText, Review
    from reviewbot.principles import PrincipleGraph

EXIT_OK = 0
EXIT_FINDINGS = 1


def run_check(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    if args.interactive and args.diff == "-":
        raise UsageError("--interactive reads your answers from the terminal: give the diff as a file, or use --git or --staged")
    output = Path(args.output) if args.output else None
    if output is not None:
        terminal.check_writable(output)
    source = gather(args)
    config = load(args, env, source)
    review = review_source(source, config, _spinner_enabled(env))
    if args.interactive:
        from reviewbot.interactive import run_terminal

        run_terminal(review, env, source.read, model=open_model(config))
        return exit_status(review, config.fail_on)
    terminal.write_report(render_report(review, args.format, output, source.target, env), output, sys.stdout)
    if args.stats:
        print(stats_line(config, review), file=sys.stderr)
    return exit_status(review, config.fail_on)


def load(args: argparse.Namespace, env: Mapping[str, str], source: inputs.Source) -> Config:
    """Flags > environment > the user's file > the repository's policy file, read from a trusted revision."""
    from reviewbot.cli.policy import python_files, repository_file
    from reviewbot.config_loader import load_config, read_user_config
    from reviewbot.ruffpolicy import ruff_policy

    start = Path(args.root) if args.root else Path.cwd()
    repository = repository_file(args.config, Path.cwd(), start, source)
    # every option whose dest is a Config field is a setting; the rest is ignored
    config = load_config(vars(args), env, repository, read_user_config(env))
    python = ruff_policy(python_files(start, source))  # the Python target and per-file-ignores, same revision
    return replace(config, ruff=python, repository=_origin(args, start))


def _origin(args: argparse.Namespace, start: Path) -> str:
    """ "owner/name" of the checkout's `origin` remote when the change comes from git, else ""."""
    from reviewbot.adapters import localgit
    from reviewbot.errors import GitError

    if args.git is None and not args.staged:
        return ""
    try:
        return localgit.origin_repository(localgit.repository_root(start))
    except GitError:
        return ""


def gather(args: argparse.Namespace) -> inputs.Source:
    """The diff to review, from the one input the command line names."""
    start = Path(args.root) if args.root else Path(".")
    if args.git is not None:
        return inputs.from_git(inputs.check_root(start), args.git)
    if args.staged:
        return inputs.from_index(inputs.check_root(start))
    if args.diff is None:
        raise UsageError("nothing to review: give a diff file, '-' for stdin, --git [BASE] or --staged")
    root = inputs.check_root(start)
    if args.diff == "-":
        if terminal.isatty(sys.stdin):
            print("reviewbot: reading a diff from stdin (end with Ctrl-D)", file=sys.stderr)
        return inputs.from_stream(getattr(sys.stdin, "buffer", None), root)
    return inputs.from_file(args.diff, root)


def review_source(source: inputs.Source, config: Config, spinner: bool = False) -> Review:
    """Parse, read the files, review; an empty diff is an empty review, not an error."""
    from reviewbot.models import Review
    from reviewbot.principles import load_graph
    from reviewbot.render.common import NO_CHANGES
    from reviewbot.review.lazytext import LazyText

    diff = inputs.parse(source)
    if not diff.files:
        return Review(comments=(), notes=(NO_CHANGES,))
    contents = inputs.read_contents(diff, source)
    base = LazyText(source.read_base) if source.read_base is not None else None
    with terminal.Spinner(spinner, "reviewing") as progress:
        review = run_review(diff, contents.text, config, load_graph(), progress.update, base, source.words)
    return explain_skipped(review, contents.reasons)


def run_review(
    diff: Diff,
    contents: Mapping[str, str | None],
    config: Config,
    graph: PrincipleGraph,
    progress: Callable[[str], None] | None = None,
    base: Mapping[str, str | None] | None = None,
    words: PullRequestText | None = None,
) -> Review:
    """The one choice between reviewers: the LLM when configured, else built-in.

    `base` is the pre-change text by path (None: rebuilt from the diff), so only findings
    the change introduced are reported; `words` (the commit messages) reach the LLM as data.
    """
    from reviewbot.engine import review

    return review(diff, contents, config, graph, model=open_model(config), progress=progress, base_contents=base,
                  pull_request=words)


def stats_line(config: Config, review: Review) -> str:
    """--stats: LLM calls, prompt/completion/cached tokens and the estimated cost (for stderr)."""
    if not review.reviewer.startswith("llm:"):
        return "reviewbot: stats: built-in reviewer, no LLM calls"
    from reviewbot.llm.prices import format_stats

    mode = f", {review.mode} mode" if review.mode else ""
    return f"reviewbot: stats: {format_stats(config.model, review.usage)}{mode}"


def explain_skipped(review: Review, reasons: Mapping[str, str]) -> Review:
    """Complete the reviewer's skip reasons with why a file's content was not available."""
    if not reasons:
        return review
    skipped = tuple(replace(s, reason=inputs.with_reasons(s.reason, s.path, reasons)) for s in review.skipped)
    return replace(review, skipped=skipped)


def render_report(review: Review, fmt: str, output: Path | None, target: str | None, env: Mapping[str, str]) -> str:
    from reviewbot import __version__
    from reviewbot.render import RenderOptions, render

    is_tty = output is None and terminal.isatty(sys.stdout)
    options = RenderOptions(
        color=terminal.wants_color(is_tty, env),
        width=terminal.width(is_tty),
        target=target,
        version=__version__,
    )
    return render(review, fmt, options)


def exit_status(review: Review, fail_on: str) -> int:
    """1 when a comment is at or above `fail_on` (never: always 0)."""
    from reviewbot.models import Severity

    if fail_on == "never":
        return EXIT_OK
    threshold = Severity.parse(fail_on).rank
    return EXIT_FINDINGS if any(c.severity.rank >= threshold for c in review.comments) else EXIT_OK


def _spinner_enabled(env: Mapping[str, str]) -> bool:
    return terminal.isatty(sys.stderr) and not env.get("CI")
