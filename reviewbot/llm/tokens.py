"""Counting tokens without the network.

tiktoken downloads its encoding files on first use and keeps them in a cache
directory (TIKTOKEN_CACHE_DIR, else DATA_GYM_CACHE_DIR, else
<tmp>/data-gym-cache). We only use tiktoken when the encoding is already in
that cache with the right checksum, so it can never reach for the network;
otherwise we estimate four characters per token, which is close for code and
English and errs on the side of smaller chunks.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

CHARS_PER_TOKEN = 4
DEFAULT_ENCODING = "o200k_base"
_BLOBS = "https://openaipublic.blob.core.windows.net/encodings/"
# encoding -> (file tiktoken downloads, its sha256): what makes a cached copy trustworthy
ENCODING_FILES = {
    "o200k_base": (_BLOBS + "o200k_base.tiktoken",
                   "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"),
    "cl100k_base": (_BLOBS + "cl100k_base.tiktoken",
                    "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"),
}


class TokenCounter(Protocol):
    @property
    def name(self) -> str: ...

    def count(self, text: str) -> int: ...


@dataclass(frozen=True)
class EstimateCounter:
    """ceil(characters / 4): no data files, no network."""

    name: str = f"estimate ({CHARS_PER_TOKEN} characters per token)"

    def count(self, text: str) -> int:
        return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class TiktokenCounter:
    encoding: Any  # tiktoken.Encoding
    name: str

    def count(self, text: str) -> int:
        return len(self.encoding.encode(text, disallowed_special=()))


def token_counter(model: str | None, environ: Mapping[str, str] | None = None) -> TokenCounter:
    """The best counter available offline for `model` (tiktoken if cached, else an estimate)."""
    name = encoding_name(model)
    cache_dir = tiktoken_cache_dir(os.environ if environ is None else environ)
    if cache_dir is None or not cached_encoding_ok(name, cache_dir):
        return EstimateCounter()
    return _tiktoken_counter(name)


def encoding_name(model: str | None) -> str:
    """tiktoken's encoding for an OpenAI model name; o200k_base for any other model."""
    try:
        from tiktoken.model import encoding_name_for_model
    except ImportError:
        return DEFAULT_ENCODING
    try:
        name = encoding_name_for_model(model or "")
    except KeyError:
        return DEFAULT_ENCODING
    return name if name in ENCODING_FILES else DEFAULT_ENCODING


def tiktoken_cache_dir(environ: Mapping[str, str]) -> Path | None:
    """Where tiktoken keeps downloaded encodings (None: caching disabled)."""
    chosen = environ.get("TIKTOKEN_CACHE_DIR", environ.get("DATA_GYM_CACHE_DIR"))
    if chosen == "":
        return None
    return Path(chosen) if chosen is not None else Path(tempfile.gettempdir()) / "data-gym-cache"


def cached_encoding_ok(name: str, cache_dir: Path) -> bool:
    """True when tiktoken will load `name` from `cache_dir` without downloading."""
    url, sha256 = ENCODING_FILES[name]
    path = cache_dir / hashlib.sha1(url.encode()).hexdigest()
    return _file_sha256(str(path)) == sha256


@cache
def _file_sha256(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


@cache
def _tiktoken_counter(name: str) -> TokenCounter:
    try:
        import tiktoken

        return TiktokenCounter(tiktoken.get_encoding(name), f"tiktoken {name}")
    except Exception:  # noqa: BLE001 - any failure to load means: estimate instead
        return EstimateCounter()
