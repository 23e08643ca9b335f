"""Building the App's parts from AppSettings: the one place that knows every adapter.

Tests build the same parts with fakes (`Routes`, a fake Deps) and real stores
and queues; production takes the routes and Deps from reviewbot.app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from reviewbot.errors import ReviewbotError
from reviewbot.jobs import Job
from reviewbot.server.leases import LeaseKeeper
from reviewbot.server.metrics import Metrics
from reviewbot.server.runner import JobRunner
from reviewbot.store.jobs import JobStore
from reviewbot.store.sql import SqlStore, utcnow

log = logging.getLogger("reviewbot.worker")

if TYPE_CHECKING:
    from fastapi import FastAPI

    from reviewbot.server.limits import HttpLimits
    from reviewbot.settings import AppSettings
    from reviewbot.taskqueue import JobQueue

DELIVERY_MEMORY = timedelta(days=7)  # GitHub offers redelivery for 3 days


class StartupError(ReviewbotError):
    """A backing service named in the settings cannot be reached at start-up."""


@dataclass(frozen=True)
class Routes:
    is_handled: Callable[[str, dict[str, Any]], bool]
    handle: Callable[[Job, Any], object]
    report_failure: Callable[[Job, str, Any], object]


@dataclass(frozen=True)
class Services:
    settings: AppSettings
    store: SqlStore
    queue: JobQueue
    metrics: Metrics
    jobs: JobStore

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.job_lease)

    def close(self) -> None:
        self.jobs.close()
        self.store.close()


def github_routes() -> Routes:
    from reviewbot.app import handlers

    return Routes(handlers.is_handled, handlers.handle, handlers.report_failure)


def open_services(settings: AppSettings, multiprocess_dir: str | None = None) -> Services:
    """Store (migrated) and queue, both checked reachable; raises StartupError naming the variable."""
    from reviewbot.store import open_store
    from reviewbot.taskqueue import open_queue

    store = _reach("store", "REVIEWBOT_DATABASE_URL" if settings.database_url else "REVIEWBOT_DATA_DIR",
                   lambda: open_store(settings.store_url, background_checkpoints=True))
    queue = _reach("queue", "REVIEWBOT_REDIS_URL" if settings.redis_url else "REVIEWBOT_DATA_DIR",
                   lambda: _pinged(open_queue(settings)))
    metrics = Metrics(multiprocess_dir)
    metrics.watch_queue(lambda: (queue.pending_count(), queue.scheduled_count()))
    return Services(settings, store, queue, metrics, JobStore(store.engine))


def build_app(
    services: Services, routes: Routes, jobs: int = 0, deps: Any = None, limits: HttpLimits | None = None
) -> FastAPI:
    """The web app; with jobs > 0 it also runs that many job threads in-process."""
    from reviewbot.server.app import create_app
    from reviewbot.server.explorer import add_explorer_routes
    from reviewbot.server.intake import Intake
    from reviewbot.server.signin import add_signin_routes
    from reviewbot.server.worker import embedded_lifespan

    intake = Intake(services.settings.webhook_secret, services.jobs, services.queue,
                    routes.is_handled, services.metrics)
    lifespan = None
    if jobs > 0:
        runner = prepare_worker(services, routes, deps)
        lifespan = embedded_lifespan(services.queue, jobs, lease_keeper(services, runner))
    checks = [("store", services.store.ping), ("queue", services.queue.ping)]
    app = create_app(intake, checks, services.metrics, lifespan, limits)
    add_explorer_routes(app)
    add_signin_routes(app, services)
    return app


def prepare_worker(services: Services, routes: Routes, deps: Any = None) -> JobRunner:
    """Give the queue its runner and the hourly housekeeping task, and send jobs left without a queue
    message; returns the runner."""
    runner = JobRunner(
        routes.handle, routes.report_failure,
        deps if deps is not None else build_deps(services), services.store, services.jobs, services.metrics,
        services.queue.enqueue, policy=services.queue.policy, lease=services.lease,
    )
    services.queue.set_runner(runner)
    send_unsent(services)
    services.queue.add_hourly("prune-deliveries", lambda: prune_deliveries(services.store))
    services.queue.add_hourly("prune-thread-replies", lambda: prune_thread_replies(services.store))
    return runner


def send_unsent(services: Services) -> list[int]:
    """Send the waiting jobs that have no message in the queue; returns their ids.

    The intake answers once a job is recorded and sends its message right after; a process stopped
    in between leaves a recorded job without one. A worker starting sends those now instead of
    leaving them to their grace period. A message sent twice is harmless: the second finds its job
    leased or finished."""
    try:
        pending = set(services.queue.pending_ids())
        unsent = [job_id for job_id in services.jobs.queued_ids() if job_id not in pending]
        if unsent:
            services.queue.enqueue_many(unsent)
    except Exception:  # the lease keeper sends them when their grace period ends
        log.exception("could not look for recorded jobs without a queue message")
        return []
    if unsent:
        log.warning("sent %d recorded job(s) that had no queue message: %s", len(unsent), unsent)
    return unsent


def lease_keeper(services: Services, runner: JobRunner) -> LeaseKeeper:
    """The thread that renews `runner`'s leases and re-sends jobs whose worker died."""
    return LeaseKeeper(services.jobs, services.queue, runner.worker, services.lease)


