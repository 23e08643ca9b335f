"""Gathering what `reviewbot check` reviews: the diff and the post-change files.

Three sources: a diff file (or stdin), the working tree against a base
revision (`--git BASE`) or a range of commits (`--git BASE..HEAD`), or the
index (`--staged`). With git the post-change content comes from the working
tree, the range's last commit or the index, and `--git` also
collects the messages of the commits in BASE..HEAD, the author's account of
the change (the LLM reviewer reads them as untrusted data). With a diff file it is read
from `--root` only when the file matches the diff (every added and context
line is where the diff says); otherwise the content is None and the reason is
kept, so the review says per file what could not be analysed instead of
analysing the wrong text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reviewbot.errors import InputError, ReviewbotError, UsageError

if TYPE_CHECKING:
    from reviewbot.diffmodel import Diff, FileDiff
    from reviewbot.models import PullRequestText

Reader = Callable[[str], "bytes | None"]


@dataclass(frozen=True)
class Source:
    """A diff to review and how to read the files it changes."""

    name: str  # for messages: the file name, "stdin", "git diff"
    data: bytes
    read: Reader  # path in the diff -> post-change bytes (None: not available)
    verify: bool  # check file contents against the diff before trusting them
    where: str  # for messages: where post-change files are read from
    target: str | None = None  # what is compared, e.g. "working tree against main"
    policy_revision: str | None = None  # the trusted revision the repository's policy is read from
    policy_label: str | None = None  # how messages name that revision
    read_base: Reader | None = None  # pre-change path -> pre-change bytes (None: rebuilt from the diff)
    words: PullRequestText | None = None  # the commit messages of the change, when it has commits


@dataclass(frozen=True)
class Contents:
    """Post-change text per path, and why a path has none."""

    text: dict[str, str | None] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)


# --- sources ---


def from_file(name: str, root: Path) -> Source:
    return Source(name, read_diff_file(Path(name)), _root_reader(root), True, _shown_dir(root))


def from_stream(stream: BinaryIO | None, root: Path) -> Source:
    """The diff on standard input (a closed or missing stdin reads as empty)."""
    try:
        data = stream.read() if stream is not None else b""
    except OSError as err:
        raise InputError(f"stdin: cannot read: {err.strerror or err}") from None
    return Source("stdin", data, _root_reader(root), True, _shown_dir(root))


def from_git(start: Path, base: str) -> Source:
    from reviewbot.adapters import localgit

    root = localgit.repository_root(start)
    if ".." in base:
        return from_range(root, base)
    chosen = localgit.default_base(root) if not base else localgit.Base(localgit.verify_revision(root, base), base)
    data = localgit.diff_against(root, chosen.revision)
    reader = partial(localgit.read_worktree, root)
    target = f"working tree against {chosen.description}"
    before = partial(read_at, root, chosen.revision)
    return Source("git diff", data, reader, False, "the working tree", target, chosen.revision, base or None, before,
                  commit_words(root, chosen.revision))


def from_range(root: Path, spec: str) -> Source:
    """`--git BASE..HEAD` (or BASE...HEAD, from their merge-base): the commits alone, files read from HEAD."""
    from reviewbot.adapters import localgit

    dots = "..." if "..." in spec else ".."
    left, _, right = spec.partition(dots)
    if not left:
        raise UsageError(f"--git {spec}: give the base revision before '{dots}' (e.g. main{dots}HEAD)")
    head = localgit.verify_revision(root, right or "HEAD")
    base = localgit.verify_revision(root, left)
    if dots == "...":
        base = localgit.merge_base(root, base, head)
    data = localgit.diff_between(root, base, head)
    return Source(f"git diff {spec}", data, partial(read_at, root, head), False, f"commit {head[:12]}",
                  f"commits {spec}", base, left, partial(read_at, root, base), commit_words(root, base, head))


def commit_words(root: Path, base: str, head: str = "HEAD") -> PullRequestText:
    """The messages of the commits in base..head (the newest ones, when there are many)."""
    from reviewbot.adapters import localgit
    from reviewbot.llm.commits import MAX_COMMITS, from_message, with_commits

    found, earlier = localgit.commit_log(root, base, MAX_COMMITS, head)
    return with_commits(None, [from_message(sha, message) for sha, message in found], earlier)


def from_index(start: Path) -> Source:
    from reviewbot.adapters import localgit

    root = localgit.repository_root(start)
    data = localgit.staged_diff(root)
    reader = partial(localgit.read_index, root)
    before = partial(read_at, root, "HEAD")
    return Source("git diff --cached", data, reader, False, "the index", "staged changes against HEAD", "HEAD", "HEAD",
                  before)  # fmt: skip


def read_at(root: Path, revision: str, path: str) -> bytes | None:
    """A regular file's bytes at `revision`; None when it is not one there (the review rebuilds it)."""
    from reviewbot.adapters import localgit

    try:
        blob = localgit.regular_files_at(root, revision, [path]).get(path)
        return None if blob is None else localgit.read_blob(root, blob)
    except ReviewbotError:
        return None


