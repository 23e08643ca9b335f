"""The model's verdicts on the analyzers' findings (pure).

Each finding shown to the model carries an id ("F3": the third comment of
the built-in review). The model may confirm it, downgrade it (one severity
step) or drop it as a false alarm, with a reason; every downgrade and drop is
reported in the review's notes with that reason. A finding shown in several
parts of the diff keeps the mildest verdict it was given (confirm, then
downgrade, then drop). Committed secrets and security findings at error
severity are protected: the model cannot downgrade or drop them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from reviewbot.llm.parse import RawVerdict
from reviewbot.llm.sanitize import sanitize_title
from reviewbot.models import Comment, Severity
from reviewbot.review.labels import SECURITY_ELSEWHERE

MILDEST_FIRST = ("confirm", "downgrade", "drop")
LOWER = {Severity.ERROR: Severity.WARNING, Severity.WARNING: Severity.INFO, Severity.INFO: Severity.INFO}
SECRET_SOURCES = ("secrets:",)  # always protected, at any severity
# An error-severity finding is a security finding when its source is a security tool (bandit's rules
# in ruff, the workflow security audit) or its principle is one (the security category of the graph
# and the security principles filed elsewhere, reviewbot.review.labels.SECURITY_ELSEWHERE).
SECURITY_SOURCES = ("ruff:S", "zizmor:")
SECURITY_CATEGORY = "security"


class _Catalog(Protocol):
    def all(self) -> Iterable[object]: ...


@dataclass(frozen=True)
class Judged:
    comments: tuple[Comment, ...]
    notes: tuple[str, ...]


def finding_id(index: int) -> str:
    """The id a finding is shown under: its 1-based place in the built-in review."""
    return f"F{index + 1}"


def security_principles(graph: _Catalog) -> frozenset[str]:
    """Ids of the principles whose findings count as security findings."""
    listed = {getattr(p, "id", "") for p in graph.all() if getattr(p, "category", "") == SECURITY_CATEGORY}
    return frozenset(listed) | SECURITY_ELSEWHERE


def is_protected(comment: Comment, security: frozenset[str] = SECURITY_ELSEWHERE) -> bool:
    """Secrets, and security findings at error severity: no model verdict changes them."""
    if comment.source.startswith(SECRET_SOURCES):
        return True
    is_security = comment.source.startswith(SECURITY_SOURCES) or comment.principle.id in security
    return comment.severity is Severity.ERROR and is_security


def apply_verdicts(findings: Sequence[Comment], verdicts: Iterable[RawVerdict],
                   security: frozenset[str] = SECURITY_ELSEWHERE) -> Judged:
    """The findings after the model's verdicts, and a note for each one changed or refused."""
    chosen = _mildest(verdicts)
    kept: list[Comment] = []
    notes: list[str] = []
    for index, finding in enumerate(findings):
        verdict = chosen.get(finding_id(index))
        comment, note = _judge(finding, verdict, is_protected(finding, security))
        if comment is not None:
            kept.append(comment)
        if note:
            notes.append(note)
    return Judged(tuple(kept), tuple(notes))


def _mildest(verdicts: Iterable[RawVerdict]) -> dict[str, RawVerdict]:
    chosen: dict[str, RawVerdict] = {}
    for verdict in verdicts:
        known = chosen.get(verdict.finding)
        if known is None or MILDEST_FIRST.index(verdict.verdict) < MILDEST_FIRST.index(known.verdict):
            chosen[verdict.finding] = verdict
    return chosen


def _judge(finding: Comment, verdict: RawVerdict | None, protected: bool) -> tuple[Comment | None, str | None]:
    if verdict is None or verdict.verdict == "confirm":
        return finding, None
    where = f"{finding.source} at {finding.path}:{finding.line}"
    reason = sanitize_title(verdict.reason) or "no reason given"
    if protected:
        return finding, f"kept {where}: the model asked to {verdict.verdict} it ({reason}), but it is protected"
    if verdict.verdict == "drop":
        return None, f"dropped {where} as a false alarm, by the model's verdict: {reason}"
    lower = LOWER[finding.severity]
    return replace(finding, severity=lower), f"downgraded {where} to {lower.value}, by the model's verdict: {reason}"
