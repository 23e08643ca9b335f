"""Only what the change introduced: findings that already existed before it are dropped.

The analyzers also run on the pre-image (each changed file as it was before the
change, the whole file treated as "added"), and a finding on an added line is
dropped when the pre-image has one like it: same analyzer and rule, same
enclosing scope ("Repo.find"; "" outside any definition or for a language
without a scope reader), same text with whitespace removed. Matching goes file
to file first (the old path of a renamed file), then across files, so code a
change moved from one module to another keeps no old finding; a pre-image
finding on deleted lines also matches without its scope, so code moved out of a
definition the change renamed keeps no old finding either. Each pre-image
finding cancels at most one finding of the change. A line the change edited in
place (a deleted line and the added line that replaced it) keeps no finding of
the same rule the old line had: `assert type(e) == X` in an `except` rewritten
as `assert isinstance(e, X)` still has the assert in the `except` it had.

Where the pre-image comes from, best first: the base contents the edge read
(git at the base revision, the host's file at the base sha) when they agree
with the diff's old side; else the old side rebuilt from the post-change text
and the hunks; else, for line checks only, the diff's deleted and context lines
("pre-image unknown": analyzers that need whole files see nothing there).

Pure: diff, contents and findings in; findings out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TypeVar

from reviewbot.diffmodel import DiffLine, FileDiff, FileStatus, Hunk
from reviewbot.review.analyzer import FILE_LEVEL, Finding, SourceFile
from reviewbot.review.pyfacts import PySource

MAX_MATCH_LINES = 5  # a finding's text for matching: at most its first five lines
MAX_PAIRED_BLOCK = 40  # a block of deleted and added lines larger than this is rewritten, not edited
SIMILAR = 0.7  # how alike an added line must be to a deleted one to count as that line, edited
PYTHON = (".py", ".pyi")

Key = tuple[str, str, str, str]  # analyzer, rule, scope, text

K = TypeVar("K")


@dataclass(frozen=True)
class PreImage:
    files: tuple[SourceFile, ...] = ()
    unknown: tuple[str, ...] = ()  # paths whose pre-image is only the diff's old lines
    # old path -> old line numbers the change deleted (None: any line may have moved away)
    deleted: Mapping[str, frozenset[int] | None] = field(default_factory=dict)

    def moved_away(self, finding: Finding) -> bool:
        """Whether a pre-image finding sits on lines the change deleted (so it may reappear elsewhere)."""
        lines = self.deleted.get(finding.path)
        if lines is None or finding.line == FILE_LEVEL:
            return True
        return any(n in lines for n in range(finding.line, (finding.end_line or finding.line) + 1))


def pre_images(
    diffs: Iterable[FileDiff],
    contents: Mapping[str, str | None],
    base: Mapping[str, str | None] | None,
    is_test: Callable[[str], bool],
) -> PreImage:
    """The changed files as they were before the change (added and binary files have none)."""
    files: list[SourceFile] = []
    unknown: list[str] = []
    deleted: dict[str, frozenset[int] | None] = {}
    for file in diffs:
        if file.status is FileStatus.ADDED or file.is_binary:
            continue
        old_path = file.old_path or file.path
        text = _base_text(file, base.get(old_path) if base is not None else None)
        text = text if text is not None else rebuild_old(file, contents.get(file.path))
        if text is None:
            unknown.append(file.path)
            files.append(SourceFile(old_path, None, whole_file(old_path, old_side(file)), is_test(old_path)))
            deleted[old_path] = None
        else:
            files.append(SourceFile(old_path, text, whole_file(old_path, text.split("\n")), is_test(old_path)))
            deleted[old_path] = None if file.status is FileStatus.DELETED else file.deleted_lines
    return PreImage(tuple(files), tuple(unknown), deleted)


def _base_text(file: FileDiff, text: str | None) -> str | None:
    """The base contents when they agree with every deleted and context line of the diff."""
    if text is None:
        return None
    lines = text.split("\n")
    for hunk in file.hunks:
        for line in hunk.lines:
            if line.old is not None and (line.old > len(lines) or lines[line.old - 1].rstrip("\r") != line.text):
                return None
    return text


def rebuild_old(file: FileDiff, new_text: str | None) -> str | None:
    """The pre-change text from the post-change text and the hunks; None when they disagree."""
    if file.status is FileStatus.DELETED:
        return "\n".join(old_side(file)) + "\n" if file.hunks else None
    if new_text is None:
        return None
    new = new_text.split("\n")
    out: list[str] = []
    position = 1  # the next post-change line not yet copied
    for hunk in file.hunks:
        upto = hunk.new_start - 1 if hunk.new_length else hunk.new_start
        out += new[position - 1 : upto]
        position = upto + 1
        for line in hunk.lines:
            if line.kind == " " and (line.new is None or line.new > len(new) or new[line.new - 1].rstrip("\r") != line.text):
                return None
            if line.kind != "+":
                out.append(line.text)
            if line.new is not None:
                position = line.new + 1
    return "\n".join(out + new[position - 1 :])


def old_side(file: FileDiff) -> list[str]:
    """The deleted and context lines of every hunk, in order."""
    return [line.text for hunk in file.hunks for line in hunk.lines if line.kind != "+"]


def whole_file(path: str, lines: Sequence[str]) -> FileDiff:
    """A diff that adds every line of `lines`, so line checks read the whole pre-image."""
    body = tuple(DiffLine("+", None, number, text) for number, text in enumerate(lines, start=1))
    hunk = Hunk(0, 0, 1, len(body), "", body)
    return FileDiff(path=path, status=FileStatus.ADDED, hunks=(hunk,) if body else ())


def edited_lines(file: FileDiff) -> dict[int, int]:
    """New line number -> old line number, for the lines the change edited in place.

    In each block of deleted lines followed by added lines, the most alike lines pair up first (each
    line in one pair at most, and only lines at least `SIMILAR` alike: `ruff --fix $FILES` edited into
    `ruff check --fix $FILES` is that line, `echo $FILES` replaced by `rm -rf $FILES` a new command). A block over `MAX_PAIRED_BLOCK` lines on either side is new code."""
    pairs: dict[int, int] = {}
    for hunk in file.hunks:
        deleted: list[DiffLine] = []
        added: list[DiffLine] = []
        for line in (*hunk.lines, DiffLine(" ", None, None, "")):
            if line.kind == "+":
                added.append(line)
                continue
            if line.kind == "-" and not added:
                deleted.append(line)
                continue
            pairs.update(_paired(deleted, added))  # the block ended: a context line, or a new block
            deleted, added = ([line] if line.kind == "-" else []), []
    return pairs


def _paired(deleted: Sequence[DiffLine], added: Sequence[DiffLine]) -> dict[int, int]:
    if not deleted or not added or max(len(deleted), len(added)) > MAX_PAIRED_BLOCK:
        return {}
    scored = sorted(((SequenceMatcher(None, old.text, new.text).ratio(), i, j)
                     for i, old in enumerate(deleted) for j, new in enumerate(added)), reverse=True)  # fmt: skip
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for ratio, i, j in scored:  # the most alike first; each deleted line replaced by one added line at most
        new_line, old_line = added[j].new, deleted[i].old
        if ratio < SIMILAR:
            break
        if i not in used and new_line is not None and new_line not in pairs and old_line is not None:
            pairs[new_line] = old_line
            used.add(i)
    return pairs


# --- matching ---


class Keys:
    """Matching keys of findings, reading each file's text and scopes once."""

    def __init__(self, files: Iterable[SourceFile]) -> None:
        self._files = {f.path: f for f in files}
        self._python: dict[str, PySource] = {}

    def key(self, finding: Finding) -> Key:
        return finding.analyzer, finding.rule, self.scope(finding), self.text(finding)

    def text(self, finding: Finding) -> str:
        if finding.match_text is not None or finding.line == FILE_LEVEL:
            return finding.match_text or ""
        file = self._files.get(finding.path)
        if file is None:
            return ""
        end = min(finding.end_line or finding.line, finding.line + MAX_MATCH_LINES - 1)
        if file.content is not None:
            lines = file.content.split("\n")[finding.line - 1 : end]
        else:
            lines = [file.diff.added_text(n) or "" for n in range(finding.line, end + 1)]
        if file.path.endswith(PYTHON):  # a line whose only change is its comment is the same code
            lines = [without_comment(line) for line in lines]
        return "".join("".join(lines).split())

    def scope(self, finding: Finding) -> str:
        source = self._source(finding.path)
        return "" if source is None or finding.line == FILE_LEVEL else source.scope_at(finding.line)

    def defines(self, path: str, scope: str) -> bool | None:
        """Whether the Python file at `path` has a definition named `scope` ("Repo.find"); None: unknown."""
        source = self._source(path)
        if source is None or source.tree is None:
            return None
        return any(s.name == scope for s in source.scopes)

    def _source(self, path: str) -> PySource | None:
        file = self._files.get(path)
        if file is None or file.content is None or not file.path.endswith(PYTHON):
            return None
        return self._python.setdefault(file.path, PySource(file.content))


