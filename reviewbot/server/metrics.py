"""Prometheus metrics of the server and the workers.

One `Metrics` object per process. With several uvicorn worker processes the
counters are shared through prometheus_client's multiprocess mode
(PROMETHEUS_MULTIPROC_DIR, set by `reviewbot serve --workers N`); the queue depth
is read from the queue at scrape time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

REVIEW_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
COMMIT_BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
TOKEN_KINDS = ("prompt", "completion", "cached")


class Metrics:
    def __init__(self, multiprocess_dir: str | None = None) -> None:
        self.registry = CollectorRegistry()
        self.multiprocess_dir = multiprocess_dir
        self._queue_depth: Callable[[], tuple[int, int]] | None = None
        self._exposed: CollectorRegistry | None = None
        self.deliveries = Counter(
            "reviewbot_webhook_deliveries", "Webhook deliveries received, by event and outcome",
            ["event", "outcome"], registry=self.registry,
        )
        self.batch_size = Histogram(
            "reviewbot_intake_batch_size", "Deliveries recorded by one group commit of the intake",
            buckets=BATCH_BUCKETS, registry=self.registry,
        )
        self.batch_seconds = Histogram(
            "reviewbot_intake_batch_seconds", "Time one group commit took: store transaction and queue write",
            buckets=COMMIT_BUCKETS, registry=self.registry,
        )
        self.jobs = Counter("reviewbot_jobs", "Job attempts finished by workers, by outcome", ["outcome"],
                            registry=self.registry)
        self.review_seconds = Histogram(
            "reviewbot_review_duration_seconds", "Time a worker spent on one job attempt, by outcome",
            ["outcome"], buckets=REVIEW_BUCKETS, registry=self.registry,
        )
        self.llm_tokens = Counter("reviewbot_llm_tokens", "LLM tokens used by reviews, by kind", ["kind"],
                                  registry=self.registry)
        self.rate_limit = Gauge(
            "reviewbot_github_rate_limit_remaining", "GitHub API requests left in the current window (last seen)",
            registry=self.registry, multiprocess_mode="mostrecent",
        )

    def watch_queue(self, depth: Callable[[], tuple[int, int]]) -> None:
        """Report `depth() -> (ready, scheduled)` as reviewbot_queue_depth at each scrape."""
        self._queue_depth = depth

    def delivery(self, event: str, outcome: str, count: int = 1) -> None:
        self.deliveries.labels(event, outcome).inc(count)

    def batch(self, size: int, seconds: float) -> None:
        self.batch_size.observe(size)
        self.batch_seconds.observe(seconds)

    def job(self, outcome: str, seconds: float) -> None:
        self.jobs.labels(outcome).inc()
        self.review_seconds.labels(outcome).observe(seconds)

    def tokens(self, prompt: int, completion: int, cached: int) -> None:
        for kind, count in zip(TOKEN_KINDS, (prompt, completion, cached), strict=True):
            if count:
                self.llm_tokens.labels(kind).inc(count)

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.exposed()), CONTENT_TYPE_LATEST

    def exposed(self) -> CollectorRegistry:
        """What a scrape sees: this process's (or all processes') metrics plus the queue depth."""
        if self._exposed is None:
            registry = CollectorRegistry()
            if self.multiprocess_dir:
                from prometheus_client.multiprocess import MultiProcessCollector

                MultiProcessCollector(registry, path=self.multiprocess_dir)
            else:
                registry.register(_Forward(self.registry))
            registry.register(_QueueDepth(lambda: self._queue_depth))
            self._exposed = registry
        return self._exposed


class _Forward:
    """Collector that yields another registry's metrics (so a scrape can add its own)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterable[Any]:
        return self._registry.collect()


class _QueueDepth:
    def __init__(self, source: Callable[[], Callable[[], tuple[int, int]] | None]) -> None:
        self._source = source

    def collect(self) -> Iterator[GaugeMetricFamily]:
        depth = self._source()
        if depth is None:
            return
        family = GaugeMetricFamily("reviewbot_queue_depth", "Jobs in the queue, by state", labels=["state"])
        try:
            ready, scheduled = depth()
        except Exception:  # noqa: BLE001 - an unreachable queue shows as a missing sample, /readyz says why
            return
        family.add_metric(["ready"], ready)
        family.add_metric(["scheduled"], scheduled)
        yield family
