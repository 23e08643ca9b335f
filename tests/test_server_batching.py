"""The group writer: what waits together is written together, and every waiter gets its own outcome."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from reviewbot.server.batching import GroupWriter, LoopWriter


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


# --- LoopWriter: the same group commit for a store the event loop awaits (PostgreSQL) ---


class LoopGate:
    """An async write function that holds its first batch until released, recording every batch."""

    def __init__(self, fail: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.fail = fail
        self.entered: asyncio.Event | None = None
        self.release: asyncio.Event | None = None

    async def __call__(self, batch: Sequence[int]) -> list[str]:
        assert self.entered is not None and self.release is not None
        self.batches.append(list(batch))
        self.entered.set()
        await self.release.wait()
        if self.fail:
            raise OSError("disk full")
        return [f"wrote {item}" for item in batch]

    def on_this_loop(self) -> None:
        self.entered, self.release = asyncio.Event(), asyncio.Event()


def test_loop_writer_writes_what_waits_together_in_one_batch_and_caps_it() -> None:
    gate = LoopGate()
    writer = LoopWriter(gate, max_batch=2)

    async def main() -> list[str]:
        gate.on_this_loop()
        first = writer.written(0)
        await gate.entered.wait()  # type: ignore[union-attr]
        rest = [writer.written(item) for item in (1, 2, 3)]  # handed over while the first batch is written
        gate.release.set()  # type: ignore[union-attr]
        return list(await asyncio.gather(first, *rest))

    assert asyncio.run(main()) == [f"wrote {n}" for n in range(4)]
    assert gate.batches == [[0], [1, 2], [3]]


def test_loop_writer_needs_no_thread_to_answer() -> None:
    threads: set[str] = set()

    async def write(batch: Sequence[int]) -> list[int]:
        threads.add(threading.current_thread().name)
        await asyncio.sleep(0)
        return [item * 10 for item in batch]

    writer = LoopWriter(write)

    async def main() -> list[int]:
        return list(await asyncio.gather(*(writer.written(item) for item in range(20))))

    assert asyncio.run(main()) == [item * 10 for item in range(20)]
    assert threads == {threading.main_thread().name}


def test_loop_writer_gives_a_failed_write_to_every_waiter_and_goes_on() -> None:
    gate = LoopGate(fail=True)
    writer = LoopWriter(gate)

    async def main() -> None:
        gate.on_this_loop()
        gate.release.set()  # type: ignore[union-attr]
        for item in (1, 2):
            with pytest.raises(OSError, match="disk full"):
                await writer.written(item)

    asyncio.run(main())
    assert gate.batches == [[1], [2]] and writer.wait_idle(1)


def test_loop_writer_runs_the_after_step_on_a_thread_once_answered_and_idle_waits_for_it() -> None:
    answered_first, after_may_finish = threading.Event(), threading.Event()
    seen: list[tuple[list[int], list[object], str]] = []

    def after(batch: Sequence[int], outcomes: Sequence[object]) -> None:
        answered_first.set()
        after_may_finish.wait(10)
        seen.append((list(batch), list(outcomes), threading.current_thread().name))

    async def write(batch: Sequence[int]) -> list[str]:
        return [f"wrote {item}" for item in batch]

    writer = LoopWriter(write, after, after_gather=0.01)

    async def main() -> str:
        answer = await writer.written(7)
        await asyncio.to_thread(answered_first.wait, 10)  # the loop lives on until the after step began
        return answer

    assert asyncio.run(main()) == "wrote 7" and seen == []  # answered before the after step finished
    assert not writer.wait_idle(0.05)
    after_may_finish.set()
    assert writer.wait_idle(10)
    assert [(batch, outcomes) for batch, outcomes, _ in seen] == [([7], ["wrote 7"])]
    assert seen[0][2] != threading.main_thread().name


def test_loop_writer_gathers_the_batches_of_a_short_while_for_one_after_step() -> None:
    seen: list[list[int]] = []

    async def write(batch: Sequence[int]) -> list[int]:
        return list(batch)

    writer = LoopWriter(write, lambda batch, _outcomes: seen.append(list(batch)), after_gather=0.2)

    async def main() -> None:
        for item in range(3):  # three batches of one, each answered at once
            assert await writer.written(item) == item
        await asyncio.to_thread(writer.wait_idle, 10)
        assert await writer.written(3) == 3
        await asyncio.sleep(0.3)  # the gathering time passes on the loop

    asyncio.run(main())
    assert seen == [[0, 1, 2], [3]]


def test_waiting_for_the_loop_writer_hands_over_what_a_stopped_loop_had_gathered() -> None:
    seen: list[list[int]] = []

    async def write(batch: Sequence[int]) -> list[int]:
        return list(batch)

    writer = LoopWriter(write, lambda batch, _outcomes: seen.append(list(batch)), after_gather=60)

    async def main() -> int:
        return await writer.written(1)

    assert asyncio.run(main()) == 1 and seen == []  # the loop stopped long before its timer
    assert writer.wait_idle(10) and seen == [[1]]


def test_loop_writer_serves_a_second_event_loop_after_the_first_stopped() -> None:
    async def write(batch: Sequence[int]) -> list[int]:
        return [item + 1 for item in batch]

    writer = LoopWriter(write)

    async def main() -> int:
        return await asyncio.wait_for(writer.written(1), 5)

    for _ in range(2):  # e.g. a server started twice in one process (tests)
        assert asyncio.run(main()) == 2
