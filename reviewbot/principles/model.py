"""The principle graph's values: frozen, comparable, free of behaviour beyond lookups."""

from __future__ import annotations

from dataclasses import dataclass

from reviewbot.errors import ReviewbotError
from reviewbot.models import LEVELS, PrincipleRef, Severity


class PrincipleDataError(ReviewbotError):
    """A principle data file or rules.toml is malformed; the message names file and key."""


@dataclass(frozen=True)
class Misconception:
    """A common wrong belief about a principle, the phrases that reveal it, and the fix."""

    id: str
    belief: str
    cues: tuple[str, ...]  # lowercase phrases a learner who holds the belief tends to write
    correction: str


@dataclass(frozen=True)
class KeyPoint:
    """One claim a learner must get right to understand the principle."""

    point: str
    cues: tuple[str, ...]  # lowercase phrases that show the claim was made


@dataclass(frozen=True)
class Probe:
    """A question that tests understanding (best: predict the output), with its answer."""

    question: str
    answer: str
    cues: tuple[str, ...]  # lowercase phrases a right answer contains


@dataclass(frozen=True)
class Principle:
    """One principle: what it says, why it holds, what it follows from, and how to teach it.

    `because` is ordered: its first entry is the primary branch every walk follows.
    `examples` is ((language, bad -> good code), ...) in the data's order.
    """

    id: str
    name: str
    statement: str
    why: str
    eli12: str
    because: tuple[str, ...]
    references: tuple[str, ...]
    bedrock: bool
    category: str
    examples: tuple[tuple[str, str], ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    key_points: tuple[KeyPoint, ...] = ()
    probe: Probe | None = None
    tradeoffs: str | None = None

    @property
    def example(self) -> str | None:
        """The Python example when there is one, else the first example, else None."""
        return self.example_for("python")

    def example_for(self, language: str) -> str | None:
        """The example in `language`, falling back to Python, then to the first one."""
        by_language = dict(self.examples)
        for choice in (language, "python"):
            if choice in by_language:
                return by_language[choice]
        return self.examples[0][1] if self.examples else None

    def explain(self, level: str = "engineer") -> str:
        """The why for a reader at `level`: "engineer" (default) or "eli12"."""
        if level == "eli12":
            return self.eli12
        if level == "engineer":
            return self.why
        raise ValueError(
            f"unknown explanation level {level!r} (choose one of: {', '.join(LEVELS)})"
        )

    def ref(self, level: str = "engineer") -> PrincipleRef:
        """The reference a review comment carries, with the why at `level`."""
        return PrincipleRef(id=self.id, name=self.name, why=self.explain(level))


@dataclass(frozen=True)
class Link:
    """One `because` link: `source` rests on `target`; `primary` when target is because[0]."""

    source: str
    target: str
    primary: bool


@dataclass(frozen=True)
class RuleMapping:
    """An analyzer rule, the principle it teaches and how it reads (see `reviewbot.principles.ruletable`)."""

    analyzer: str
    rule: str
    principle_id: str
    severity: Severity
    title: str = ""
    fix: str = ""
    why_here: tuple[str, ...] = ()  # templates, most specific first; the last needs no fact
    in_tests: str | None = None  # "skip", "listed", or the highest severity ("info", "warning") in test code
    note: str | None = None  # the rule's own mechanism when its principle is design-level
    listed: bool = False  # listed in one summary note per rule, never a comment of its own
    not_in: tuple[str, ...] = ()  # path globs ("*.ts") where the rule does not apply
    earned: tuple[str, ...] = ()  # judged useful findings on real code ("owner/repo@sha path:line") that earned
    # the rule line comments
    convention: bool = False  # where the file had this finding before the change, a new one follows the file's
    # own way (a `print` in a module that already prints) and is listed
    only_in_tests: bool = False  # a rule about test code (flake8-pytest-style): other files are not its business
