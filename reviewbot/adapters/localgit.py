"""The local git edge: diffs, merge-base resolution and file contents via `git`.

Every call runs `git` in ROOT as a subprocess with a fixed, predictable
output format (no colour, no external diff drivers, a/ b/ prefixes whatever
the user's configuration says). The repository is not trusted to run code:
its fsmonitor hook, its hooks and its external diff and textconv drivers are
switched off for every call. Failures raise `GitError` carrying git's own
words, e.g. "fatal: not a git repository".
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewbot.errors import GitError

# Options that make `git diff` output the same for every user configuration.
_DIFF_OPTIONS = (
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
    "--find-renames",
    # a file added as a copy of one the tree already has (a new version directory made from the
    # last one) is shown as that copy, so its findings are matched with the original's
    "--find-copies-harder",
    "--src-prefix=a/",
    "--dst-prefix=b/",
)
_CONFIG = (
    "-c", "core.quotePath=true",
    "-c", "diff.mnemonicPrefix=false",
    "-c", "color.ui=never",
    # a repository's own configuration must not run programs: no fsmonitor daemon or hooks
    "-c", "core.fsmonitor=",
    "-c", "core.hooksPath=/dev/null",
)  # fmt: skip
_DEFAULT_BRANCHES = ("main", "master", "origin/main", "origin/master")


@dataclass(frozen=True)
class Base:
    """The revision a working tree is compared against, and how it was chosen."""

    revision: str
    description: str


def run_git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run git and return its stdout; raise GitError with git's first error line."""
    try:
        done = subprocess.run(["git", *_CONFIG, *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except NotADirectoryError:
        raise GitError(f"{cwd}: not a directory") from None
    if done.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_first_error_line(done.stderr)}")
    return done.stdout


def _first_error_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (fatal or lines or ["(no message)"])[0]


def _succeeds(args: Sequence[str], cwd: Path) -> str | None:
    """git's stdout (stripped) when the command succeeds, else None."""
    try:
        return run_git(args, cwd).decode("utf-8", "replace").strip()
    except GitError:
        return None


# `https://github.com/owner/name.git`, `git@github.com:owner/name.git`, `ssh://git@host/owner/name`
_REMOTE = re.compile(r"^(?:[a-z+]+://(?:[^@/]+@)?[^/]+/|[^@/]+@[^:/]+:)(?P<owner>[\w.-]+)/(?P<name>[\w.-]+?)(?:\.git)?/?$")


def origin_repository(root: Path) -> str:
    """ "owner/name" of the `origin` remote's URL, or "" when there is none or it names no such path."""
    url = _succeeds(["remote", "get-url", "origin"], root) if root.is_dir() else None
    found = _REMOTE.match(url or "")
    return f"{found['owner']}/{found['name']}" if found else ""


def repository_root(cwd: Path) -> Path:
    """The top of the working tree containing `cwd`."""
    if not cwd.is_dir():
        raise GitError(f"{cwd}: not a directory")
    return Path(run_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())


def verify_revision(root: Path, revision: str) -> str:
    """The commit id `revision` names; GitError if git does not know it."""
    if revision.startswith("-"):
        raise GitError(f"unknown revision '{revision}'")
    found = _succeeds(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], root)
    if not found:
        raise GitError(f"unknown revision '{revision}': git knows no commit by that name")
    return found


def default_base(root: Path) -> Base:
    """The merge-base with the upstream or default branch, else HEAD, else the empty tree.

    Candidates in order: the current branch's upstream, origin/HEAD, then
    main, master, origin/main, origin/master.
    """
    for candidate in _base_candidates(root):
        merge_base = _succeeds(["merge-base", "HEAD", candidate], root)
        if merge_base:
            return Base(merge_base, f"merge-base with {candidate} ({merge_base[:12]})")
    if _succeeds(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root):
        return Base("HEAD", "HEAD")
    return Base(empty_tree(root), "the empty tree (no commits yet)")


def _base_candidates(root: Path) -> list[str]:
    upstream = _succeeds(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], root)
    origin_head = _succeeds(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], root)
    named = [upstream, origin_head, *_DEFAULT_BRANCHES]
    return list(dict.fromkeys(name for name in named if name))


def empty_tree(root: Path) -> str:
    """The id of the empty tree in this repository's hash format."""
    return run_git(["hash-object", "-t", "tree", "--stdin"], root, stdin=b"").decode().strip()


def diff_against(root: Path, base: str) -> bytes:
    """Working tree and index against `base` (tracked files only), as `git diff` text."""
    return run_git(["diff", *_DIFF_OPTIONS, base, "--"], root)


def diff_between(root: Path, base: str, head: str) -> bytes:
    """Commit `head` against `base` (both verified revisions), as `git diff` text; the working tree is not read."""
    return run_git(["diff", *_DIFF_OPTIONS, base, head, "--"], root)


def merge_base(root: Path, first: str, second: str) -> str:
    """The best common ancestor of two verified revisions; GitError when they share no history."""
    found = _succeeds(["merge-base", first, second], root)
    if not found:
        raise GitError(f"{first[:12]} and {second[:12]} have no common ancestor")
    return found


def staged_diff(root: Path) -> bytes:
    """The index against HEAD (what `git commit` would record)."""
    return run_git(["diff", "--cached", *_DIFF_OPTIONS, "--"], root)


def read_worktree(root: Path, path: str) -> bytes | None:
    """A file's bytes in the working tree; None when it is missing or not a file."""
    target = (root / path).resolve()
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        return None
    try:
        return target.read_bytes()
    except OSError:
        return None


def regular_files_at(root: Path, revision: str, paths: Sequence[str]) -> dict[str, str]:
    """Path -> blob id of those `paths` that are regular files in `revision` (symlinks are not)."""
    listing = run_git(["ls-tree", "-z", "--full-tree", revision, "--", *paths], root)
    found: dict[str, str] = {}
    for entry in listing.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[0] in (b"100644", b"100755") and fields[1] == b"blob":
            found[name.decode("utf-8", "surrogateescape")] = fields[2].decode()
    return found


def read_blob(root: Path, blob: str) -> bytes:
    """The bytes of one blob, by id."""
    return run_git(["cat-file", "blob", blob], root)


def read_index(root: Path, path: str) -> bytes | None:
    """A file's staged bytes (`git show :path`); None when it is not in the index."""
    try:
        return run_git(["cat-file", "blob", f":{path}"], root)
    except GitError:
        return None


def commit_log(root: Path, base: str, limit: int, head: str = "HEAD") -> tuple[list[tuple[str, str]], int]:
    """(id, full message) of the newest `limit` commits in `base`..`head`, oldest first, and how many older
    ones there are; ([], 0) when `head` names no commit (a repository without commits). Merges are left out.

    `base` and `head` must be verified revisions (`verify_revision`). Signatures are never checked (that
    would run gpg), and messages are re-encoded to UTF-8 whatever the commit declares.
    """
    if _succeeds(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{head}^{{commit}}"], root) is None:
        return [], 0
    span = f"{base}..{head}"
    out = run_git(["log", "--no-merges", "--topo-order", "--no-color", "--no-show-signature", "--encoding=UTF-8", "-z",
                   f"--max-count={max(limit, 0)}", "--format=%H%n%B", "--end-of-options", span, "--"], root)
    entries = [entry.partition("\n") for entry in out.decode("utf-8", "replace").split("\0") if entry.strip()]
    total = int(run_git(["rev-list", "--count", "--no-merges", "--end-of-options", span, "--"], root).decode())
    return [(sha.strip(), message) for sha, _, message in reversed(entries)], max(total - len(entries), 0)
