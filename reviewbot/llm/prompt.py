"""Building requests from the templates in prompts/ (pure).

Every request is two messages, stable part first:
1. system: the review instructions, the output schema and the compact
   principle catalog, rendered once per run and byte-identical across its
   calls, so providers that cache prompt prefixes reuse it;
2. user: the pull request's own text: title, description, commit messages,
   file list and declared runtime versions (the same for all its parts), then
   the part of the diff and the analyzers' findings for it.
Everything from the pull request is fenced as <<<LABEL ... LABEL>>> data,
file names included, with its control characters escaped (`visible`): a
newline in a name cannot start a line of instructions, and no fence can be
closed from inside.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from reviewbot.llm.model import Message
from reviewbot.models import CommitMessage, PullRequestText
from reviewbot.visible import visible

_DOC_COMMENT = re.compile(r"\A<!--.*?-->\s*", re.DOTALL)
_FENCE_OPEN = re.compile(r"<<<(?=[A-Z])")
_FENCE_CLOSE = re.compile(r"(?<=[A-Z])>>>")
NO_NOTES = "(none)"
AUDIENCES = {  # config.level -> who the model writes the "why" for
    "engineer": "an experienced engineer: precise and brief",
    "eli12": "a beginner: plain words a twelve-year-old could follow, with one everyday analogy",
}


@dataclass(frozen=True)
class SentLine:
    """One row of the diff as the model sees it."""

    kind: str  # "+" added, "-" deleted, " " unchanged in the hunk, ":" surrounding line of the file
    number: int | None  # line in the new file; None for deleted lines (and for a "…" gap row)
    text: str
    old: int | None = None  # line in the old file, shown for deleted lines


@cache
def template(name: str) -> Template:
    """A prompt template from prompts/, without its leading documentation comment."""
    text = resources.files("reviewbot.prompts").joinpath(name).read_text(encoding="utf-8")
    return Template(_DOC_COMMENT.sub("", text, count=1))


@cache
def review_schema() -> dict[str, Any]:
    text = resources.files("reviewbot.prompts").joinpath("review.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def system_prompt(catalog: str, instructions: str = "", level: str = "engineer") -> str:
    """The stable prefix: the same bytes for every call with the same catalog, level and notes."""
    schema = json.dumps(review_schema(), sort_keys=True, separators=(",", ":"))
    notes = instructions.strip() or NO_NOTES
    audience = AUDIENCES.get(level, AUDIENCES["engineer"])
    return template("review.md").substitute(schema=schema, catalog=catalog.strip(), audience=audience,
                                            instructions=notes).strip()


def user_prompt(pull_request: str, index: int, files: Sequence[str], findings: str, diff: str) -> str:
    """The pull-request-specific part of one request; `pull_request` comes from `pull_request_block`."""
    return template("review_chunk.md").substitute(
        pull_request=pull_request,
        index=index,
        files=fence("FILES", "\n".join(name(path) for path in files)),
        findings=fence("FINDINGS", findings or "(none)"),
        diff=fence("DIFF", diff),
    ).strip()


def pull_request_block(pr: PullRequestText | None, files: str = "", versions: str = "") -> str:
    """The pull request's own text, its file list and the declared runtime versions: the same for all parts."""
    if pr is None or not (pr.title.strip() or pr.description.strip()):
        blocks = ["(no title or description given)"]
    else:
        title = visible(pr.title.strip(), one_line=True)
        blocks = [fence("TITLE", title), fence("DESCRIPTION", pr.description.strip() or "(empty)")]
    if pr is not None and pr.commits:
        blocks.append(commits_block(pr.commits, pr.earlier))
    if files:
        blocks.append("The files it changes (path, status, lines added and deleted):\n" + fence("CHANGED_FILES", files))
    if versions:
        blocks.append("Runtime versions the repository declares:\n" + fence("VERSIONS", versions))
    return "\n".join(blocks)


def commits_block(commits: Sequence[CommitMessage], earlier: int = 0) -> str:
    """The commit messages, oldest first, each fenced on its own: a message cannot run into the next one."""
    older = f"; {earlier} earlier commits not shown" if earlier else ""
    rows = [f"Its commit messages, oldest first ({len(commits)}{older}):"]
    for commit in commits:
        text = visible(commit.subject, one_line=True) + (f"\n\n{commit.body}" if commit.body else "")
        rows.append(f"commit {name(commit.id[:12]) or '(id not given)'}:\n{fence('COMMIT', text)}")
    return "\n".join(rows)


def messages(system: str, user: str) -> list[Message]:
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def fence(label: str, text: str) -> str:
    """`text` as clearly delimited data: no fence can be opened or closed from inside it.

    Control characters other than newline and tab are escaped, so a carriage
    return or an ANSI sequence cannot make one line look like another.
    """
    clean = _FENCE_CLOSE.sub("> >>", _FENCE_OPEN.sub("<< <", visible(text)))
    return f"<<<{label}\n{clean}\n{label}>>>"


def name(text: str) -> str:
    """A name from the pull request (a path, a title) on one line, its control characters escaped."""
    return visible(text, one_line=True)


def file_header(path: str, status: str, old_path: str | None = None) -> str:
    renamed = f", from {name(old_path)}" if old_path and old_path != path else ""
    return f"=== FILE {name(path)} ({status}{renamed}) ==="


def render_line(line: SentLine) -> str:
    shown = line.old if line.kind == "-" else line.number
    number = "" if shown is None else str(shown)
    return f"{number:>5} {line.kind} {line.text}".rstrip()


def render_lines(lines: Sequence[SentLine]) -> str:
    return "\n".join(render_line(line) for line in lines)
