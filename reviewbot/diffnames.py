"""Which file a diff section is about: names, status and modes from its header lines.

Pure helpers of `reviewbot.diffparse`. Git headers are read the way `git apply`
reads them: `rename from`/`copy from` lines win over the `---`/`+++` names,
which win over the names on the `diff --git` line. C-quoted names
("a/\\303\\251t\\303\\251.txt") become the real path; a/ b/ (or i/ w/, c/ i/ ...)
prefixes are dropped, and `--no-prefix` names are kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice
from typing import Any

ADDED, DELETED, MODIFIED, RENAMED, COPIED = "added", "deleted", "modified", "renamed", "copied"

_GIT_HEADER_KEYS = ("old mode", "new mode", "deleted file mode", "new file mode", "copy from", "copy to",
                    "rename from", "rename to", "similarity index", "dissimilarity index", "index",
                    "---", "+++", "Binary files", "GIT binary patch")
_LAST_GIT_HEADER_KEYS = ("+++", "Binary files", "GIT binary patch")
_GIT_HEADER_LINE = re.compile(f"({'|'.join(map(re.escape, _GIT_HEADER_KEYS))})(?: (.*))?", re.DOTALL)


def git_meta(lines: list[str], start: int) -> dict[str, Any]:
    """FileDiff fields (status as a string) of the `diff --git` section starting at lines[start]."""
    fields = _git_fields(lines, start)
    src, dst = split_git_names(strip_eol(lines[start])[len("diff --git "):])
    src_prefix, dst_prefix = _prefixes(src, dst)
    old = _patch_name(fields["---"], src_prefix) if "---" in fields else src.removeprefix(src_prefix)
    new = _patch_name(fields["+++"], dst_prefix) if "+++" in fields else dst.removeprefix(dst_prefix)
    status, old_path = MODIFIED, None
    for verb, verb_status in (("rename", RENAMED), ("copy", COPIED)):
        if f"{verb} from" in fields and f"{verb} to" in fields:
            old_path, new = unquote(fields[f"{verb} from"]), unquote(fields[f"{verb} to"])
            status = verb_status
    if "new file mode" in fields:
        status = ADDED
    elif "deleted file mode" in fields:
        status = DELETED
    return {"path": (old if status == DELETED else new) or new or old or dst, "old_path": old_path,
            "status": status, "is_binary": "Binary files" in fields or "GIT binary patch" in fields,
            **_modes(fields, status)}


def _git_fields(lines: list[str], start: int) -> dict[str, str]:
    """The extended header lines after `diff --git` (up to its first hunk), by key."""
    fields: dict[str, str] = {}
    for line in islice(lines, start + 1, None):
        match = _GIT_HEADER_LINE.fullmatch(strip_eol(line))
        if match is None:
            break
        key, value = match.groups()
        fields.setdefault(key, value or "")
        if key in _LAST_GIT_HEADER_KEYS:
            break
    return fields


def _modes(fields: dict[str, str], status: str) -> dict[str, str | None]:
    index = fields.get("index", "").split()
    same = index[1] if len(index) == 2 else None  # `index abc..def 100644`: the mode did not change
    old = fields.get("old mode") or fields.get("deleted file mode") or same
    new = fields.get("new mode") or fields.get("new file mode") or same
    return {"old_mode": None if status == ADDED else old, "new_mode": None if status == DELETED else new}


def plain_meta(
    source: str | None, target: str | None, is_binary: bool, hunks: Sequence[tuple[int, ...]]
) -> dict[str, Any]:
    """FileDiff fields of a plain `diff -u` (or hg/svn style) section.

    `hunks` holds (old_start, old_length, new_start, new_length) per hunk: GNU
    `diff -N` marks new and deleted files only by an empty side (`@@ -0,0 +1,3 @@`).
    """
    src, dst = _plain_prefixes(_plain_name(source), _plain_name(target))
    only = hunks[0] if len(hunks) == 1 else None
    if src is None or (only is not None and only[0] == only[1] == 0):
        status = ADDED
    elif dst is None or (only is not None and only[2] == only[3] == 0):
        status = DELETED
    else:
        status = MODIFIED
    path = (src if status == DELETED else dst) or dst or src or ""
    return {"path": path, "status": status, "is_binary": is_binary}


def _plain_prefixes(src: str | None, dst: str | None) -> tuple[str | None, str | None]:
    """Drop a/ and b/ when both sides (or the one that is not /dev/null) carry them, as hg and svn write."""
    src_prefixed, dst_prefixed = src is not None and src.startswith("a/"), dst is not None and dst.startswith("b/")
    if (src_prefixed or src is None) and (dst_prefixed or dst is None):
        return _without_prefix(src), _without_prefix(dst)
    return src, dst


def _without_prefix(name: str | None) -> str | None:
    return None if name is None else name[2:]


def _plain_name(name: str | None) -> str | None:
    name = unquote((name or "").rstrip("\r"))
    return None if name == "/dev/null" else name


def _patch_name(value: str, prefix: str) -> str | None:
    """The file named after `--- ` or `+++ ` (git ends names holding spaces with a tab): None for /dev/null."""
    name = unquote(value.split("\t", 1)[0])
    return None if name == "/dev/null" else name.removeprefix(prefix)


def _prefixes(src: str, dst: str) -> tuple[str, str]:
    """The prefixes git put on the two names ("a/", "b/"), or none for `--no-prefix` (alike names)."""
    if src[1:2] == "/" and dst[1:2] == "/" and src[:1] != dst[:1]:
        return src[:2], dst[:2]
    return "", ""


def strip_eol(line: str) -> str:
    return line.removesuffix("\n").removesuffix("\r")


def split_git_names(rest: str) -> tuple[str, str]:
    """The two names after `diff --git `, unquoted, prefixes kept."""
    if rest.startswith('"'):
        first, end = _read_quoted(rest, 0)
        if first is not None and rest[end:end + 1] == " ":
            return first, unquote(rest[end + 1:])
    elif rest.endswith('"'):
        space = rest.find(' "')
        while space >= 0:
            second, end = _read_quoted(rest, space + 1)
            if second is not None and end == len(rest):
                return rest[:space], second
            space = rest.find(' "', space + 1)
    middle = len(rest) // 2  # unquoted names with spaces: the same name twice, "a/x y b/x y" or "x y x y"
    if rest[middle:middle + 1] == " " and rest[middle + 1:][2:] == rest[:middle][2:]:
        return rest[:middle], rest[middle + 1:]
    src, b_prefix, dst = rest.partition(" b/")
    if b_prefix:
        return src, "b/" + dst
    src, _, dst = rest.partition(" ")
    return src, dst


def _read_quoted(text: str, start: int) -> tuple[str | None, int]:
    """The C-quoted string starting at text[start] == '"', unquoted, and the index after it."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return unquote(text[start:i + 1]), i + 1
        else:
            i += 1
    return None, start


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
_ESCAPE = re.compile(r"\\([0-3][0-7]{2}|.)", re.DOTALL)


def unquote(name: str) -> str:
    """Undo git's C-style quoting ("\\303\\251t\\303\\251.txt" -> été.txt); other names come back unchanged.

    Octal escapes are bytes of UTF-8; bytes that are not UTF-8 become lone surrogates (surrogateescape).
    """
    if len(name) < 2 or name[0] != '"' or name[-1] != '"':
        return name
    raw = bytearray()
    body, position = name[1:-1], 0
    for match in _ESCAPE.finditer(body):
        raw += _encode(body[position:match.start()])
        code = match.group(1)
        if len(code) == 3:
            raw.append(int(code, 8))
        elif code in _ESCAPES:
            raw.append(_ESCAPES[code])
        else:
            raw += _encode(match.group(0))
        position = match.end()
    raw += _encode(body[position:])
    return raw.decode("utf-8", "surrogateescape")


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that did not come from surrogateescape
        return text.encode("utf-8", "surrogatepass")
