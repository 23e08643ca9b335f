"""A person's learning map, built from their progress rows and the principle graph (pure).

Each principle is `understood` (the person said it clicked), `in-progress`
(shown to them, not yet marked) or `never-met`. The map groups principles by
the bedrock their primary chain ends on, bedrock principles heading their
own group, so a person sees which foundations they have reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewbot.principles.graph import PrincipleGraph

from reviewbot.learner.evidence import EvidenceRow, Standing, standing

LOCAL_HOST = "local"  # the host part of a person's identity in the local profile
QUOTA_WINDOW = timedelta(hours=1)  # model-written thread replies are counted over this window


@dataclass(frozen=True)
class ProfileView:
    """What reviewbot knows about the person it talks to (read-only)."""

    understood: frozenset[str] = frozenset()
    deepest: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    standings: Mapping[str, Standing] = field(default_factory=lambda: MappingProxyType({}))

    def knows(self, principle_id: str) -> bool:
        return principle_id in self.understood

    def standing(self, principle_id: str) -> Standing:
        return self.standings.get(principle_id, Standing())


class Status(str, Enum):
    UNDERSTOOD = "understood"
    IN_PROGRESS = "in-progress"
    NEVER_MET = "never-met"


@dataclass(frozen=True)
class Progress:
    """One person's record for one principle, as the store keeps it."""

    principle: str
    times_shown: int = 0
    deepest: int = 0  # layers below this principle the person has gone
    first_shown: datetime | None = None
    last_shown: datetime | None = None
    understood_at: datetime | None = None

    @property
    def status(self) -> Status:
        if self.understood_at is not None:
            return Status.UNDERSTOOD
        return Status.IN_PROGRESS if self.times_shown else Status.NEVER_MET


@dataclass(frozen=True)
class MapEntry:
    id: str
    name: str
    bedrock: bool
    progress: Progress
    standing: Standing = field(default_factory=Standing)

    @property
    def status(self) -> Status:
        return self.progress.status


@dataclass(frozen=True)
class BedrockGroup:
    bedrock: str  # id of the bedrock principle
    name: str
    entries: tuple[MapEntry, ...]  # the bedrock itself first, then by id


@dataclass(frozen=True)
class LearnerMap:
    host: str
    login: str
    groups: tuple[BedrockGroup, ...]

    def entries(self) -> tuple[MapEntry, ...]:
        return tuple(entry for group in self.groups for entry in group.entries)

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for entry in self.entries():
            counts[entry.status.value] += 1
        return counts


def profile_view(rows: Iterable[Progress], evidence: Iterable[EvidenceRow] = ()) -> ProfileView:
    """The read-only view the thread core and the review tailoring use."""
    rows = tuple(rows)
    understood = frozenset(r.principle for r in rows if r.status is Status.UNDERSTOOD)
    return ProfileView(understood, MappingProxyType({r.principle: r.deepest for r in rows}),
                       MappingProxyType(standings(evidence)))


def standings(evidence: Iterable[EvidenceRow]) -> dict[str, Standing]:
    by_principle: dict[str, list[EvidenceRow]] = {}
    for row in evidence:
        by_principle.setdefault(row.principle, []).append(row)
    return {pid: standing(rows) for pid, rows in by_principle.items()}


def build_map(graph: PrincipleGraph, host: str, login: str, rows: Iterable[Progress],
              evidence: Iterable[EvidenceRow] = ()) -> LearnerMap:
    """Every principle of the graph with this person's status and evidence, grouped by bedrock."""
    by_id = {row.principle: row for row in rows}
    folded = standings(evidence)
    grouped: dict[str, list[MapEntry]] = {}
    for principle in graph.all():
        entry = MapEntry(principle.id, principle.name, principle.bedrock,
                         by_id.get(principle.id, Progress(principle.id)), folded.get(principle.id, Standing()))
        grouped.setdefault(primary_bedrock(graph, principle.id), []).append(entry)
    groups = (_group(graph, bedrock, entries) for bedrock, entries in sorted(grouped.items()))
    return LearnerMap(host, login, tuple(groups))


def teaching_order(graph: PrincipleGraph, ids: Iterable[str]) -> list[str]:
    """Foundations first: nearer bedrock before what rests on it, then by id."""
    return sorted(ids, key=lambda pid: (len(graph.path_to_bedrock(pid)), pid))


def primary_bedrock(graph: PrincipleGraph, principle_id: str) -> str:
    """The bedrock at the end of the principle's primary chain (its `because[0]` walk)."""
    return graph.path_to_bedrock(principle_id)[-1].id


def _group(graph: PrincipleGraph, bedrock: str, entries: list[MapEntry]) -> BedrockGroup:
    ordered = sorted(entries, key=lambda e: (e.id != bedrock, e.id))
    return BedrockGroup(bedrock, graph.get(bedrock).name, tuple(ordered))
