"""Counter deltas and rates that are never negative and never absurd (pure functions, no I/O).

The rules (research note snmp.md section 5.2, and the bugs they avoid: monitoring-plugins#2257,
nagios-plugins#410, LibreNMS#1426):

* **Time base**: the agent's own clock, sysUpTime, not the poller's. A slow response then does not
  inflate a rate; the wall clock only cross-checks the agent clock.
* **Agent restart**: sysUpTime went backwards (and a 497-day TimeTicks wrap does not explain it), or
  the agent clock advanced far less than the wall clock (it restarted in between and has already
  counted past the old value). The counters restarted too: the pair is discarded, no rate this cycle.
* **Counter wrap**: a Counter32 that went backwards on a running agent wrapped once: add 2^32. A
  Counter64 does not wrap in practice (2^64 octets is 46 years at 100 Gb/s), so a Counter64 that went
  backwards was reset (a line card, ``reset counters``): discard.
* **Ceiling**: a rate above what the interface can carry (ifHighSpeed), e.g. a Counter32 reset read as
  a wrap, is discarded rather than exported as a spike.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

TIMETICKS_MODULUS = 2**32
#: Agent and wall clock may disagree by request latency and scheduling: this much, or this share.
CLOCK_SLACK_S = 2.0
CLOCK_SLACK_SHARE = 0.5
#: A measured rate may exceed the nominal ceiling by this factor (preamble, clock drift) and no more.
CEILING_TOLERANCE = 1.1


class Discard(StrEnum):
    """Why no rate was produced (exported as a counter so discards are visible)."""

    FIRST = "first_sample"
    RESTART = "agent_restart"
    RESET = "counter_reset"
    CEILING = "above_ceiling"
    INTERVAL = "no_interval"


@dataclass(frozen=True)
class Clock:
    """When a sample was taken: the agent's sysUpTime (hundredths of a second) and the poller's time."""

    uptime_ticks: int
    wall: float


@dataclass(frozen=True)
class Interval:
    """The agent-clock seconds between two samples, or why there is no usable interval."""

    seconds: float
    discard: Discard | None = None


def interval(previous: Clock, current: Clock) -> Interval:
    """Seconds elapsed on the agent between two samples, or a discard reason."""
    wall = current.wall - previous.wall
    if wall <= 0:
        return Interval(0.0, Discard.INTERVAL)
    ticks = current.uptime_ticks - previous.uptime_ticks
    if ticks < 0:
        wrapped = (ticks + TIMETICKS_MODULUS) / 100.0
        if abs(wrapped - wall) > max(CLOCK_SLACK_S, CLOCK_SLACK_SHARE * wall):
            return Interval(0.0, Discard.RESTART)
        ticks += TIMETICKS_MODULUS
    seconds = ticks / 100.0
    if abs(seconds - wall) > max(CLOCK_SLACK_S, CLOCK_SLACK_SHARE * wall):
        return Interval(0.0, Discard.RESTART)
    if seconds <= 0:
        return Interval(0.0, Discard.INTERVAL)
    return Interval(seconds)


def delta(previous: int, current: int, bits: int) -> int | None:
    """Increase of a counter of width ``bits``; ``None`` when it was reset rather than wrapped."""
    if current >= previous:
        return current - previous
    if bits == 32:
        return current + 2**32 - previous
    return None


@dataclass(frozen=True)
class Rate:
    """A per-second rate, or why there is none."""

    value: float | None
    discard: Discard | None = None


def rate(
    previous: int | None,
    current: int,
    bits: int,
    elapsed: Interval,
    scale: float = 1.0,
    ceiling: float | None = None,
) -> Rate:
    """``(current - previous) / seconds * scale``, checked against the ceiling (same unit as the rate).

    Arguments:
        previous: the counter at the previous sample (``None`` on the first sample).
        current: the counter now.
        bits: 32 or 64, the counter's width.
        elapsed: from :func:`interval`.
        scale: unit factor (8 for octets -> bits).
        ceiling: the highest plausible rate, e.g. the interface speed; ``None`` when unknown.
    """
    if previous is None:
        return Rate(None, Discard.FIRST)
    if elapsed.discard is not None:
        return Rate(None, elapsed.discard)
    increase = delta(previous, current, bits)
    if increase is None:
        return Rate(None, Discard.RESET)
    value = increase / elapsed.seconds * scale
    if ceiling is not None and ceiling > 0 and value > ceiling * CEILING_TOLERANCE:
        return Rate(None, Discard.CEILING)
    return Rate(value)
