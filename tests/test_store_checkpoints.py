"""WAL checkpoints of the server's SQLite store run on their own thread, never inside a commit."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from reviewbot.jobs import Job
from reviewbot.store import create_engine_for, open_store
from reviewbot.store.checkpoints import Checkpointer
from reviewbot.store.jobs import JobStore

PAGE = 4096
AUTO_CHECKPOINT_PAGES = 1000  # SQLite's default: a commit that takes the log past this checkpoints


def big_job(n: int) -> Job:
    payload = {"number": n, "installation": {"id": 1}, "repository": {"full_name": "octo/repo"},
               "pull_request": {"number": n, "head": {"sha": f"{n:040x}"}, "body": "x" * 20_000}}
    return Job(f"d-{n}", "pull_request", "synchronize", payload)


def checkpointers() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name == "reviewbot-wal-checkpoints"}


def test_commits_of_the_servers_store_never_checkpoint_and_the_thread_does(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'reviewbot.db'}"
    before = checkpointers()
    store = open_store(url, background_checkpoints=True)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("pragma wal_autocheckpoint")).scalar() == 0
            assert conn.execute(text("pragma journal_size_limit")).scalar() == 64 * 2**20  # the log shrinks back
        started = checkpointers() - before
        assert len(started) == 1
    finally:
        store.close()
    assert not any(thread.is_alive() for thread in started)


def test_without_automatic_checkpoints_the_log_grows_until_the_checkpointer_empties_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'reviewbot.db'}"
    open_store(url).close()  # migrated; then an engine without a thread: the test checkpoints by hand
    engine = create_engine_for(url, background_checkpoints=True)
    jobs = JobStore(engine)
    for n in range(300):  # about 6 MB of payloads: well past the 1,000 pages of an automatic checkpoint
        jobs.accept(big_job(n))
    wal = tmp_path / "reviewbot.db-wal"
    assert wal.stat().st_size > AUTO_CHECKPOINT_PAGES * PAGE  # no commit checkpointed on its own
    Checkpointer(engine).stop()  # a last checkpoint, truncating the log
    assert wal.stat().st_size == 0
    assert len(JobStore(engine).waiting()) == 300  # everything is in the database file
    engine.dispose()


def test_the_default_store_still_checkpoints_in_its_commits(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'reviewbot.db'}"
    store = open_store(url)
    jobs = JobStore(store.engine)
    for n in range(300):
        jobs.accept(big_job(n))
    wal = tmp_path / "reviewbot.db-wal"
    assert wal.stat().st_size < 2 * AUTO_CHECKPOINT_PAGES * PAGE  # reused after each automatic checkpoint
    store.close()
