"""The review's data: frozen values passed between the core and the edges."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for thresholds and budgets."""
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose one of: {choices})") from None


_SEVERITY_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


class Side(str, Enum):
    """Which version of a file a line number refers to, as GitHub names it."""

    RIGHT = "RIGHT"  # the new file: added and context lines
    LEFT = "LEFT"  # the old file: deleted and context lines


class Kind(str, Enum):
    """What a comment is: a problem the reviewer can show, or a question whose answer could reveal one."""

    ISSUE = "issue"
    QUESTION = "question"


QUESTION_PREFIX = "Question: "  # a question's title starts with it, so every format shows what it is


class Confidence(str, Enum):
    """How sure the reviewer is (see the README's JSON contract for how each reviewer decides)."""

    HIGH = "high"  # the failing input or sequence of events can be named
    MEDIUM = "medium"  # it depends on code or context the review did not see
    LOW = "low"  # a suspicion worth checking


# What a comment is about: the model picks one; a built-in finding gets its principle's (reviewbot.review.labels).
CATEGORIES = ("correctness", "security", "error-handling", "concurrency", "performance", "api-design",
              "compatibility", "docs", "dependencies", "duplication", "tests", "readability", "accessibility")

LEVELS = ("engineer", "eli12")  # how a why is explained: for an engineer, or simply enough for a twelve-year-old
PROPOSED_PREFIX = "new:"  # ids of principles a reviewer proposed that are not in the catalog yet


@dataclass(frozen=True)
class PrincipleRef:
    """The principle a comment follows from, with its why for *this* code."""

    id: str
    name: str
    why: str

    @property
    def proposed(self) -> bool:
        return self.id.startswith(PROPOSED_PREFIX)


@dataclass(frozen=True)
class Comment:
    """One review comment, anchored to a line the diff changed."""

    path: str
    line: int
    severity: Severity
    title: str
    body: str
    principle: PrincipleRef
    source: str  # who found it: "ruff:B006", "secrets:AWSKeyDetector", "diff:conflict-marker", "llm"
    end_line: int | None = None
    side: Side = Side.RIGHT
    suggestion: str | None = None
    kind: Kind = Kind.ISSUE
    confidence: Confidence = Confidence.HIGH
    category: str | None = None  # one of CATEGORIES; None: not known

    @property
    def rule(self) -> str:
        """The rule part of `source` ("B006" for "ruff:B006")."""
        return self.source.partition(":")[2] or self.source


@dataclass(frozen=True)
class CommitMessage:
    """One commit of the change and its message: the author's words, untrusted like the title."""

    id: str  # the commit id (hex), as git or GitHub gives it
    subject: str  # the message's first line
    body: str = ""  # the rest of the message


@dataclass(frozen=True)
class PullRequestText:
    """A pull request's own words (title, description, commit messages): untrusted, redacted before the LLM sees them.

    `commits` are oldest first; `earlier` counts older commits left out (a long branch is cut to its newest ones).
    """

    title: str = ""
    description: str = ""
    commits: tuple[CommitMessage, ...] = ()
    earlier: int = 0


@dataclass(frozen=True)
class Skipped:
    """A file (or part of one) that was not reviewed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Coverage:
    """Which analyzers examined one file of the diff (none: the file was not examined)."""

    path: str
    analyzers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Usage:
    """Token accounting for LLM calls (all zero for the built-in reviewer)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.calls + other.calls,
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cached_tokens + other.cached_tokens,
        )


@dataclass(frozen=True)
class Review:
    """The result of reviewing one diff."""

    comments: tuple[Comment, ...]
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()  # general notes that belong to no diff line
    reviewer: str = "builtin"  # "builtin" or "llm:<model>"
    mode: str | None = None  # LLM response mode used: json_schema | json_object | text
    files_reviewed: int = 0  # files at least one analyzer (or the model) examined
    usage: Usage = field(default_factory=Usage)
    coverage: tuple[Coverage, ...] = ()  # per file of the diff, which analyzers examined it
    pre_existing: int = 0  # findings left out because the code had them before the change

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for comment in self.comments:
            counts[comment.severity.value] += 1
        return counts

    def worst(self) -> Severity | None:
        return max((c.severity for c in self.comments), key=lambda s: s.rank, default=None)
