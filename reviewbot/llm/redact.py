"""What leaves the machine: files never sent, and lines redacted before sending.

Pure given its scanners. A scanner looks at numbered lines of one file and
names the lines that hold a secret; the redactor replaces each such line as a
whole (so no part of the value survives and line numbers do not move). Two
scanners run by default: the patterns in policy.toml, which also follow a
private key from its BEGIN line to its END line, and the detect-secrets
analyzer the built-in reviewer uses.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from reviewbot.review.globs import matches_any

Numbered = Sequence[tuple[int, str]]
# A scanner looks at several files at once (path, numbered lines) and returns, per file, the flagged lines.
Scanner = Callable[[Sequence[tuple[str, Numbered]]], list[Mapping[int, str]]]
REDACTED = "[line redacted by reviewbot: {what}]"
_PEM_END = "-----END"
_MIN_KNOWN_VALUE = 8


@dataclass(frozen=True)
class SendingPolicy:
    never_sent: tuple[str, ...]
    never_sent_reason: str
    generated: tuple[str, ...]
    generated_reason: str
    markers: tuple[str, ...]
    marker_lines: int
    secrets: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def sending_policy() -> SendingPolicy:
    text = resources.files("reviewbot.llm").joinpath("policy.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    never, generated = data["never_sent"], data["generated"]
    return SendingPolicy(
        never_sent=tuple(never["patterns"]),
        never_sent_reason=never["reason"],
        generated=tuple(generated["patterns"]),
        generated_reason=generated["reason"],
        markers=tuple(generated["markers"]),
        marker_lines=generated["marker_lines"],
        secrets=tuple((row["name"], re.compile(row["regex"])) for row in data["secret"]),
    )


def never_sent(path: str, policy: SendingPolicy | None = None) -> bool:
    """Files like .env, *.pem and private keys: their content never leaves the machine."""
    return matches_any(path, (policy or sending_policy()).never_sent)


def generated(path: str, head: Iterable[str], policy: SendingPolicy | None = None) -> bool:
    """Lock files, minified and generated code (by name, or by a marker in `head`, the first lines)."""
    policy = policy or sending_policy()
    if matches_any(path, policy.generated):
        return True
    first = list(head)[: policy.marker_lines]
    return any(marker in line for line in first for marker in policy.markers)


def pattern_scanner(files: Sequence[tuple[str, Numbered]]) -> list[Mapping[int, str]]:
    return [pattern_lines(lines) for _, lines in files]


def pattern_lines(lines: Numbered) -> dict[int, str]:
    """Lines matching policy.toml's secret patterns, and every line of a private key block."""
    found: dict[int, str] = {}
    in_key = False
    for number, text in lines:
        name = _pattern_match(text)
        if in_key or name == "private key":
            found[number] = "private key"
            in_key = not (_PEM_END in text and (in_key or text.count("-----") >= 4))
        elif name:
            found[number] = name
    return found


def _pattern_match(text: str) -> str | None:
    return next((name for name, regex in sending_policy().secrets if regex.search(text)), None)


def detect_secrets_scanner(files: Sequence[tuple[str, Numbered]]) -> list[Mapping[int, str]]:
    """Lines the built-in secrets analyzer (detect-secrets) flags: one scan for all files."""
    from reviewbot.analyzers import secrets

    findings = secrets.scan_lines(files)
    found: dict[str, dict[int, str]] = {path: {} for path, _ in files}
    for finding in findings:
        found[finding.path][finding.line] = f"secret ({finding.rule})"
    return [found[path] for path, _ in files]


@dataclass(frozen=True)
class Redactor:
    """Replaces every line a scanner flags, and every line holding a known credential."""

    scanners: tuple[Scanner, ...] = (pattern_scanner, detect_secrets_scanner)
    known_values: tuple[str, ...] = ()  # e.g. the configured API key

    def many(self, files: Sequence[tuple[str, Sequence[str]]]) -> list[tuple[str, ...]]:
        """Each file's lines with the flagged ones replaced; same lengths, same order."""
        numbered = [(path, list(enumerate(texts, start=1))) for path, texts in files]
        flags = [self._known(lines) for _, lines in numbered]
        for scanner in self.scanners:
            for flagged, found in zip(flags, scanner(numbered), strict=True):
                flagged.update((n, what) for n, what in found.items() if n not in flagged)
        return [tuple(redacted_line(f[n]) if n in f else text for n, text in lines)
                for f, (_, lines) in zip(flags, numbered, strict=True)]

    def lines(self, path: str, texts: Sequence[str]) -> tuple[str, ...]:
        return self.many([(path, texts)])[0]

    def text(self, path: str, text: str) -> str:
        return "\n".join(self.lines(path, text.splitlines()))

    def _known(self, lines: Numbered) -> dict[int, str]:
        values = [v for v in self.known_values if v and len(v) >= _MIN_KNOWN_VALUE]
        return {n: "configured credential" for n, text in lines if any(v in text for v in values)}


def redacted_line(what: str) -> str:
    return REDACTED.format(what=what)
