"""The group writer: what waits together is written together, and every waiter gets its own outcome."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from reviewbot.server.batching import GroupWriter


class Gate:
    """A write function that holds its first batch until released, recording every batch."""

    def __init__(self, fail: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.entered, self.release, self.fail = threading.Event(), threading.Event(), fail

    def __call__(self, batch: Sequence[int]) -> list[str]:
        self.batches.append(list(batch))
        self.entered.set()
        self.release.wait(10)
        if self.fail:
            raise OSError("disk full")
        return [f"wrote {item}" for item in batch]


def test_items_that_wait_together_are_written_in_one_batch() -> None:
    gate = Gate()
    writer = GroupWriter(gate)
    first = writer.submit(0)
    assert gate.entered.wait(10)
    rest = [writer.submit(item) for item in (1, 2, 3)]  # the writer is busy with the first batch
    gate.release.set()
    assert [future.result(10) for future in (first, *rest)] == ["wrote 0", "wrote 1", "wrote 2", "wrote 3"]
    assert gate.batches == [[0], [1, 2, 3]]


def test_a_batch_is_capped() -> None:
    gate = Gate()
    writer = GroupWriter(gate, max_batch=2)
    waiting = [writer.submit(0)]
    assert gate.entered.wait(10)
    waiting += [writer.submit(item) for item in (1, 2, 3)]
    gate.release.set()
    assert [future.result(10) for future in waiting] == [f"wrote {n}" for n in range(4)]
    assert gate.batches == [[0], [1, 2], [3]]


def test_event_loop_waiters_get_their_results_on_their_loop() -> None:
    writer = GroupWriter(lambda batch: [item * 10 for item in batch])

    async def main() -> list[int]:
        return list(await asyncio.gather(*(writer.written(item) for item in range(20))))

    assert asyncio.run(main()) == [item * 10 for item in range(20)]


def test_a_failed_write_reaches_every_waiter_and_the_writer_goes_on() -> None:
    gate = Gate(fail=True)
    writer = GroupWriter(gate)
    gate.release.set()

    async def main() -> None:
        with pytest.raises(OSError, match="disk full"):
            await writer.written(1)

    asyncio.run(main())
    with pytest.raises(OSError, match="disk full"):
        writer.submit(2).result(10)
    assert gate.batches == [[1], [2]]


def test_the_after_step_runs_once_the_waiters_have_their_answers_and_idle_waits_for_it() -> None:
    answered_first, after_may_finish = threading.Event(), threading.Event()
    seen: list[tuple[list[int], list[object]]] = []

    def after(batch: Sequence[int], outcomes: Sequence[object]) -> None:
        answered_first.set()
        after_may_finish.wait(10)
        seen.append((list(batch), list(outcomes)))

    writer = GroupWriter(lambda batch: [f"wrote {item}" for item in batch], after)
    future = writer.submit(7)
    assert future.result(10) == "wrote 7"  # answered while the after step has not finished
    assert answered_first.wait(10) and seen == []
    assert not writer.wait_idle(0.05)  # the after step is still running
    after_may_finish.set()
    assert writer.wait_idle(10) and seen == [([7], ["wrote 7"])]


def test_a_failing_after_step_is_logged_and_the_writer_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    def after(_batch: Sequence[int], _outcomes: Sequence[object]) -> None:
        raise ConnectionError("queue down")

    writer = GroupWriter(lambda batch: [f"wrote {item}" for item in batch], after)
    assert writer.submit(1).result(10) == "wrote 1" and writer.wait_idle(10)
    assert writer.submit(2).result(10) == "wrote 2" and writer.wait_idle(10)
    assert "the step after a group commit failed" in caplog.text
