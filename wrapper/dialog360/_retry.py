"""Retry decisions as pure functions; the sync and async transports share them."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import email.utils
import math
import random
import time
from collections.abc import Iterator

import attrs
import httpx

from . import _constants as C

# Requests that may be sent twice without harm. POST /media is not one: a retried upload could
# store the file twice, so it is retried only when it surely never reached the server.
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

_sleep_enabled = True
# A scoped choice wins over the process-wide one; a context variable, so it follows its own
# thread and asyncio task (and what they copy the context into) and leaks to no other.
_scoped_sleep: contextvars.ContextVar[bool | None] = contextvars.ContextVar(
    "dialog360_retry_sleep", default=None
)


def set_retry_sleep(enabled: bool) -> None:
    """Turn the waiting between retries off (False) or back on (True) for the whole process.

    Retries still happen, only without the backoff or Retry-After wait: for test suites. Inside
    a `retry_sleep_disabled()` block that block wins. Prefer the block, which ends by itself.
    """
    global _sleep_enabled
    _sleep_enabled = enabled


@contextlib.contextmanager
def retry_sleep_disabled() -> Iterator[None]:
    """`with dialog360.retry_sleep_disabled():` retries without waiting, inside the block only.

    It applies to the current thread or asyncio task (and tasks started from it); threads you
    start inside the block do not inherit it unless you run them in a copied context
    (`contextvars.copy_context().run`, `asyncio.to_thread`).
    """
    token = _scoped_sleep.set(False)
    try:
        yield
    finally:
        _scoped_sleep.reset(token)


def sleep_enabled() -> bool:
    """Whether transports really wait between retries, here and now."""
    scoped = _scoped_sleep.get()
    return _sleep_enabled if scoped is None else scoped


@attrs.frozen
class RetryPolicy:
    """How often and how patiently to retry; the defaults are in `_constants`."""

    max_retries: int = C.DEFAULT_MAX_RETRIES
    backoff_initial: float = C.RETRY_BACKOFF_INITIAL
    backoff_max: float = C.RETRY_BACKOFF_MAX
    max_retry_after: float = C.RETRY_AFTER_MAX

    def __attrs_post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise ValueError(f"max_retries must be an int, not {type(self.max_retries).__name__}")
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        for name in ("backoff_initial", "backoff_max"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} must be a number of seconds, not {type(value).__name__}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number of seconds, 0 or more")

    def backoff(self, retry_number: int) -> float:
        """Seconds to wait before retry `retry_number` (0-based), with jitter."""
        base = min(self.backoff_initial * 2.0**retry_number, self.backoff_max)
        return base * random.uniform(C.RETRY_JITTER_MIN, 1.0)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP-date).

    None when absent or unusable: garbage, a negative number, more digits than any sane delay,
    a date no clock can hold. A server that cannot say when is treated as one that did not.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value) if len(value) <= C.RETRY_AFTER_MAX_DIGITS else None
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            # The asctime form carries no zone; every HTTP-date is GMT.
            when = when.replace(tzinfo=datetime.UTC)
        seconds = when.timestamp() - (time.time() if now is None else now)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


def delay_after_status(
    policy: RetryPolicy, method: str, status: int, retry_after: float | None, retry_number: int
) -> float | None:
    """Seconds to wait before retrying a response with `status`, or None to give up."""
    if retry_number >= policy.max_retries:
        return None
    if retry_after is not None and retry_after > policy.max_retry_after:
        return None
    # 429, and any status of a non-idempotent request: only when the server says when.
    if method not in _IDEMPOTENT_METHODS:
        return retry_after if status in C.UPLOAD_RETRYABLE_STATUSES else None
    if status == 429:
        return retry_after
    if status not in C.RETRYABLE_STATUSES:
        return None
    return retry_after if retry_after is not None else policy.backoff(retry_number)


def delay_after_error(
    policy: RetryPolicy, method: str, error: Exception, retry_number: int
) -> float | None:
    """Seconds to wait before retrying after a transport error, or None to give up."""
    if retry_number >= policy.max_retries:
        return None
    never_sent = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    if method not in _IDEMPOTENT_METHODS and not never_sent:
        return None
    retryable = isinstance(error, httpx.TransportError) and not isinstance(
        error, httpx.UnsupportedProtocol | httpx.ProxyError | httpx.LocalProtocolError
    )
    return policy.backoff(retry_number) if retryable else None
