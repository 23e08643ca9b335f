"""The commit messages of a change, as the LLM reviewer is shown them (pure).

The edges collect them: `git log BASE..HEAD` for `reviewbot check --git`
(`reviewbot.adapters.localgit.commit_log`), GitHub's "list commits on a pull
request" for the App and the Action. Here they become `CommitMessage`s and are
bounded, so a long branch or a huge message cannot crowd the diff out of a
request: the newest MAX_COMMITS commits, each subject cut to MAX_SUBJECT
characters, each body to MAX_BODY, and all bodies together to MAX_TOTAL. A cut
says so where it happened. The messages stay untrusted data: the prompt
fences and escapes them like the title and description (`reviewbot.llm.prompt`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from reviewbot.models import CommitMessage, PullRequestText

MAX_COMMITS = 20  # the newest commits shown; older ones are counted, not shown
MAX_SUBJECT = 200  # characters of a subject line
MAX_BODY = 1_500  # characters of one message's body
MAX_TOTAL = 6_000  # characters of all bodies together
_COMMIT_ID = re.compile(r"[0-9a-f]{4,64}\Z")


def from_message(commit_id: str, message: str) -> CommitMessage:
    """A commit's full message split into subject and body; an id that is not hex is left out."""
    lines = message.replace("\r\n", "\n").strip().split("\n", 1)
    body = lines[1].strip() if len(lines) > 1 else ""
    return CommitMessage(commit_id if _COMMIT_ID.match(commit_id) else "", lines[0].strip(), body)


def from_api(items: Iterable[Any]) -> tuple[CommitMessage, ...]:
    """Entries of GitHub's list-commits answer (oldest first); an entry without a message is left out."""
    found = []
    for item in items:
        commit = item.get("commit") if isinstance(item, Mapping) else None
        message = commit.get("message") if isinstance(commit, Mapping) else None
        sha = item.get("sha") if isinstance(item, Mapping) else None
        if isinstance(message, str) and message.strip():
            found.append(from_message(sha if isinstance(sha, str) else "", message))
    return tuple(found)


def with_commits(pr: PullRequestText | None, commits: Sequence[CommitMessage], earlier: int = 0) -> PullRequestText:
    """`pr` (or an empty one) carrying `commits` (oldest first) and the count of older ones left out."""
    return replace(pr or PullRequestText(), commits=tuple(commits), earlier=earlier)


def bounded(pr: PullRequestText) -> PullRequestText:
    """The same words within the bounds above; every cut is marked in the text."""
    keep = pr.commits[-MAX_COMMITS:]
    earlier = pr.earlier + len(pr.commits) - len(keep)
    left = MAX_TOTAL
    out = []
    for commit in reversed(keep):  # the newest first: the budget goes to the most recent messages
        body = cut(commit.body, min(MAX_BODY, left))
        left = max(left - len(body), 0)
        out.append(CommitMessage(commit.id, cut(commit.subject, MAX_SUBJECT), body))
    return replace(pr, commits=tuple(reversed(out)), earlier=earlier)


def cut(text: str, limit: int) -> str:
    """`text`, or its first `limit` characters and a note of how many more there were."""
    if len(text) <= limit:
        return text
    return f"{text[:limit].rstrip()} [… {len(text) - limit} more characters not shown]".lstrip()
