"""A read-only mapping of path -> text that reads each file on first use.

The edges hand the core pre-change contents this way (`git` at the base
revision, the host's file at the base sha): the review reads only the files
that still have findings after the post-change pass, usually none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping


class LazyText(Mapping[str, "str | None"]):
    """`read(path)` -> bytes or text (None: not available), decoded as UTF-8 and cached."""

    def __init__(self, read: Callable[[str], bytes | str | None]) -> None:
        self._read = read
        self._cache: dict[str, str | None] = {}

    def __getitem__(self, path: str) -> str | None:
        if path not in self._cache:
            self._cache[path] = _text(self._read(path))
        return self._cache[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._cache)  # only what was read: the set of paths is open-ended

    def __len__(self) -> int:
        return len(self._cache)


def _text(data: bytes | str | None) -> str | None:
    if data is None or isinstance(data, str):
        return data
    return source_text(data)


def source_text(data: bytes) -> str | None:
    """File bytes as text a reviewer can read: UTF-8 without NUL bytes; None for anything binary."""
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
