"""`reviewbot learner LOGIN`: a person's map as text or JSON (pure)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reviewbot.learner.evidence import lines as evidence_lines
from reviewbot.learner.profile import LearnerMap, MapEntry, Status

if TYPE_CHECKING:
    from reviewbot.explorer.learner import NodeState
    from reviewbot.principles.graph import PrincipleGraph

_MARKS = {Status.UNDERSTOOD: "[x]", Status.IN_PROGRESS: "[~]", Status.NEVER_MET: "[ ]"}
_LABELS = {Status.UNDERSTOOD: "understood", Status.IN_PROGRESS: "in progress", Status.NEVER_MET: "never met"}


def render_text(learner: LearnerMap) -> str:
    counts = learner.counts()
    summary = ", ".join(f"{counts[status.value]} {_LABELS[status]}" for status in Status)
    lines = [f"{learner.login} ({learner.host}): {summary}", "[x] understood  [~] in progress  [ ] never met"]
    width = max((len(entry.id) for entry in learner.entries()), default=0)
    for group in learner.groups:
        lines += ["", f"Bedrock: {group.name} ({group.bedrock})"]
        lines += [_entry_line(entry, width) for entry in group.entries]
    return "\n".join(lines) + "\n"


def _entry_line(entry: MapEntry, width: int) -> str:
    extra = "; ".join(evidence_lines(entry.standing))
    return f"  {_MARKS[entry.status]} {entry.id.ljust(width)}  {entry.name}{_detail(entry)}" + (
        f"  [{extra}]" if extra else "")


def _detail(entry: MapEntry) -> str:
    progress = entry.progress
    if entry.status is Status.UNDERSTOOD:
        return f"  (understood {_day(progress.understood_at)})"
    if entry.status is Status.IN_PROGRESS:
        depth = f", {progress.deepest} layer(s) deep" if progress.deepest else ""
        return f"  (shown {progress.times_shown}x{depth}, last {_day(progress.last_shown)})"
    return ""


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else "-"


def render_json(learner: LearnerMap) -> str:
    return json.dumps(to_dict(learner), indent=2, sort_keys=False) + "\n"


def to_dict(learner: LearnerMap) -> dict[str, Any]:
    return {
        "host": learner.host,
        "login": learner.login,
        "counts": learner.counts(),
        "groups": [
            {"bedrock": g.bedrock, "name": g.name, "principles": [_entry_dict(e) for e in g.entries]}
            for g in learner.groups
        ],
    }


def _entry_dict(entry: MapEntry) -> dict[str, Any]:
    p, s = entry.progress, entry.standing
    return {
        "id": entry.id,
        "name": entry.name,
        "bedrock": entry.bedrock,
        "status": entry.status.value,
        "times_shown": p.times_shown,
        "deepest": p.deepest,
        "first_shown": _iso(p.first_shown),
        "last_shown": _iso(p.last_shown),
        "understood_at": _iso(p.understood_at),
        "evidence": {"checks": s.checks, "probes_right": s.probes_right, "probes_wrong": s.probes_wrong,
                     "violations": s.violations, "violations_since_understood": s.violations_since,
                     "self_reported": s.reported, "passed": s.passed},
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def render_html(graph: PrincipleGraph, learner: LearnerMap, intro: str | None = None, actions: str = "") -> str:
    """The person's map on the principle map: one self-contained page (`--html FILE`, the App's /me)."""
    from reviewbot.explorer.learner import FILE_INTRO, learner_page

    return learner_page(graph, learner.login, node_states(learner), next_to_learn(learner),
                        intro or FILE_INTRO, actions)


def node_states(learner: LearnerMap) -> dict[str, NodeState]:
    """Each met principle's state and the evidence behind it, for the map."""
    from reviewbot.explorer.learner import NodeState

    return {
        entry.id: NodeState(_state(entry), _evidence(entry))
        for entry in learner.entries()
        if entry.status is not Status.NEVER_MET or entry.standing.streak or entry.standing.checks
        or entry.standing.probes_wrong
    }


def _state(entry: MapEntry) -> str:
    """The map's state: "met again" when flagged again after it was understood."""
    if entry.standing.violations_since:
        return "met again"
    if entry.standing.streak and entry.status is not Status.UNDERSTOOD:
        return "understood"
    return _LABELS[entry.status]


def next_to_learn(learner: LearnerMap, limit: int = 5) -> list[str]:
    """Principles in progress (not shown understood by a right check or quick check), the most recently met first."""
    in_progress = [e for e in learner.entries() if e.status is Status.IN_PROGRESS and _state(e) == "in progress"]
    in_progress.sort(key=lambda e: e.progress.last_shown or datetime.min, reverse=True)
    return [entry.id for entry in in_progress[:limit]]


def _evidence(entry: MapEntry) -> tuple[str, ...]:
    progress, lines = entry.progress, []
    if progress.understood_at is not None:
        lines.append(f"you said it clicked on {progress.understood_at:%Y-%m-%d}")
    if progress.times_shown:
        lines.append(f"shown {progress.times_shown} time{'s' if progress.times_shown != 1 else ''}"
                     + (f", last on {progress.last_shown:%Y-%m-%d}" if progress.last_shown else ""))
    if progress.deepest:
        lines.append(f"you asked why {progress.deepest} layer{'s' if progress.deepest != 1 else ''} deep")
    return tuple(lines) + evidence_lines(entry.standing)
