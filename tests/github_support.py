"""Building blocks for GitHub App tests: pull requests from real git, recorded deliveries, stand-ins.

- `git_pull` makes a pull request in a real git repository and `files_between`
  turns real `git diff` output into the files endpoint's entries; `install`
  puts it on a `FakeGitHub`.
- `pr_event` / `comment_event` are GitHub's recorded example deliveries
  (@octokit/webhooks-examples) pointed at the fake.
- `GRAPH` and `marker_review` stand in for the principle graph and
  `reviewbot.engine.review` where a test wants predictable findings.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fakegithub import FakeGitHub, FakePull

_LETTER = {"A": "added", "D": "removed", "M": "modified", "R": "renamed", "C": "copied", "T": "changed"}


def git(cwd: Path, *args: str) -> str:
    return git_bytes(cwd, *args).decode("utf-8", "surrogateescape")


def git_bytes(cwd: Path, *args: str) -> bytes:
    env = {
        "GIT_AUTHOR_NAME": "Octo Cat",
        "GIT_AUTHOR_EMAIL": "octo@example.com",
        "GIT_COMMITTER_NAME": "Octo Cat",
        "GIT_COMMITTER_EMAIL": "octo@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(cwd),
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    done = subprocess.run(
        ["git", "-c", "core.quotepath=false", *args], cwd=cwd, env=env, capture_output=True, check=True
    )
    return done.stdout


def commit(cwd: Path, files: dict[str, str | bytes | None], message: str = "change") -> str:
    """Write (None: delete) files and commit; returns the new head SHA."""
    for name, content in files.items():
        target = cwd / name
        if content is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "--allow-empty", "-m", message)
    return git(cwd, "rev-parse", "HEAD").strip()


def init_repo(cwd: Path) -> Path:
    cwd.mkdir(parents=True, exist_ok=True)
    git(cwd, "init", "-q", "-b", "main")
    return cwd


def files_between(cwd: Path, base: str, head: str) -> list[dict[str, Any]]:
    """The files endpoint's entries for base...head, made from real `git diff` output."""
    names = git(cwd, "diff", "--name-status", "-M", "-z", base, head).split("\0")
    numstat = _numstat(cwd, base, head)
    entries, index = [], 0
    while index < len(names) - 1:
        letter = names[index][0]
        paths = names[index + 1 : index + (3 if letter in "RC" else 2)]
        index += 1 + len(paths)
        entries.append(_entry(cwd, base, head, letter, paths, numstat))
    return entries


def _numstat(cwd: Path, base: str, head: str) -> dict[str, tuple[int, int]]:
    found = {}
    for line in git(cwd, "diff", "--numstat", "-M", base, head).splitlines():
        added, deleted, name = line.split("\t", 2)
        name = re.sub(r"\{[^{}]* => ([^{}]*)\}", r"\1", name).replace("//", "/").split(" => ")[-1]
        found[name] = (0 if added == "-" else int(added), 0 if deleted == "-" else int(deleted))
    return found


def _entry(cwd: Path, base: str, head: str, letter: str, paths: list[str], numstat: dict) -> dict[str, Any]:
    text = git(cwd, "diff", "-M", base, head, "--", *paths)
    hunk_start = text.find("\n@@ ")
    patch = text[hunk_start + 1 :].rstrip("\n") if hunk_start >= 0 else None
    additions, deletions = numstat.get(paths[-1], (0, 0))
    entry = {
        "filename": paths[-1],
        "status": _LETTER[letter],
        "patch": patch,
        "additions": additions,
        "deletions": deletions,
    }
    if letter in "RC":
        entry["previous_filename"] = paths[0]
    return entry


@dataclass
class GitPull:
    """A pull request made in a real git repository: its SHAs, files entries and contents."""

    cwd: Path
    base: str
    head: str
    files: list[dict[str, Any]]

    def contents(self, ref: str) -> dict[str, str | bytes]:
        """Every file at `ref`: text, or bytes when it is not UTF-8."""
        listed = git(self.cwd, "ls-tree", "-r", "--name-only", "-z", ref).split("\0")
        return {name: _decoded(git_bytes(self.cwd, "show", f"{ref}:{name}")) for name in listed if name}


def _decoded(data: bytes) -> str | bytes:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def git_pull(
    cwd: Path, base_files: dict[str, str | bytes], head_files: dict[str, str | bytes | None]
) -> GitPull:
    init_repo(cwd)
    base = commit(cwd, base_files, "base")
    head = commit(cwd, head_files, "head")
    return GitPull(cwd, base, head, files_between(cwd, base, head))