def read_diff_file(path: Path) -> bytes:
    """The bytes of a diff file; every way of failing is one clear InputError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a diff file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None


def check_root(root: Path) -> Path:
    if not root.is_dir():
        raise UsageError(f"--root {root}: not a directory")
    return root


def _root_reader(root: Path) -> Reader:
    base = root.resolve()

    def read(path: str) -> bytes | None:
        target = (base / path).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            return None
        try:
            return target.read_bytes()
        except OSError:
            return None

    return read


def _shown_dir(root: Path) -> str:
    return "the current directory" if str(root) in ("", ".") else f"--root {root}"


# --- parsing ---


def parse(source: Source) -> Diff:
    """The parsed diff; binary data and text that holds no diff are input errors."""
    from reviewbot.diffmodel import parse_diff

    if b"\0" in source.data:
        raise InputError(f"{source.name}: binary data, not a diff")
    try:
        diff = parse_diff(source.data)
    except ReviewbotError as err:
        raise InputError(f"{source.name}: {err}") from err
    if not diff.files and source.data.strip():
        raise InputError(f"{source.name}: no diff found (expected `git diff` or `diff -u` output)")
    for file in diff.files:
        for path in (file.path, file.old_path):
            _check_path(source.name, path)
    return diff


MAX_NAME_BYTES = 255  # the longest file name (one path component) Linux, macOS and Windows allow


def _check_path(where: str, path: str | None) -> None:
    """A path no file system can hold (a NUL byte, a name over 255 bytes) is an input error."""
    if path is None:
        return
    from reviewbot.visible import visible

    if "\0" in path:
        raise InputError(f"{where}: path '{visible(path, one_line=True)}' contains a NUL byte, which no file name can")
    longest = max(path.split("/"), key=lambda part: len(part.encode("utf-8", "surrogateescape")))
    size = len(longest.encode("utf-8", "surrogateescape"))
    if size > MAX_NAME_BYTES:
        raise InputError(
            f"{where}: path '{visible(path, one_line=True)}' has a name of {size} bytes "
            f"(file systems allow at most {MAX_NAME_BYTES})"
        )


# --- post-change contents ---


def read_contents(diff: Diff, source: Source) -> Contents:
    contents = Contents()
    for file in diff.files:
        text, reason = _content(file, source)
        contents.text[file.path] = text
        if reason:
            contents.reasons[file.path] = reason
    return contents


def _content(file: FileDiff, source: Source) -> tuple[str | None, str | None]:
    if file.is_binary or file.status.value == "deleted":
        return None, None
    data = source.read(file.path)
    if data is None:
        return None, f"{file.path} is not in {source.where}"
    if b"\0" in data:
        return None, "binary content"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, f"not UTF-8 text (byte {err.start})"
    mismatch = first_mismatch(file, text) if source.verify else None
    if mismatch is not None:
        return None, f"the file in {source.where} does not match the diff at line {mismatch}"
    return text, None


def first_mismatch(file: FileDiff, text: str) -> int | None:
    """The first post-change line number where `text` differs from the diff, else None."""
    lines = text.split("\n")
    for hunk in file.hunks:
        for line in hunk.lines:
            if line.kind == "-" or line.new is None:
                continue
            actual = lines[line.new - 1] if line.new <= len(lines) else None
            if actual is None or actual.rstrip("\r") != line.text.rstrip("\r"):
                return line.new
    return None


def with_reasons(skipped_reason: str, path: str, reasons: Mapping[str, str]) -> str:
    """A reviewer's skip reason, completed with why the content was missing."""
    extra = reasons.get(path)
    if not extra or extra in skipped_reason:
        return skipped_reason
    return f"{skipped_reason} ({extra})"
