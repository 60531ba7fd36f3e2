"""The aiohttp engine: an httpx transport that sends requests with aiohttp.

httpx's own async transport spends ~10 ms of CPU per download when many run at once (its
connection pool); aiohttp spends ~1 ms. httpx-aiohttp's transport is not used as it is: it
reports a server that hung up after the request was sent as `httpx.ConnectTimeout`, which the
retry policy reads as "never sent" (an upload would go twice), lets aiohttp add headers, keep
cookies and retry on its own, requotes urls, and cuts bodies into 16 KiB chunks.

So failures come out as the httpx exceptions httpx's own transport raises for the same event.
Only these mean "never sent": a failure to connect (refused, DNS, TLS, connect timeout:
`ConnectError` / `ConnectTimeout`) and no free connection in time (`PoolTimeout`). Anything
after the connection is made is a read, write or protocol error, never retried for a POST.

aiohttp is imported when a transport is built, never by `import dialog360`.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import httpx

from . import _constants as C
from ._tls import shared_ssl_context

if TYPE_CHECKING:
    import asyncio

    import aiohttp

INSTALL_HINT = "pip install 'dialog360[aiohttp]'"

# aiohttp adds these when a request lacks them; httpx's transport sends exactly what it is given.
_AUTO_HEADERS = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")


def httpx_error(error: BaseException, *, writing: bool = False) -> httpx.TransportError | None:
    """The httpx exception httpx's own transport raises where aiohttp raised `error`, or None
    for an error that is not aiohttp's (it propagates unchanged). `writing`: the request body
    was still being sent."""
    import aiohttp

    message = str(error) or type(error).__name__
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(error, aiohttp.ClientConnectorError):  # refused, DNS, TLS handshake
        return httpx.ConnectError(message)
    if isinstance(error, aiohttp.ServerTimeoutError):  # sock_read: idle too long
        return httpx.ReadTimeout(message)
    if isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(message)
    if isinstance(error, aiohttp.ClientResponseError):  # a malformed response
        return httpx.RemoteProtocolError(message)
    if isinstance(error, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        return httpx.UnsupportedProtocol(message)
    if isinstance(error, aiohttp.ClientError | OSError):  # resets, broken pipes, anything else
        return httpx.WriteError(message) if writing else httpx.ReadError(message)
    return None


class _Slot:
    """One unit of the connection limit, held from sending until the response is closed."""

    __slots__ = ("_gate", "_held")

    def __init__(self, gate: asyncio.Semaphore | None) -> None:
        self._gate = gate
        self._held = gate is not None

    def release(self) -> None:
        if self._held:
            self._held = False
            assert self._gate is not None
            self._gate.release()


class _WriteWatch:
    """httpx's write timeout, which aiohttp lacks: the request body must make progress.

    aiohttp pulls the next body chunk only after the previous one went into the socket, so a
    gap longer than `write` seconds between pulls is a stalled write. After the last chunk the
    deadline is `write + read`: aiohttp's own read timeout starts only once the body has gone
    out, so a write stuck in the socket would otherwise wait forever."""

    __slots__ = ("_deadline", "_loop", "_read", "_write", "finished")

    def __init__(self, deadline: asyncio.Timeout, write: float, read: float | None) -> None:
        import asyncio

        self._loop = asyncio.get_running_loop()
        self._deadline = deadline
        self._write = write
        self._read = read
        self.finished = False

    def _move(self, seconds: float | None) -> None:
        self._deadline.reschedule(None if seconds is None else self._loop.time() + seconds)

    async def watch(self, body: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        self._move(self._write)
        async for chunk in body:
            yield chunk
            self._move(self._write)
        self.finished = True
        self._move(None if self._read is None else self._write + self._read)


class _ResponseBody(httpx.AsyncByteStream):
    """The response body as aiohttp hands it over (whatever one socket read brought, up to
    256 KiB), failures typed like httpx's; closing it frees the connection and the slot."""

    __slots__ = ("_closed", "_response", "_slot")

    def __init__(self, response: aiohttp.ClientResponse, slot: _Slot) -> None:
        self._response = response
        self._slot = slot
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        content = self._response.content
        try:
            while chunk := await content.readany():
                yield chunk
        except Exception as error:
            mapped = httpx_error(error)
            if mapped is None:
                raise
            raise mapped from error

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        # A body read to its end leaves a reusable connection; any other is closed, not
        # drained (synchronous: safe in a task that is being cancelled).
        if self._response.content.is_eof():
            self._response.release()
        else:
            self._response.close()
        self._slot.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An `httpx.AsyncBaseTransport` on an `aiohttp.ClientSession` (made on first use, inside
    the running event loop).

    `limits`: `max_connections` at once (waiting longer than the pool timeout for one raises
    `httpx.PoolTimeout`), `keepalive_expiry` for idle ones; `max_keepalive_connections=0`
    closes each connection after its response. `ssl_context`: for https (default: httpx's,
    with certifi's CAs, shared by every client). Raises ImportError naming the extra to install
    when aiohttp is not.
    """

    def __init__(
        self,
        *,
        limits: httpx.Limits | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        try:
            import asyncio

            import aiohttp
            import yarl
        except ImportError as exc:
            raise ImportError(f"the aiohttp engine needs aiohttp: {INSTALL_HINT}") from exc
        del aiohttp  # imported where used, now known to be there
        self._asyncio = asyncio
        self._url = yarl.URL
        self._limits = limits or httpx.Limits(
            max_connections=C.ENGINE_MAX_CONNECTIONS,
            max_keepalive_connections=C.ENGINE_MAX_KEEPALIVE_CONNECTIONS,
            keepalive_expiry=C.ENGINE_KEEPALIVE_EXPIRY,
        )
        self._ssl = ssl_context if ssl_context is not None else shared_ssl_context()
        self._session: aiohttp.ClientSession | None = None
        self._gate: asyncio.Semaphore | None = None
        self._timeouts: dict[tuple[float | None, float | None], aiohttp.ClientTimeout] = {}

    def _open(self) -> aiohttp.ClientSession:
        import aiohttp

        limits = self._limits
        keepalive: dict[str, Any] = {}
        if limits.keepalive_expiry is not None:
            keepalive["keepalive_timeout"] = limits.keepalive_expiry
        connector = aiohttp.TCPConnector(
            limit=0,  # the gate below is the limit, so waiting for a connection is a PoolTimeout
            ssl=self._ssl,
            force_close=limits.max_keepalive_connections == 0,
            **keepalive,
        )
        session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # httpx keeps the cookies
            skip_auto_headers=_AUTO_HEADERS,
            auto_decompress=False,  # httpx decodes; media bytes are taken raw
        )
        # aiohttp resends an idempotent request once when a reused connection drops; the
        # retry transport is the one place that decides and counts retries.
        session._retry_connection = False
        if limits.max_connections is not None:
            self._gate = self._asyncio.Semaphore(limits.max_connections)
        self._session = session
        return session

    def _timeout(self, connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
        timeout = self._timeouts.get((connect, read))
        if timeout is None:
            # `connect` covers DNS, TCP and TLS (no pool wait: the gate does that);
            # `sock_read` is the longest silence while waiting for or reading the response.
            import aiohttp

            timeout = aiohttp.ClientTimeout(
                total=None, connect=connect, sock_connect=connect, sock_read=read
            )
            self._timeouts[(connect, read)] = timeout
        return timeout

    async def _take_slot(self, pool_timeout: float | None) -> _Slot:
        gate = self._gate
        if gate is None:
            return _Slot(None)
        if gate.locked():
            try:
                async with self._asyncio.timeout(pool_timeout):
                    await gate.acquire()
            except TimeoutError:
                raise httpx.PoolTimeout(
                    f"no free connection within {pool_timeout} s "
                    f"({self._limits.max_connections} in use)"
                ) from None
        else:
            await gate.acquire()  # free: returns at once
        return _Slot(gate)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session or self._open()
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        slot = await self._take_slot(timeouts.get("pool"))
        try:
            response = await self._send(session, request, timeouts)
        except BaseException:
            slot.release()
            raise
        version = response.version
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_ResponseBody(response, slot),
            request=request,
            extensions={
                "http_version": b"HTTP/1.0" if version == (1, 0) else b"HTTP/1.1",
                "reason_phrase": (response.reason or "").encode("latin-1", "replace"),
            },
        )

    async def _send(
        self,
        session: aiohttp.ClientSession,
        request: httpx.Request,
        timeouts: dict[str, float | None],
    ) -> aiohttp.ClientResponse:
        headers = request.headers.multi_items()
        try:
            content = request.content
        except httpx.RequestNotRead:  # a streamed body (multipart uploads)
            # aiohttp frames a body of unknown length itself; the header would stop it.
            headers = [(k, v) for k, v in headers if k.lower() != "transfer-encoding"]
            return await self._send_streamed(session, request, headers, timeouts)
        try:
            return await session.request(
                request.method,
                self._url(str(request.url), encoded=True),  # byte for byte, not requoted
                headers=headers,
                data=content or None,
                allow_redirects=False,
                timeout=self._timeout(timeouts.get("connect"), timeouts.get("read")),
                server_hostname=_sni(request),
            )
        except Exception as error:
            mapped = httpx_error(error)
            if mapped is None:
                raise
            raise mapped from error

    async def _send_streamed(
        self,
        session: aiohttp.ClientSession,
        request: httpx.Request,
        headers: list[tuple[str, str]],
        timeouts: dict[str, float | None],
    ) -> aiohttp.ClientResponse:
        write = timeouts.get("write")
        source = _BodySource(request.stream)  # type: ignore[arg-type]
        body: AsyncIterator[bytes] = source.chunks()
        watch: _WriteWatch | None = None
        try:
            async with self._asyncio.timeout(None) as deadline:
                if write:
                    watch = _WriteWatch(deadline, write, timeouts.get("read"))
                    body = watch.watch(body)
                return await session.request(
                    request.method,
                    self._url(str(request.url), encoded=True),
                    headers=headers,
                    data=body,
                    allow_redirects=False,
                    timeout=self._timeout(timeouts.get("connect"), timeouts.get("read")),
                    server_hostname=_sni(request),
                )
        except Exception as error:
            if source.error is not None:
                # The body's own failure (the caller's file object, an upload check): aiohttp
                # wrapped it as a connection error; it passes through unchanged, as on httpx.
                raise source.error from None
            if watch is not None and deadline.expired():
                raise httpx.WriteTimeout(
                    f"the request body made no progress for {write} s"
                ) from error
            mapped = httpx_error(error, writing=watch is not None and not watch.finished)
            if mapped is None:
                raise
            raise mapped from error

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()
            # The sockets are closed by callbacks the loop runs next: let them run, so no
            # descriptor outlives aclose().
            await self._asyncio.sleep(0)


class _BodySource:
    """The request body as aiohttp reads it, keeping any exception the body itself raised."""

    def __init__(self, stream: AsyncIterator[bytes]) -> None:
        self._stream = stream
        self.error: BaseException | None = None

    async def chunks(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except Exception as error:
            self.error = error
            raise


def _sni(request: httpx.Request) -> str | None:
    name = request.extensions.get("sni_hostname")
    if isinstance(name, bytes):
        return name.decode("ascii")
    return name if isinstance(name, str) else None
