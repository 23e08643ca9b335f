"""A learner profile held in memory: the same calls as the database one, forgotten at the end.

The Action has no database and must not keep a person's learning anywhere others
can read (caches and artifacts are readable by the repository's writers), so it
builds this profile afresh on each run from the pull request's own why-threads
(`reviewbot.action.history.learner_from_threads`) and drops it when the run ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime

from reviewbot.learner.evidence import GOT_IT, KINDS, EvidenceRow
from reviewbot.learner.profile import ProfileView, Progress, profile_view


def _utcnow() -> datetime:
    return datetime.now(UTC)


class MemoryLearner:
    """Per person (host + login): progress and evidence rows, and model-written replies, in memory."""

    def __init__(self, clock: Callable[[], datetime] = _utcnow) -> None:
        self._clock = clock
        self._progress: dict[tuple[str, str, str], Progress] = {}
        self._evidence: dict[tuple[str, str], list[EvidenceRow]] = {}
        self._replies: dict[tuple[str, str, str, int], list[datetime]] = {}

    def view(self, host: str, login: str) -> ProfileView:
        rows = [p for (h, person, _), p in self._progress.items() if (h, person) == (host, login)]
        return profile_view(rows, self._evidence.get((host, login), ()))

    def shown(self, host: str, login: str, pairs: Iterable[tuple[str, int]]) -> None:
        now = self._clock()
        for principle, depth in pairs:
            old = self._progress.get((host, login, principle), Progress(principle))
            self._progress[(host, login, principle)] = replace(
                old, times_shown=old.times_shown + 1, deepest=max(old.deepest, depth),
                first_shown=old.first_shown or now, last_shown=now)

    def understood(self, host: str, login: str, principles: Iterable[str]) -> None:
        now = self._clock()
        for principle in principles:
            old = self._progress.get((host, login, principle), Progress(principle))
            self._progress[(host, login, principle)] = replace(old, understood_at=old.understood_at or now)
            self._evidence.setdefault((host, login), []).append(EvidenceRow(principle, GOT_IT, "", now))

    def record(self, host: str, login: str, items: Iterable[tuple[str, str, str]],
               pull_request: str | None = None) -> None:
        now, rows = self._clock(), list(items)
        for _, kind, _ in rows:
            if kind not in KINDS:
                raise ValueError(f"unknown evidence kind {kind!r} (one of {', '.join(KINDS)})")
        self._evidence.setdefault((host, login), []).extend(
            EvidenceRow(pid, kind, outcome, now, pull_request) for pid, kind, outcome in rows)

    def evidence(self, host: str, login: str) -> tuple[EvidenceRow, ...]:
        return tuple(self._evidence.get((host, login), ()))

    def model_replies(self, host: str, login: str, repo_full_name: str, pr_number: int) -> tuple[datetime, ...]:
        return tuple(self._replies.get((host, login, repo_full_name, pr_number), ()))

    def record_model_reply(self, host: str, login: str, repo_full_name: str, pr_number: int) -> None:
        self._replies.setdefault((host, login, repo_full_name, pr_number), []).append(self._clock())
