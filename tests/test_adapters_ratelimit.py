"""Pacing and rate-limit backoff, with a fake clock: no test waits."""

from __future__ import annotations

import itertools
import threading

import pytest
from fakegithub import SECONDARY_MESSAGE, FakeClock

from reviewbot.adapters.github.host import RateLimited
from reviewbot.adapters.github.ratelimit import (
    MUTATION_GAP,
    SECONDARY_WAIT,
    Pacer,
    rate_limit_wait,
    retrying,
    wait_before_call,
)

NOW = 1_700_000_000.0


def test_retry_after_is_honoured_first():
    headers = {"Retry-After": "7", "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 500)}
    assert rate_limit_wait(403, headers, SECONDARY_MESSAGE, NOW) == 7


def test_spent_quota_waits_until_the_reset_time():
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 30)}
    assert rate_limit_wait(403, headers, "API rate limit exceeded for installation ID 1.", NOW) == 31


def test_secondary_limit_without_headers_waits_a_minute_then_longer():
    assert rate_limit_wait(403, {}, SECONDARY_MESSAGE, NOW) == SECONDARY_WAIT
    assert rate_limit_wait(403, {}, SECONDARY_MESSAGE, NOW, attempt=2) == SECONDARY_WAIT * 4


def test_429_is_a_rate_limit_too():
    assert rate_limit_wait(429, {"retry-after": "3"}, "", NOW) == 3


@pytest.mark.parametrize(
    ("status", "message"), [(403, "Resource not accessible by integration"), (404, "Not Found"), (422, "x")]
)
def test_other_refusals_are_not_retried(status, message):
    assert rate_limit_wait(status, {}, message, NOW) is None


def test_calls_are_held_only_while_the_quota_is_spent():
    assert wait_before_call(0, NOW + 10, NOW) == 11
    assert wait_before_call(0, NOW - 1, NOW) == 0
    assert wait_before_call(5, NOW + 10, NOW) == 0
    assert wait_before_call(-1, 0, NOW) == 0  # nothing known yet


class Limited(Exception):
    pass


def test_retrying_sleeps_the_named_wait_and_tries_again():
    clock, answers = FakeClock(), [Limited(), Limited(), "done"]

    def call():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert (
        retrying(call, lambda e, n: 5.0 * (n + 1) if isinstance(e, Limited) else None, clock.sleep) == "done"
    )
    assert clock.slept == [5.0, 10.0]


def test_retrying_does_not_swallow_other_errors():
    with pytest.raises(ValueError):
        retrying(lambda: (_ for _ in ()).throw(ValueError("x")), lambda e, n: None, FakeClock().sleep)


def test_a_wait_longer_than_allowed_fails_the_job_for_a_later_retry():
    clock = FakeClock()
    with pytest.raises(RateLimited, match="retry in 3600 s"):
        retrying(lambda: (_ for _ in ()).throw(Limited()), lambda e, n: 3600.0, clock.sleep, max_wait=900)
    assert clock.slept == []


def test_retrying_gives_up_after_the_last_attempt():
    clock = FakeClock()
    with pytest.raises(RateLimited):
        retrying(lambda: (_ for _ in ()).throw(Limited()), lambda e, n: 1.0, clock.sleep, attempts=3)
    assert clock.slept == [1.0, 1.0]


def test_pacer_spaces_mutations_at_least_a_second_apart():
    clock = FakeClock()
    pacer, starts = Pacer(clock, clock.sleep), []
    for _ in range(3):
        with pacer.turn():
            starts.append(clock())
            clock.now += 0.25  # the call itself takes a while
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap >= MUTATION_GAP for gap in gaps)


def test_pacer_does_not_wait_when_the_last_mutation_is_long_past():
    clock = FakeClock()
    pacer = Pacer(clock, clock.sleep)
    with pacer.turn():
        pass
    clock.now += 5
    with pacer.turn():
        pass
    assert clock.slept == []


def test_pacer_lets_one_mutation_run_at_a_time():
    clock = FakeClock()
    pacer, running, overlap = Pacer(clock, clock.sleep), [], []

    def mutate():
        with pacer.turn():
            running.append(1)
            overlap.append(len(running))
            threading.Event().wait(0.01)
            running.pop()

    threads = [threading.Thread(target=mutate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlap == [1, 1, 1, 1]
