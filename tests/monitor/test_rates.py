"""Counter wrap and agent restart: rates are never negative and never absurd (pure functions)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovnet.monitor.rates import CEILING_TOLERANCE, Clock, Discard, Interval, delta, interval, rate

TICKS = 2**32


def test_interval_uses_the_agent_clock() -> None:
    elapsed = interval(Clock(100_000, 1000.0), Clock(106_000, 1060.4))  # wall 60.4 s, agent 60 s
    assert elapsed == Interval(60.0)


def test_timeticks_wrap_after_497_days_is_not_a_restart() -> None:
    elapsed = interval(Clock(TICKS - 3_000, 0.0), Clock(3_000, 60.0))
    assert elapsed == Interval(60.0)


def test_uptime_going_back_is_a_restart() -> None:
    assert interval(Clock(500_000, 0.0), Clock(2_000, 60.0)).discard is Discard.RESTART


def test_a_restart_hidden_by_a_long_gap_is_caught_by_the_wall_clock() -> None:
    # previous poll at uptime 10 min; an hour later the agent says 30 min: it restarted in between
    assert interval(Clock(60_000, 0.0), Clock(180_000, 3600.0)).discard is Discard.RESTART


def test_no_interval_without_time_passing() -> None:
    assert interval(Clock(100, 5.0), Clock(100, 5.0)).discard is Discard.INTERVAL


def test_counter32_wraps_counter64_resets() -> None:
    assert delta(2**32 - 10, 20, 32) == 30
    assert delta(10, 20, 64) == 10
    assert delta(2**64 - 10, 20, 64) is None


def test_rate_discards_and_ceiling() -> None:
    minute = Interval(60.0)
    assert rate(None, 5, 64, minute).discard is Discard.FIRST
    assert rate(0, 6_000, 64, minute, scale=8).value == pytest.approx(800.0)
    assert rate(0, 6_000, 64, Interval(0.0, Discard.RESTART)).discard is Discard.RESTART
    assert rate(50, 10, 64, minute).discard is Discard.RESET
    # A Counter32 reset read as a wrap looks like ~4 GB in a minute: above a 100 Mb/s ceiling.
    assert rate(3_000_000, 1_000, 32, minute, scale=8, ceiling=100e6).discard is Discard.CEILING
    assert rate(2**32 - 1_000, 1_000, 32, minute, scale=8, ceiling=100e6).value == pytest.approx(
        2000 * 8 / 60
    )


@st.composite
def counter_histories(draw: st.DrawFn) -> tuple[int, float, list[tuple[Clock, int]]]:
    """A device's samples: real traffic below the ceiling, with Counter32 wraps and agent restarts."""
    bits = draw(st.sampled_from([32, 64]))
    ceiling = draw(st.sampled_from([1e6, 1e8, 1e9]))  # octets/s the interface can carry
    samples: list[tuple[Clock, int]] = []
    wall, uptime, counter = 1000.0, draw(st.integers(0, TICKS - 1)), draw(st.integers(0, 2**bits - 1))
    for _ in range(draw(st.integers(2, 12))):
        step = draw(st.floats(0.5, 300.0))
        wall += step
        if draw(st.integers(0, 9)) == 0:  # the agent restarts: uptime and counters start again
            uptime = int(draw(st.floats(0.0, step)) * 100)
            counter = draw(st.integers(0, 1000))
        else:
            uptime = (uptime + int(step * 100)) % TICKS
            counter = (counter + int(draw(st.floats(0.0, ceiling)) * step)) % 2**bits
        samples.append((Clock(uptime, wall), counter))
    return bits, ceiling, samples


@settings(max_examples=400, deadline=None)
@given(counter_histories())
def test_no_negative_or_absurd_rate_ever(history: tuple[int, float, list[tuple[Clock, int]]]) -> None:
    bits, ceiling, samples = history
    for (before, old), (after, new) in itertools.pairwise(samples):
        result = rate(old, new, bits, interval(before, after), ceiling=ceiling)
        if result.value is not None:
            assert 0.0 <= result.value <= ceiling * CEILING_TOLERANCE


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 2**32 - 1), st.floats(1.0, 600.0))
def test_one_counter32_wrap_gives_the_true_rate(start: int, increase: int, seconds: float) -> None:
    ticks = int(seconds * 100)
    elapsed = interval(Clock(0, 0.0), Clock(ticks, ticks / 100))
    result = rate(start, (start + increase) % 2**32, 32, elapsed)
    assert result.value == pytest.approx(increase / (ticks / 100))
