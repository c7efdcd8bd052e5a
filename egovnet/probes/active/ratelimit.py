"""A token bucket: the one place that paces every packet an active check sends.

Safety rule of the research note (§2.3): rate caps are enforced in code, not left to flags. The
settings cap the rate at 100 packets/s (pydantic validation), and every check draws from one bucket
per run, so running several checks at once does not multiply the rate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    """``rate`` packets per second with a burst of ``burst``."""

    rate: float
    burst: float = 1.0
    sent: int = 0
    _tokens: float = field(default=1.0, repr=False)
    _last: float = field(default_factory=time.monotonic, repr=False)

    def __post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError("the rate must be positive")
        self._tokens = self.burst

    def delay(self) -> float:
        """Take one token; return how long the caller must wait before sending."""
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        self._tokens -= 1.0
        self.sent += 1
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def wait(self) -> None:
        """Block until one packet may be sent."""
        pause = self.delay()
        if pause > 0:
            time.sleep(pause)
