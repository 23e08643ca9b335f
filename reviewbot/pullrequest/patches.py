"""The pull request's diff, rebuilt from the files endpoint's `patch` fields.

GitHub's diff media type refuses pull requests over 300 files or 20,000
lines, so the App reads the paginated files endpoint instead. Each entry's
`patch` holds only the hunks; this module writes the `diff --git` and
`---`/`+++` headers git would have written (renames, new and deleted files
included) and parses every file on its own, so one unreadable patch skips
that file instead of the whole review. Entries without a patch (binary files,
or too large for GitHub to show) are listed as skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reviewbot.adapters.github.host import ChangedFile
from reviewbot.diffmodel import Diff, FileDiff, parse_diff
from reviewbot.errors import DiffParseError
from reviewbot.models import Skipped

MAX_LISTED_FILES = 3000  # the files endpoint lists at most this many

NO_PATCH = "binary, or too large for GitHub to show a diff"
NO_TEXT_CHANGE = "no change to its text (mode or type change only)"
UNREADABLE = "GitHub's patch for it could not be read"
TOO_MANY = f"GitHub lists only the first {MAX_LISTED_FILES} files of a pull request"

_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}


def quote_path(path: str) -> str:
    """`path` as git writes it in headers: C-quoted when it holds special bytes."""
    if all(0x20 <= ord(ch) < 0x7F and ch not in '"\\' for ch in path):
        return path
    return '"' + "".join(_quote_char(ch) for ch in path) + '"'


def _quote_char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if 0x20 <= ord(ch) < 0x7F:
        return ch
    return "".join(f"\\{byte:03o}" for byte in ch.encode("utf-8", "surrogateescape"))


def _side(prefix: str, path: str) -> str:
    return quote_path(f"{prefix}/{path}")


def file_headers(entry: ChangedFile) -> list[str]:
    """The header lines git writes above this file's hunks."""
    old = entry.previous_path or entry.path
    lines = [f"diff --git {_side('a', old)} {_side('b', entry.path)}"]
    if entry.status == "added":
        lines.append("new file mode 100644")
    elif entry.status == "removed":
        lines.append("deleted file mode 100644")
    elif entry.status in ("renamed", "copied") and entry.previous_path:
        verb = "rename" if entry.status == "renamed" else "copy"
        lines += [f"{verb} from {quote_path(old)}", f"{verb} to {quote_path(entry.path)}"]
    if entry.patch:
        before = "/dev/null" if entry.status == "added" else _side("a", old)
        after = "/dev/null" if entry.status == "removed" else _side("b", entry.path)
        lines += [f"--- {before}", f"+++ {after}"]
    return lines


def file_diff_text(entry: ChangedFile) -> str:
    """One file's complete `git diff` text."""
    body = entry.patch or ""
    if body and not body.endswith("\n"):
        body += "\n"
    return "\n".join(file_headers(entry)) + "\n" + body


def skip_reason(entry: ChangedFile) -> str | None:
    """Why this entry cannot be turned into a diff, or None when it can."""
    if entry.patch:
        return None
    if (
        entry.status in ("renamed", "copied")
        and entry.previous_path
        and not (entry.additions or entry.deletions)
    ):
        return None  # a pure rename: headers only, nothing to review but nothing lost
    if entry.status in ("changed", "unchanged"):
        return NO_TEXT_CHANGE
    return NO_PATCH


def unified_diff(entries: Iterable[ChangedFile]) -> str:
    """The whole pull request as one `git diff` text (entries without a patch left out)."""
    return "".join(file_diff_text(e) for e in entries if skip_reason(e) is None)


def build_diff(entries: Sequence[ChangedFile]) -> tuple[Diff, tuple[Skipped, ...]]:
    """The parsed diff of every readable entry, and the entries skipped with their reasons."""
    files: list[FileDiff] = []
    skipped: list[Skipped] = []
    for entry in entries:
        reason = skip_reason(entry) or _parse_into(entry, files)
        if reason:
            skipped.append(Skipped(entry.path, reason))
    if len(entries) >= MAX_LISTED_FILES:
        skipped.append(Skipped("*", TOO_MANY))
    return Diff(files=tuple(files)), tuple(skipped)


def _parse_into(entry: ChangedFile, files: list[FileDiff]) -> str | None:
    try:
        files.extend(parse_diff(file_diff_text(entry)).files)
    except DiffParseError:
        return UNREADABLE
    return None
