"""The durable job queue between the webhook server and the workers (Huey).

open_queue(settings): SqliteHuey in the data directory by default, RedisHuey
when REVIEWBOT_REDIS_URL is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewbot.taskqueue.jobqueue import (
    DEFAULT_POLICY,
    QUEUE_NAME,
    JobQueue,
    RetryPolicy,
    Runner,
)

if TYPE_CHECKING:
    from reviewbot.settings import AppSettings

__all__ = ["DEFAULT_POLICY", "JobQueue", "RetryPolicy", "Runner", "open_queue", "redis_queue", "sqlite_queue"]

REDIS_SOCKET_TIMEOUT = 10.0  # above Huey's 1 s blocking read


def open_queue(settings: AppSettings) -> JobQueue:
    policy = RetryPolicy(retries=settings.job_retries, delay=settings.job_retry_delay)
    if settings.redis_url:
        return redis_queue(settings.redis_url, policy)
    return sqlite_queue(settings.queue_path, policy)


def sqlite_queue(path: Path, policy: RetryPolicy = DEFAULT_POLICY) -> JobQueue:
    from huey import SqliteHuey

    from reviewbot.store.files import private_file
    from reviewbot.taskqueue.sqlite import WalNormalStorage

    private_file(path)  # 0600 in a 0700 directory; SQLite gives -wal and -shm the same mode
    huey = SqliteHuey(QUEUE_NAME, filename=str(path), timeout=30, results=False, storage_class=WalNormalStorage)
    return JobQueue(huey, policy)


def redis_queue(url: str, policy: RetryPolicy = DEFAULT_POLICY) -> JobQueue:
    from huey import RedisHuey
    from redis import ConnectionPool

    from reviewbot.taskqueue.redis_storage import BatchRedisStorage

    pool = ConnectionPool.from_url(
        url, socket_connect_timeout=5.0, socket_timeout=REDIS_SOCKET_TIMEOUT, health_check_interval=30
    )
    huey = RedisHuey(QUEUE_NAME, connection_pool=pool, results=False, storage_class=BatchRedisStorage)
    return JobQueue(huey, policy)
