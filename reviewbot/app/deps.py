"""What a job is handed: the review settings, the hosts, the review history, the learner, the model, the clock.

Every field is declared: the App builds its Deps once per worker process
(`Deps.for_app`), the Action builds one per run (`reviewbot.action.review`),
tests build one from fakes. `review_fn` defaults to `reviewbot.engine.review`,
the one review every entry point shares.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from reviewbot.accounts import DEFAULT_API_URL
from reviewbot.config import Config
from reviewbot.models import CommitMessage, PullRequestText
from reviewbot.threads.settings import ThreadSettings

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from reviewbot.adapters.github.host import Host, PullInfo
    from reviewbot.diffmodel import Diff
    from reviewbot.learner.profile import ProfileView
    from reviewbot.llm.model import ChatModel
    from reviewbot.models import Review
    from reviewbot.principles import PrincipleGraph
    from reviewbot.settings import AppSettings
    from reviewbot.store.base import ReviewStore

ReviewFn = Callable[..., "Review"]  # (diff, contents, config, graph, model=None, pull_request=None) -> Review


class ReviewHistory(Protocol):
    """The head commit each pull request was last reviewed at (the App's store; the Action's posted reviews)."""

    def last_reviewed_head(self, repo_full_name: str, pr_number: int) -> str | None: ...

    def set_last_reviewed_head(self, repo_full_name: str, pr_number: int, sha: str) -> None: ...


class CommandLog(Protocol):
    """Who gave which `@<slug>` commands on which pull request (the App's store): the command quota."""

    def commands_since(self, repo_full_name: str, pr_number: int, login: str, since: datetime) -> int: ...

    def record_command(self, repo_full_name: str, pr_number: int, login: str, at: datetime) -> None: ...


class Learner(Protocol):
    """The learner profile as the review flow and the why-threads use it (`reviewbot.learner.store`)."""

    def view(self, host: str, login: str) -> ProfileView: ...

    def shown(self, host: str, login: str, pairs: Iterable[tuple[str, int]]) -> None: ...

    def understood(self, host: str, login: str, principles: Iterable[str]) -> None: ...

    def record(self, host: str, login: str, items: Iterable[tuple[str, str, str]],
               pull_request: str | None = None) -> None: ...

    def model_replies(
        self, host: str, login: str, repo_full_name: str, pr_number: int
    ) -> tuple[datetime, ...]: ...

    def record_model_reply(self, host: str, login: str, repo_full_name: str, pr_number: int) -> None: ...


@dataclass(frozen=True)
class Deps:
    review_config: Config  # the operator's review settings, before the repository's settings file
    host_for: Callable[[int], Host]  # installation id -> the GitHub calls of that installation
    history: ReviewHistory
    api_url: str = DEFAULT_API_URL  # GitHub's REST API: github.com or a GitHub Enterprise Server
    review_drafts: bool = False  # the draft policy when the repository does not set one
    threads: ThreadSettings = ThreadSettings()
    learner: Learner | None = None  # None: no profile (no tailoring, no model-written thread replies)
    model: ChatModel | None = None  # None: the built-in reviewer
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    review_fn: ReviewFn | None = None
    graph: PrincipleGraph | None = None
    commands: bool = True  # the review body offers `@<slug> review` / `@<slug> help` (the App; not the Action)
    config_files: tuple[str, ...] | None = None  # the repository's settings files; None: the usual two
    command_log: CommandLog | None = None  # who gave `@<slug>` commands (the App's store); None: no quota
    explorer_url: str | None = None  # the served principle explorer: principle names link to their pages

    @classmethod
    def for_app(cls, settings: AppSettings, store: ReviewStore, model: ChatModel | None = None, **kwargs: Any) -> Deps:
        """Deps for a worker: one `GitHubApp` (tokens, slug, pacing) shared by every job.

        The learner profile lives in the review store's database when it has one.
        """
        from reviewbot.adapters.github.pygithub_host import GitHubApp

        clock, sleep = kwargs.pop("clock", time.time), kwargs.pop("sleep", time.sleep)
        app = GitHubApp.from_settings(settings, clock=clock, sleep=sleep)
        kwargs.setdefault("learner", learner_on(store, clock))
        kwargs.setdefault("command_log", store if hasattr(store, "record_command") else None)
        return cls.from_settings(settings, store, app.host_for, model=model, clock=clock, sleep=sleep, **kwargs)

    @classmethod
    def from_settings(
        cls, settings: AppSettings, history: ReviewHistory, host_for: Callable[[int], Host], **kwargs: Any
    ) -> Deps:
        """Deps with the review config, API URL, draft policy and thread settings of `settings`."""
        kwargs.setdefault("explorer_url", settings.explorer_url)
        return cls(
            settings.review, host_for, history, settings.api_url, settings.review_drafts, settings.threads, **kwargs
        )

    def principles(self) -> PrincipleGraph:
        if self.graph is not None:
            return self.graph
        from reviewbot.principles import load_graph

        return load_graph()

    def review(
        self,
        diff: Diff,
        contents: Mapping[str, str | None],
        config: Config,
        pull: PullInfo | None = None,
        base: Mapping[str, str | None] | None = None,
        commits: tuple[CommitMessage, ...] = (),
    ) -> Review:
        """The shared review; `base` is the pre-change text by path (only new findings are reported);
        `commits` are the pull request's commit messages, oldest first."""
        review_fn = self.review_fn if self.review_fn is not None else _engine()
        extra = {} if base is None else {"base_contents": base}
        words = _words(pull, commits)
        return review_fn(diff, contents, config, self.principles(), model=self.model, pull_request=words, **extra)


def _engine() -> ReviewFn:
    from reviewbot.engine import review

    return review


def learner_on(store: object, clock: Callable[[], float] = time.time) -> Learner | None:
    """A learner profile in the SQL store's database; None for a store without one (in memory)."""
    from reviewbot.store.sql import SqlStore

    if not isinstance(store, SqlStore):
        return None
    from datetime import UTC, datetime

    from reviewbot.learner.store import LearnerStore

    return LearnerStore(store.engine, clock=lambda: datetime.fromtimestamp(clock(), UTC))


def _words(pull: PullInfo | None, commits: tuple[CommitMessage, ...] = ()) -> PullRequestText | None:
    """The pull request's title, description and commit messages for the LLM reviewer (None when unknown)."""
    if pull is None and not commits:
        return None
    return PullRequestText(pull.title, pull.body, commits) if pull is not None else PullRequestText(commits=commits)
