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