def prune_deliveries(store: SqlStore, now: Callable[[], Any] = utcnow) -> int:
    return store.prune_deliveries(now() - DELIVERY_MEMORY)


def prune_thread_replies(store: SqlStore, now: Callable[[], Any] = utcnow) -> int:
    """Forget model-written thread replies older than the quota window needs."""
    from reviewbot.learner.store import QUOTA_WINDOW, LearnerStore

    return LearnerStore(store.engine).prune_replies(now() - 2 * QUOTA_WINDOW)


def build_deps(services: Services) -> Any:
    """The GitHub handlers' Deps, with the model and hosts reporting to the metrics."""
    import dataclasses

    from reviewbot.app.deps import Deps

    deps = Deps.for_app(services.settings, services.store, model=build_model(services.settings, services.metrics))
    return dataclasses.replace(deps, host_for=metered_hosts(deps.host_for, services.metrics))


def build_model(settings: AppSettings, metrics: Metrics) -> Any:
    from reviewbot.adapters.llm import open_model

    model = open_model(settings.review)
    return None if model is None else MeteredModel(model, metrics)


class MeteredModel:
    """A ChatModel that counts the tokens of every completion."""

    def __init__(self, model: Any, metrics: Metrics) -> None:
        self._model, self._metrics = model, metrics
        self.name = model.name

    def complete(self, messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        completion = self._model.complete(messages, schema)
        usage = completion.usage
        self._metrics.tokens(usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens)
        return completion

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


def metered_hosts(host_for: Callable[[int], Any], metrics: Metrics) -> Callable[[int], Any]:
    """host_for whose hosts update the rate-limit gauge after each call."""
    return lambda installation_id: MeteredHost(host_for(installation_id), metrics)


class MeteredHost:
    def __init__(self, host: Any, metrics: Metrics) -> None:
        self._host, self._metrics = host, metrics

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._host, name)
        if not callable(attribute) or name == "rate_limit_remaining":
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attribute(*args, **kwargs)
            finally:
                self._record()

        return call

    def _record(self) -> None:
        remaining = getattr(self._host, "rate_limit_remaining", None)
        value = remaining() if callable(remaining) else None
        if value is not None:
            self._metrics.rate_limit.set(value)


def _pinged(queue: JobQueue) -> JobQueue:
    queue.ping()
    return queue


def _reach(what: str, variable: str, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except ReviewbotError:
        raise
    except Exception as exc:  # noqa: BLE001 - driver errors of every kind become one line naming the variable
        first = (str(exc).strip().splitlines() or [""])[0] or type(exc).__name__
        raise StartupError(f"cannot use the {what} set by {variable}: {first}") from None
