"""httpx transports that apply the retry policy and turn failures into dialog360 errors.

One place for every request, generated API calls and media downloads alike: the generated
`AuthenticatedClient` is built with one of these as its transport. It also holds three rules
for every request: the API key is added here, and only for the base URL's origin; every API
answer is read within one byte limit, decoded, and handed on already read; nothing it hands
on shows the key.
"""

from __future__ import annotations

import logging
import time

import httpx

from . import _constants as C
from ._bodies import BoundedBody
from ._errors import (
    APIConnectionError,
    APIError,
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
from ._secrets import MaskedHeaders, Redactor, hide_query_values, install_log_filter

logger = logging.getLogger("dialog360")
install_log_filter()

# Headers that describe the body as it came over the wire, not the decoded body handed on.
_WIRE_BODY_HEADERS = frozenset({b"content-encoding", b"content-length", b"transfer-encoding"})


def loggable_url(url: httpx.URL) -> str:
    """The path with query values hidden: a media url's `hash` is a credential for 5 minutes."""
    return hide_query_values(url.path + ("?" + url.query.decode("ascii") if url.query else ""))


class RequestRules:
    """What both transports decide for every request: the key, bodies, retry or raise, logging."""

    def __init__(self, policy: RetryPolicy, base_url: httpx.URL, key_header: str, api_key: str):
        self.policy = policy
        self.origin = (base_url.scheme, base_url.host, base_url.port)
        self.key_header = key_header
        self._api_key = api_key
        self.redactor = Redactor(api_key)

    def outgoing(self, request: httpx.Request) -> httpx.Request:
        """The copy of `request` that goes on the wire: with the key for the base URL's origin,
        without it anywhere else. `request` itself (what callers and errors see) never holds it.
        """
        headers = MaskedHeaders(request.headers)
        if (request.url.scheme, request.url.host, request.url.port) == self.origin:
            headers[self.key_header] = self._api_key
        else:
            headers.pop(self.key_header, None)
            request.headers.pop(self.key_header, None)
        # `stream=`: the copy takes the headers above as they are, instead of building its own.
        wire = httpx.Request(
            request.method, request.url, stream=request.stream, extensions=request.extensions
        )
        wire.headers = headers
        # A body read already stays a read body on the copy: a transport that sees an unread
        # stream frames it itself (aiohttp sends an empty one chunked, which a GET must not carry).
        if _is_read(request):
            wire.read()
        return wire

    @staticmethod
    def is_media_bytes(request: httpx.Request, response: httpx.Response) -> bool:
        # The download reads these itself, raw, refusing any Content-Encoding.
        return bool(request.extensions.get(C.MEDIA_BYTES_EXTENSION)) and response.status_code < 400

    def untouched(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        response.headers = self.redactor.headers(response.headers)
        response.request = request
        return response

    def answer(
        self, request: httpx.Request, response: httpx.Response, body: BoundedBody
    ) -> httpx.Response:
        """The response handed on: the decoded body (scrubbed of the key), already read.

        A success answer over the limit or undecodable is an APIError; an error answer keeps
        its status (and so its retries) and takes its message from whatever could be read.
        """
        data = self.redactor.bytes(bytes(body.data))
        headers = response.headers
        # Identity bodies read whole keep their headers; others describe the bytes handed on.
        if "content-encoding" in headers or body.done or len(data) != len(body.data):
            headers = httpx.Headers(
                [
                    (name, value)
                    for name, value in headers.raw
                    if name.lower() not in _WIRE_BODY_HEADERS
                ]
            )
            headers["Content-Length"] = str(len(data))
        headers = self.redactor.headers(headers)
        decoded = httpx.Response(
            response.status_code,
            headers=headers,
            stream=httpx.ByteStream(data),
            request=request,
            extensions=response.extensions,
        )
        if response.status_code < 400 and body.done:
            decoded.read()
            what = f"{request.method} {loggable_url(request.url)}"
            if body.too_large:
                problem = f"the answer is larger than {C.MAX_API_BODY_BYTES} bytes"
            else:
                problem = f"the answer cannot be decoded: {body.problem}"
            raise APIError(
                f"HTTP {response.status_code} from {what}: {problem}",
                status_code=response.status_code,
                response=decoded,
            )
        return decoded

    def on_error(self, request: httpx.Request, error: Exception, retry_number: int) -> float:
        """The wait before the next attempt; raises the dialog360 error when giving up.

        Called outside any `except` block, so the error raised chains only to `error`, and not
        even to that when its text (or anything it chains to) shows the key.
        """
        delay = delay_after_error(self.policy, request.method, error, retry_number)
        what = f"{request.method} {loggable_url(request.url)}"
        if delay is None:
            error_class = (
                APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
            )
            detail = self.redactor.text(str(error) or type(error).__name__)
            if self.redactor.in_error(error):
                raise error_class(f"{what} failed: {detail}") from None
            raise error_class(f"{what} failed: {detail}") from error
        self._log_retry(what, type(error).__name__, delay, retry_number)
        return delay

    def on_status(
        self, request: httpx.Request, response: httpx.Response, body: BoundedBody, retry_number: int
    ) -> float:
        """The wait before retrying an error status; raises the APIError when giving up."""
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        delay = delay_after_status(
            self.policy, request.method, response.status_code, retry_after, retry_number
        )
        if delay is None:
            response.read()
            raise error_for_response(
                response,
                response.content,
                retry_after=retry_after,
                problem=body.problem,
                redact=self.redactor.text,
            )
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


def _read_bounded(response: httpx.Response) -> BoundedBody:
    body = BoundedBody(response.headers.get("content-encoding"))
    assert isinstance(response.stream, httpx.SyncByteStream)
    for chunk in response.stream:
        body.feed(chunk)
        if body.done:
            return body
    body.finish()
    return body


async def _aread_bounded(response: httpx.Response) -> BoundedBody:
    body = BoundedBody(response.headers.get("content-encoding"))
    assert isinstance(response.stream, httpx.AsyncByteStream)
    async for chunk in response.stream:
        body.feed(chunk)
        if body.done:
            return body
    body.finish()
    return body


async def async_sleep(seconds: float) -> None:
    """asyncio.sleep, imported on first use: `import dialog360` stays free of asyncio."""
    import asyncio

    await asyncio.sleep(seconds)


def _pause(seconds: float) -> None:
    """The wait before a retry, unless waiting is turned off (set_retry_sleep)."""
    if sleep_enabled():
        time.sleep(seconds)


async def _apause(seconds: float) -> None:
    """`_pause` for an event loop."""
    if sleep_enabled():
        await async_sleep(seconds)


class _Attempts:
    """One request on its way through the rules: what to send, and after each attempt the
    answer to hand on, the wait before the next attempt, or the error that ends it."""

    def __init__(self, rules: RequestRules, request: httpx.Request):
        self._rules = rules
        self._request = request
        self._wire = rules.outgoing(request)
        self._retry_number = 0
        self._started = 0.0

    def start(self) -> httpx.Request:
        """The request to send now (the key on it, where it belongs)."""
        self._started = time.monotonic()
        return self._wire

    def hands_on_unread(self, response: httpx.Response) -> httpx.Response | None:
        """`response` itself when it carries media bytes (the download reads those raw);
        None when its body is to be read here."""
        self._rules.log_response(self._request, response.status_code, self._started)
        if self._rules.is_media_bytes(self._request, response):
            return self._rules.untouched(self._request, response)
        return None

    def answered(self, response: httpx.Response, body: BoundedBody) -> httpx.Response | float:
        """The decoded answer to hand on, or the wait before retrying its error status;
        raises the APIError when giving up."""
        answer = self._rules.answer(self._request, response, body)
        if answer.status_code < 400:
            return answer
        return self._retried(self._rules.on_status(self._request, answer, body, self._retry_number))

    def failed(self, error: httpx.TransportError) -> float:
        """The wait before retrying after `error`; raises the dialog360 error when giving up.
        Call it outside any `except` block (see RequestRules.on_error)."""
        return self._retried(self._rules.on_error(self._request, error, self._retry_number))

    def _retried(self, delay: float) -> float:
        self._retry_number += 1
        return delay


def _read_answer(response: httpx.Response) -> BoundedBody:
    try:
        return _read_bounded(response)
    finally:
        response.close()


async def _aread_answer(response: httpx.Response) -> BoundedBody:
    try:
        return await _aread_bounded(response)
    finally:
        await response.aclose()


class RetryTransport(httpx.BaseTransport):
    """Sync transport: adds the key, retries per the rules, raises dialog360 errors."""

    def __init__(self, rules: RequestRules, inner: httpx.BaseTransport):
        self._rules = rules
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(self._rules, request)
        while True:
            failure: httpx.TransportError | None = None
            try:
                response = self._inner.handle_request(attempts.start())
                if unread := attempts.hands_on_unread(response):
                    return unread
                outcome = attempts.answered(response, _read_answer(response))
            except httpx.TransportError as error:
                failure = error
            # Judged outside the `except` block, so the error raised chains to nothing it hides.
            outcome = attempts.failed(failure) if failure is not None else outcome
            if isinstance(outcome, httpx.Response):
                return outcome
            _pause(outcome)

    def close(self) -> None:
        self._inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Async twin of `RetryTransport`, with the same rules."""

    def __init__(self, rules: RequestRules, inner: httpx.AsyncBaseTransport):
        self._rules = rules
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(self._rules, request)
        while True:
            failure: httpx.TransportError | None = None
            try:
                response = await self._inner.handle_async_request(attempts.start())
                if unread := attempts.hands_on_unread(response):
                    return unread
                outcome = attempts.answered(response, await _aread_answer(response))
            except httpx.TransportError as error:
                failure = error
            # Judged outside the `except` block, so the error raised chains to nothing it hides.
            outcome = attempts.failed(failure) if failure is not None else outcome
            if isinstance(outcome, httpx.Response):
                return outcome
            await _apause(outcome)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _is_read(request: httpx.Request) -> bool:
    try:
        request.content  # noqa: B018 (raises when the body is an unread stream)
    except httpx.RequestNotRead:
        return False
    return True