def without_comment(line: str) -> str:
    """A Python line without its trailing `# comment` (a `#` inside a string literal stays)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote and line[index - 1] != "\\":
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def scope_left(finding: Finding, pre_keys: Keys, post_keys: Keys, new_path: Mapping[str, str]) -> bool:
    """Whether the definition holding a pre-image finding is gone from its file after the change.

    A class renamed in place (`class Flask` -> `class App`) or a function moved to
    another module leaves its lines where they were, so they are not "deleted",
    yet its findings can reappear under the old name elsewhere.
    """
    scope = pre_keys.scope(finding)
    path = new_path.get(finding.path)
    return bool(scope) and path is not None and post_keys.defines(path, scope) is False


def drop_preexisting(
    post: Sequence[Finding],
    post_keys: Keys,
    pre: Sequence[Finding],
    pre_keys: Keys,
    old_path: Mapping[str, str],
    untouched: Sequence[Finding] = (),
    moved_away: Callable[[Finding], bool] = lambda finding: True,
    edited: Mapping[tuple[str, int], tuple[str, int]] | None = None,
) -> tuple[list[Finding], int]:
    """The findings of the change without those the pre-image already had, and how many were dropped.

    `old_path` maps a changed file's path to its path before the change; `untouched` are the
    post-change findings on lines the change did not add, which account for pre-image findings
    first (a second copy of an old problem is new). Across files only pre-image findings on
    lines the change deleted (`moved_away`) count: code that moved left its old place. `edited` maps
    (path, line) of a line the change edited in place to the (old path, old line) it replaced.
    """
    by_file = Counter((f.path, pre_keys.key(f)) for f in pre)
    anywhere = Counter(pre_keys.key(f) for f in pre if moved_away(f))
    renamed = Counter(_unscoped(pre_keys.key(f)) for f in pre if moved_away(f) and pre_keys.key(f)[3])
    for finding in untouched:
        key = post_keys.key(finding)
        _take(by_file, (old_path.get(finding.path, finding.path), key)) or _take(renamed, _unscoped(key))
    # First the lines edited in place: the old line's finding is the best evidence there is.
    at_line: dict[tuple[str, int, str, str], list[Finding]] = {}
    for finding in pre:
        at_line.setdefault((finding.path, finding.line, finding.analyzer, finding.rule), []).append(finding)
    in_place = [_edited_in_place(f, edited or {}, at_line) for f in post]
    for old in (found for found in in_place if found is not None):
        key = pre_keys.key(old)
        _take(by_file, (old.path, key)) and _consumed(anywhere, renamed, key)
    keys = [post_keys.key(f) for f in post]
    same_file = [old is not None or (_take(by_file, (old_path.get(f.path, f.path), k)) and _consumed(anywhere, renamed, k))
                 for f, k, old in zip(post, keys, in_place, strict=True)]  # fmt: skip
    moved = [not dropped and _take(anywhere, k) for k, dropped in zip(keys, same_file, strict=True)]
    kept = [f for f, k, dropped, gone in zip(post, keys, same_file, moved, strict=True)
            if not dropped and not gone and not (k[3] and _take(renamed, _unscoped(k)))]  # fmt: skip
    return kept, len(post) - len(kept)


def _edited_in_place(finding: Finding, edited: Mapping[tuple[str, int], tuple[str, int]],
                     at_line: dict[tuple[str, int, str, str], list[Finding]]) -> Finding | None:
    """The pre-image finding of the same rule on the line this finding's line replaced, taken; or None."""
    old = edited.get((finding.path, finding.line))
    found = at_line.get((*old, finding.analyzer, finding.rule)) if old is not None else None
    return found.pop() if found else None


def _consumed(anywhere: Counter[Key], renamed: Counter[tuple[str, str, str]], key: Key) -> bool:
    """A pre-image finding matched in its own file is not also there to match a finding elsewhere
    (as moved code) or under another definition (as code moved out of a renamed one)."""
    _take(anywhere, key)
    if key[3]:
        _take(renamed, _unscoped(key))
    return True


def _unscoped(key: Key) -> tuple[str, str, str]:
    """A key without its scope: code moved out of a definition the change renamed ("decode_args" ->
    "decode_raw_args") left its old lines deleted, and the same text under the new name is that code."""
    analyzer, rule, _scope, text = key
    return analyzer, rule, text


def _take(counter: Counter[K], key: K) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False