def install(github: FakeGitHub, repo: str, pull: GitPull, number: int = 1, **kwargs: Any) -> FakePull:
    """Put a GitPull on the fake: the pull request, and every file at base and head."""
    if repo not in github.repos:
        github.add_repo(repo)
    for ref in (pull.base, pull.head):
        for path, text in pull.contents(ref).items():
            github.set_file(repo, ref, path, text)
    return github.add_pull(repo, number, pull.head, pull.base, pull.files, **kwargs)


@dataclass(frozen=True)
class FakePrinciple:
    id: str
    name: str
    statement: str


class FakeGraph:
    """The two things the App asks of the principle graph: `in` and `.get(id).statement`."""

    def __init__(self, *principles: FakePrinciple) -> None:
        self._by_id = {p.id: p for p in principles}

    def __contains__(self, principle_id: object) -> bool:
        return principle_id in self._by_id

    def get(self, principle_id: str) -> FakePrinciple:
        return self._by_id[principle_id]


GRAPH = FakeGraph(
    FakePrinciple("finish-what-you-start", "Finish what you start", "Unfinished work hides in plain sight."),
    FakePrinciple("least-surprise", "Least surprise", "Code should do what a reader expects."),
)


def marker_review(
    diff: Any, contents: Any, config: Any, graph: Any, model: Any = None, pull_request: Any = None, base_contents: Any = None
) -> Any:
    """A stand-in for `reviewbot.engine.review`: one finding per added line holding a marker word.

    `TODO` -> warning (finish-what-you-start), `FIXME` -> error, `print(` -> info
    (least-surprise), with a suggestion that drops the print.
    """
    from reviewbot.models import Comment, PrincipleRef, Review, Severity

    rules = {
        "TODO": (Severity.WARNING, "finish-what-you-start", "todo-comment"),
        "FIXME": (Severity.ERROR, "finish-what-you-start", "fixme-comment"),
        "print(": (Severity.INFO, "least-surprise", "print-call"),
    }
    comments = []
    for file in diff:
        for hunk in file.hunks:
            for line in hunk.lines:
                for word, (severity, pid, rule) in rules.items():
                    if line.kind == "+" and word in line.text:
                        ref = PrincipleRef(
                            pid, graph.get(pid).name if pid in graph else pid, "Because it matters."
                        )
                        suggestion = "" if word == "print(" else None
                        comments.append(
                            Comment(
                                file.path,
                                line.new,
                                severity,
                                f"Found {word}",
                                f"`{word}` left in.",
                                ref,
                                f"diff:{rule}",
                                suggestion=suggestion,
                            )
                        )
    return Review(tuple(comments), files_reviewed=len(diff))


def pr_event(
    action: str, repo: str = "octo/hello", number: int = 1, head: str | None = None, installation: int = 1
) -> dict:
    """A recorded `pull_request` delivery (@octokit/webhooks-examples), pointed at our fake."""
    from webhook_examples import example

    payload = example("pull_request", action)
    payload["action"] = action
    payload["installation"] = {"id": installation, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ=="}
    payload["repository"]["full_name"] = repo
    payload["number"] = payload["pull_request"]["number"] = number
    if head is not None:
        payload["pull_request"]["head"]["sha"] = head
    return payload


def comment_event(
    body: str, repo: str = "octo/hello", number: int = 1, login: str = "octocat", kind: str = "User"
) -> dict:
    """A recorded `issue_comment` delivery, turned into a comment on a pull request."""
    from webhook_examples import examples

    payload = next(p for p in examples("issue_comment") if p.get("installation") and p["action"] == "created")
    payload["repository"]["full_name"] = repo
    payload["issue"]["number"] = number
    payload["issue"]["pull_request"] = {
        "url": f"https://api.github.com/repos/{repo}/pulls/{number}",
        "html_url": f"https://github.com/{repo}/pull/{number}",
        "diff_url": f"https://github.com/{repo}/pull/{number}.diff",
        "patch_url": f"https://github.com/{repo}/pull/{number}.patch",
        "merged_at": None,
    }
    payload["comment"]["body"] = body
    payload["comment"]["user"] = {**payload["comment"]["user"], "login": login, "type": kind}
    payload["sender"] = {**payload["sender"], "login": login, "type": kind}
    return payload
