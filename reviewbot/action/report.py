"""What a run reports besides the posted review: log lines, annotations, job summary, SARIF, outputs.

The texts are built by pure functions from a `Result`; the few functions at
the end write them where GitHub Actions reads them (stdout for workflow
commands, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, the sarif-file input).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from reviewbot.markup import one_line
from reviewbot.models import Review
from reviewbot.outfile import append_file, write_file
from reviewbot.render import RenderOptions, render
from reviewbot.render.annotations import command

TITLE = "reviewbot"
NOT_POSTED_TITLE = "reviewbot did not post a review"


@dataclass(frozen=True)
class Result:
    """What one run did."""

    headline: str  # one line: what happened, e.g. "posted a review with 3 inline comments"
    review: Review | None = None  # what the engine found (None: no review ran)
    posted: bool = False
    not_posted: str | None = None  # why no review was posted although one was due
    notes: tuple[str, ...] = ()  # facts the reader should know (e.g. which reviewer ran, and why)
    link: str | None = None  # the posted review on github.com

    @property
    def counts(self) -> dict[str, int]:
        return self.review.counts() if self.review else {"error": 0, "warning": 0, "info": 0}


# --- texts -------------------------------------------------------------------------------------


def log_text(result: Result, target: str) -> str:
    """stdout: the notes and the reason no review was posted as workflow commands, then the annotations."""
    lines = [f"reviewbot: {target}"]
    lines += [command("notice", note, title=TITLE) for note in result.notes]
    if result.not_posted:
        lines.append(command("warning", result.not_posted, title=NOT_POSTED_TITLE))
    text = "\n".join(lines) + "\n"
    if result.review is not None:
        text += render(result.review, "github")
    return text + f"reviewbot: {result.headline}\n"


def summary_text(result: Result, target: str, version: str = "") -> str:
    """The job summary: what happened first, then the findings as Markdown."""
    status = f"**reviewbot** · {target} · {result.headline}"
    if result.link:
        status += f" ([review]({result.link}))"
    parts = [status]
    if result.not_posted:
        parts.append(f"> **No review was posted.** {result.not_posted}")
    parts += [f"- {one_line(note)}" for note in result.notes]
    if result.review is not None:
        parts.append(render(result.review, "markdown", RenderOptions(target=target, version=version)).rstrip("\n"))
    return "\n\n".join(parts) + "\n"


def outputs_text(result: Result) -> str:
    """GITHUB_OUTPUT lines: the step's outputs."""
    counts = result.counts
    values = {
        "findings": sum(counts.values()),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "posted": "true" if result.posted else "false",
    }
    return "".join(f"{name}={value}\n" for name, value in values.items())


def error_text(message: str) -> str:
    """One workflow-command line for an error that stopped the run."""
    return command("error", message, title=TITLE) + "\n"


def sarif_text(review: Review | None, version: str = "") -> str:
    """SARIF of the review; an empty run when no review ran, so an upload step finds a valid file."""
    return render(review or Review(comments=()), "sarif", RenderOptions(version=version))


# --- writing -----------------------------------------------------------------------------------


def emit(text: str, stream: TextIO) -> None:
    stream.write(text)
    stream.flush()


def append(path: Path | None, text: str, what: str, stream: TextIO) -> None:
    """Append to a file GitHub reads after the step; a failure is a warning, not a failed run.

    The file is never followed through a symbolic link (`reviewbot.outfile.append_file`).
    """
    if path is None:
        return
    try:
        append_file(path, text)
    except OSError as err:
        emit(command("warning", f"could not write the {what} to {path}: {err.strerror or err}", title=TITLE) + "\n",
             stream)


def write_sarif(path: Path, text: str, workspace: Path | None = None) -> None:
    """Write the SARIF file the sarif-file input asked for: inside the workspace, never through a link."""
    write_file(path, text, "sarif-file", within=workspace)
