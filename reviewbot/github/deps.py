"""What a job handler is given: settings, store, hosts, model, clock.

Built once per worker process at the edge (`Deps.for_app`) and passed to
every job; tests build one from fakes. `review_fn` defaults to
`reviewbot.engine.review`, the one review every entry point shares.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewbot.config import Config
    from reviewbot.diffmodel import Diff
    from reviewbot.github.host import Host, PullInfo
    from reviewbot.llm.prompt import PullRequestText
    from reviewbot.models import Review
    from reviewbot.principles import PrincipleGraph
    from reviewbot.settings import AppSettings
    from reviewbot.store.base import ReviewStore

ReviewFn = Callable[..., "Review"]  # (diff, contents, config, graph, model=None, pull_request=None) -> Review


@dataclass(frozen=True)
class Deps:
    settings: AppSettings
    store: ReviewStore
    host_for: Callable[[int], Host]
    model: Any = None  # reviewbot.llm.model.ChatModel, or None for the built-in reviewer
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    review_fn: ReviewFn | None = None
    graph: PrincipleGraph | None = None
    commands: bool = True  # the review body offers `@<slug> review` / `@<slug> help` (the App; not the Action)
    config_files: tuple[str, ...] | None = None  # the repository's settings files; None: the usual two

    @classmethod
    def for_app(cls, settings: AppSettings, store: ReviewStore, model: Any = None, **kwargs: Any) -> Deps:
        """Deps for a worker: one `GitHubApp` (tokens, slug, pacing) shared by every job."""
        from reviewbot.github.pygithub_host import GitHubApp

        clock, sleep = kwargs.pop("clock", time.time), kwargs.pop("sleep", time.sleep)
        app = GitHubApp.from_settings(settings, clock=clock, sleep=sleep)
        return cls(settings, store, app.host_for, model, clock, sleep, **kwargs)

    def principles(self) -> PrincipleGraph:
        if self.graph is not None:
            return self.graph
        from reviewbot.principles import load_graph

        return load_graph()

    def review(
        self, diff: Diff, contents: Mapping[str, str | None], config: Config, pull: PullInfo | None = None
    ) -> Review:
        review_fn = self.review_fn
        if review_fn is None:
            from reviewbot.engine import review as review_fn
        return review_fn(diff, contents, config, self.principles(), model=self.model, pull_request=_words(pull))


def _words(pull: PullInfo | None) -> PullRequestText | None:
    """The pull request's title and description for the LLM reviewer (None when unknown)."""
    if pull is None:
        return None
    from reviewbot.llm.prompt import PullRequestText

    return PullRequestText(pull.title, pull.body)
