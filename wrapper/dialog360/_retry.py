"""Retry decisions as pure functions; the sync and async transports share them (DESIGN §5)."""

from __future__ import annotations

import datetime
import email.utils
import random
import time

import attrs
import httpx

from . import _constants as C

# Requests that may be sent twice without harm. POST /media is not one: a retried upload could
# store the file twice, so it is retried only when it surely never reached the server.
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

_sleep_enabled = True


def set_retry_sleep(enabled: bool) -> None:
    """Turn the waiting between retries off (for tests) or back on; retries still happen."""
    global _sleep_enabled
    _sleep_enabled = enabled


def sleep_enabled() -> bool:
    """Whether transports really wait between retries."""
    return _sleep_enabled


@attrs.frozen
class RetryPolicy:
    """How often and how patiently to retry; the defaults are DESIGN §5's numbers."""

    max_retries: int = C.DEFAULT_MAX_RETRIES
    backoff_initial: float = C.RETRY_BACKOFF_INITIAL
    backoff_max: float = C.RETRY_BACKOFF_MAX
    max_retry_after: float = C.RETRY_AFTER_MAX

    def __attrs_post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if self.backoff_initial < 0 or self.backoff_max < 0:
            raise ValueError("backoff times must be 0 or more")

    def backoff(self, retry_number: int) -> float:
        """Seconds to wait before retry `retry_number` (0-based), with jitter."""
        base = min(self.backoff_initial * 2.0**retry_number, self.backoff_max)
        return base * random.uniform(C.RETRY_JITTER_MIN, 1.0)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP-date); None if absent/bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # The asctime form carries no zone; every HTTP-date is GMT (RFC 9110 §5.6.7).
        when = when.replace(tzinfo=datetime.UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


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
