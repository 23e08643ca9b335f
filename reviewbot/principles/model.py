"""The principle graph's values: frozen, comparable, free of behaviour beyond lookups."""

from __future__ import annotations

from dataclasses import dataclass

from reviewbot.errors import ReviewbotError
from reviewbot.models import PrincipleRef, Severity

LEVELS = ("engineer", "eli12")


class PrincipleDataError(ReviewbotError):
    """A principle data file or rules.toml is malformed; the message names file and key."""


@dataclass(frozen=True)
class Principle:
    """One principle: what it says, why it holds, and what it follows from."""

    id: str
    name: str
    statement: str
    why: str
    eli12: str
    example: str | None
    because: tuple[str, ...]
    references: tuple[str, ...]
    bedrock: bool
    category: str

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
class RuleMapping:
    """An analyzer rule and the principle (and severity) it teaches."""

    analyzer: str
    rule: str
    principle_id: str
    severity: Severity
