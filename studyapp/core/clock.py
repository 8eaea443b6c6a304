"""The clock: study code takes ``now`` (an aware UTC datetime) from an injected :data:`Clock`, so
tests can simulate whole months; :func:`utc_now` is the real one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


__all__ = ["Clock", "utc_now"]
