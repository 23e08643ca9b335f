"""`reviewbot action`: the App's work for this workflow run's event, then the report.

On `pull_request` it runs the App's review flow and posts one review
(`reviewbot.action.review`); on `pull_request_review_comment` it answers a
"why?" thread with the App's thread code (`reviewbot.action.thread`). It
also prints the findings as workflow annotations and writes the job
summary, the step outputs and, when asked, a SARIF file. When the token may
not write (pull requests from forks get a read-only token and no secrets; a
job without `pull-requests: write` gets a 403) the review is still made and
reported those ways, and the log and the summary say why it was not posted.

Exit status: 0 done, or nothing to do for this event; 1 findings at or above
fail-on; 2 the workflow or its environment is set up wrongly (one `::error`
line says what to fix); 3 internal error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from reviewbot.action import context
from reviewbot.action.environment import ActionEnv, read_event
from reviewbot.action.events import Idle, ReviewTask, task_for
from reviewbot.action.report import append, emit, error_text
from reviewbot.errors import ConfigError, ReviewbotError
from reviewbot.outfile import check_target


def run_action(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """Entry point of the subcommand; errors become one `::error` line and exit 2."""
    out = sys.stdout
    try:
        return _run(ActionEnv.from_env(env, Path.cwd()), env, out)
    except ReviewbotError as err:
        message = " ".join(str(err).split())
        emit(error_text(message), out)
        append(_summary_path(env), f"**reviewbot could not run:** {message}\n", "job summary", out)
        return err.exit_code
    except Exception as err:  # a bug: annotate the run, then `main` reports it (exit 3)
        emit(error_text(f"internal error: {type(err).__name__}; please report it (REVIEWBOT_DEBUG=1 shows the "
                        "traceback)"), out)
        raise


def _run(action: ActionEnv, env: Mapping[str, str], out: TextIO) -> int:
    if action.sarif_file is not None:  # refuse a planted link or a path outside the workspace before any work
        check_target(action.sarif_file, "sarif-file", action.workspace)
    task = task_for(action.event_name, read_event(action.event_path), action.repository)
    if isinstance(task, Idle):
        if task.refused:
            raise ConfigError(task.reason)
        emit(f"reviewbot: {task.reason}\n", out)
        return 0
    if isinstance(task, ReviewTask):
        from reviewbot.action.review import run_review

        return run_review(task, context.build(action, env, out, task.fork, f"reviewing with {context.BUILTIN}"))
    from reviewbot.action.thread import run_thread

    return run_thread(task, context.build(action, env, out, task.fork, "answering from the principle graph"))


def _summary_path(env: Mapping[str, str]) -> Path | None:
    value = env.get("GITHUB_STEP_SUMMARY", "").strip()
    return Path(value) if value else None
