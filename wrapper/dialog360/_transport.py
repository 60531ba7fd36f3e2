"""httpx transports that apply the retry policy and turn failures into dialog360 errors.

One place for every request, generated API calls and media downloads alike: the generated
`AuthenticatedClient` is built with one of these as its transport.
"""

from __future__ import annotations

import logging
import time

import httpx

from ._constants import MAX_ERROR_BODY_BYTES
from ._errors import (
    APIConnectionError,
    APITimeoutError,
    error_for_response,
)
from ._retry import (
    RetryPolicy,
    delay_after_error,
    delay_after_status,
    parse_retry_after,
    sleep_enabled,
)

logger = logging.getLogger("dialog360")


def loggable_url(url: httpx.URL) -> str:
    """The path with query values hidden: a media url's `hash` is a credential for 5 minutes."""
    if not url.query:
        return url.path
    names = [name for name, _ in url.params.multi_items()]
    return url.path + "?" + "&".join(f"{name}=…" for name in names)


class _Policy:
    """What both transports decide: key guard, retry or raise, logging."""

    def __init__(self, policy: RetryPolicy, base_url: httpx.URL, key_header: str):
        self.policy = policy
        self.origin = (base_url.scheme, base_url.host, base_url.port)
        self.key_header = key_header

    def guard_key(self, request: httpx.Request) -> None:
        # The key goes to the base URL's origin only, whatever url the caller built.
        if (request.url.scheme, request.url.host, request.url.port) != self.origin:
            request.headers.pop(self.key_header, None)

    def on_error(self, request: httpx.Request, error: Exception, retry_number: int) -> float:
        """The wait before the next attempt; raises the dialog360 error when giving up."""
        delay = delay_after_error(self.policy, request.method, error, retry_number)
        what = f"{request.method} {loggable_url(request.url)}"
        if delay is None:
            kind = (
                APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
            )
            detail = str(error) or type(error).__name__
            raise kind(f"{what} failed: {detail}") from error
        self._log_retry(what, type(error).__name__, delay, retry_number)
        return delay

    def on_status(
        self, request: httpx.Request, response: httpx.Response, body: bytes, retry_number: int
    ) -> float:
        """The wait before retrying an error status; raises the APIError when giving up."""
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        delay = delay_after_status(
            self.policy, request.method, response.status_code, retry_after, retry_number
        )
        if delay is None:
            raise error_for_response(response, body, retry_after=retry_after)
        what = f"{request.method} {loggable_url(request.url)}"
        self._log_retry(what, f"HTTP {response.status_code}", delay, retry_number)
        return delay

    def log_response(self, request: httpx.Request, status: int, started: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):  # every request passes here: build nothing unasked
            elapsed = time.monotonic() - started
            what = f"{request.method} {loggable_url(request.url)}"
            logger.debug("%s -> %d (%.3f s)", what, status, elapsed)

    def _log_retry(self, what: str, cause: str, delay: float, retry_number: int) -> None:
        logger.debug(
            "retry %d/%d of %s in %.2f s after %s",
            retry_number + 1,
            self.policy.max_retries,
            what,
            delay,
            cause,
        )


def _collect(response: httpx.Response) -> bytes:
    # Error bodies are read for their message; a gateway's HTML page need not be read whole.
    body = bytearray()
    assert isinstance(response.stream, httpx.SyncByteStream)
    for chunk in response.stream:
        body += chunk
        if len(body) >= MAX_ERROR_BODY_BYTES:
            break
    return bytes(body[:MAX_ERROR_BODY_BYTES])


async def async_sleep(seconds: float) -> None:
    """asyncio.sleep, imported on first use: `import dialog360` stays free of asyncio."""
    import asyncio

    await asyncio.sleep(seconds)


class RetryTransport(httpx.BaseTransport):
    """Sync transport: retries per the policy, raises dialog360 errors for failures."""

    def __init__(
        self, policy: RetryPolicy, base_url: httpx.URL, key_header: str, inner: httpx.BaseTransport
    ):
        self._decide = _Policy(policy, base_url, key_header)
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._decide.guard_key(request)
        retry_number = 0
        while True:
            started = time.monotonic()
            try:
                response = self._inner.handle_request(request)
                self._decide.log_response(request, response.status_code, started)
                if response.status_code < 400:
                    return response
                response.request = request
                try:
                    body = _collect(response)
                finally:
                    response.close()
                delay = self._decide.on_status(request, response, body, retry_number)
            except httpx.TransportError as error:
                delay = self._decide.on_error(request, error, retry_number)
            if sleep_enabled():
                time.sleep(delay)
            retry_number += 1

    def close(self) -> None:
        self._inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Async twin of RetryTransport, with the same decisions."""

    def __init__(
        self,
        policy: RetryPolicy,
        base_url: httpx.URL,
        key_header: str,
        inner: httpx.AsyncBaseTransport,
    ):
        self._decide = _Policy(policy, base_url, key_header)
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._decide.guard_key(request)
        retry_number = 0
        while True:
            started = time.monotonic()
            try:
                response = await self._inner.handle_async_request(request)
                self._decide.log_response(request, response.status_code, started)
                if response.status_code < 400:
                    return response
                response.request = request
                try:
                    body = await _acollect(response)
                finally:
                    await response.aclose()
                delay = self._decide.on_status(request, response, body, retry_number)
            except httpx.TransportError as error:
                delay = self._decide.on_error(request, error, retry_number)
            if sleep_enabled():
                await async_sleep(delay)
            retry_number += 1

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _acollect(response: httpx.Response) -> bytes:
    body = bytearray()
    assert isinstance(response.stream, httpx.AsyncByteStream)
    async for chunk in response.stream:
        body += chunk
        if len(body) >= MAX_ERROR_BODY_BYTES:
            break
    return bytes(body[:MAX_ERROR_BODY_BYTES])
