"""What a person's record says about one principle, and what follows from it (pure).

Evidence rows are events: a check verdict, a probe answer, a self-reported "got it",
a later violation (a review flagged the principle again after it was understood), a
retrieval question asked by a later review. `standing` folds one principle's events,
oldest first, into where the person stands; `fade` and `retrieval_due` decide how a
later review explains it (expertise reversal: explanations fade as evidence grows;
spaced retrieval: after growing intervals a question replaces the explanation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

CHECK, PROBE, GOT_IT, VIOLATION, ASKED = "check", "probe", "got-it", "violation", "asked"
KINDS = (CHECK, PROBE, GOT_IT, VIOLATION, ASKED)
CORRECT, MISCONCEPTION = "correct", "misconception"
RETRIEVAL_LEAD = "**Quick check instead of the explanation"  # a review comment asking the probe back
# Gaps before a later review asks the probe instead of explaining: after the 1st, 2nd, ... success.
INTERVALS = (timedelta(days=3), timedelta(days=14), timedelta(days=42), timedelta(days=120))


@dataclass(frozen=True)
class EvidenceRow:
    principle: str
    kind: str  # one of KINDS
    outcome: str  # a verdict for check/probe, "" otherwise
    at: datetime
    pull_request: str | None = None  # "owner/repo#12"


@dataclass(frozen=True)
class Standing:
    """One principle's evidence, folded."""

    streak: int = 0  # successes (got it, right check or probe) since the last wrong one
    passed: bool = False  # a right check or probe answer within the streak
    reported: bool = False  # a self-reported "got it" within the streak
    violations_since: int = 0  # reviews that flagged it again after the latest success
    met_on: str | None = None  # the pull request where it came up before
    last_success: datetime | None = None
    last_asked: datetime | None = None
    checks: int = 0
    probes_right: int = 0
    probes_wrong: int = 0
    violations: int = 0


class Fade(str, Enum):
    FULL = "full"  # no evidence: explain in full
    SHORTER = "shorter"  # self-report alone: two sentences
    ONE_LINE = "one-line"  # a right check or probe answer: one line
    REOPEN = "reopen"  # flagged again after it was understood: in full, "here it is again"
    RETRIEVE = "retrieve"  # time for spaced retrieval: ask the probe instead


def standing(rows: Iterable[EvidenceRow]) -> Standing:
    s = Standing()
    for row in sorted(rows, key=lambda r: r.at):
        s = _step(s, row)
    return s


def _step(s: Standing, row: EvidenceRow) -> Standing:
    from dataclasses import replace

    success = row.kind == GOT_IT or (row.kind in (CHECK, PROBE) and row.outcome == CORRECT)
    failure = row.kind in (CHECK, PROBE) and row.outcome == MISCONCEPTION
    s = replace(s, checks=s.checks + (row.kind == CHECK),
                probes_right=s.probes_right + (row.kind == PROBE and row.outcome == CORRECT),
                probes_wrong=s.probes_wrong + (row.kind == PROBE and row.outcome == MISCONCEPTION),
                violations=s.violations + (row.kind == VIOLATION))
    if success:
        return replace(s, streak=s.streak + 1, passed=s.passed or row.kind != GOT_IT,
                       reported=s.reported or row.kind == GOT_IT, violations_since=0, last_success=row.at,
                       met_on=row.pull_request or s.met_on)
    if failure:
        return replace(s, streak=0, passed=False, reported=False, violations_since=0)
    if row.kind == VIOLATION and s.streak:
        return replace(s, violations_since=s.violations_since + 1, met_on=row.pull_request or s.met_on)
    if row.kind == ASKED:
        return replace(s, last_asked=row.at)
    return s


def retrieval_due(s: Standing, now: datetime) -> bool:
    """Understood some time ago, and the interval for its number of successes has passed."""
    if not s.streak or s.last_success is None:
        return False
    since = max(s.last_success, s.last_asked or s.last_success)
    return now - since >= INTERVALS[min(s.streak, len(INTERVALS)) - 1]


def fade(s: Standing, now: datetime, has_probe: bool) -> Fade:
    if not s.streak:
        return Fade.FULL
    if s.violations_since:
        return Fade.REOPEN
    if has_probe and retrieval_due(s, now):
        return Fade.RETRIEVE
    return Fade.ONE_LINE if s.passed else Fade.SHORTER


def lines(s: Standing) -> tuple[str, ...]:
    """The evidence as short lines for the person's own map."""
    out = []
    if s.checks:
        out.append(f"stated it in own words {s.checks} time{'s' * (s.checks != 1)}")
    if s.probes_right or s.probes_wrong:
        out.append(f"quick checks answered: {s.probes_right} right, {s.probes_wrong} wrong")
    if s.violations:
        out.append(f"flagged again after it was understood: {s.violations} time{'s' * (s.violations != 1)}")
    if s.last_success:
        out.append(f"last shown understanding on {s.last_success:%Y-%m-%d}")
    return tuple(out)
