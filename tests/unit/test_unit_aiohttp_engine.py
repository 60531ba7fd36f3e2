"""The aiohttp engine's transport, alone, against hostile servers on 127.0.0.1.

Most tests run on both transports (`engine` is "httpx" for httpx's own AsyncHTTPTransport, and
"aiohttp" for ours) and assert the same outcome: the retry policy reads the httpx exception
types, so the aiohttp engine must raise the same one httpx's own transport raises for the same
event. Above all, a request that may have reached the server never comes out as ConnectError,
ConnectTimeout or PoolTimeout (which the policy reads as "never sent", retrying even a POST).
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import dialog360
import httpx
import pytest
from dialog360._aiohttp_engine import INSTALL_HINT, AiohttpTransport
from shared_tls import TLS
from twins import open_sockets

NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
Handler = Callable[[socket.socket, "Server"], None]


# -- a scripted server ------------------------------------------------------------------------


def read_head(conn: socket.socket, buffer: bytearray) -> bytes | None:
    """One request head (up to the blank line) from `conn`; None when the client hung up."""
    while b"\r\n\r\n" not in buffer:
        data = conn.recv(65536)
        if not data:
            return None
        buffer += data
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    buffer[:] = rest
    return head


def content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def read_body(conn: socket.socket, buffer: bytearray, size: int) -> bytes:
    while len(buffer) < size:
        data = conn.recv(65536)
        if not data:
            break
        buffer += data
    body = bytes(buffer[:size])
    del buffer[:size]
    return body


def answer(status: int = 200, body: bytes = b"ok", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Server:
    """Runs `handler(conn, server)` in a thread for every connection; records request heads."""

    def __init__(self, handler: Handler):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.handler = handler
        self.heads: list[bytes] = []
        self.connections = 0
        self.closed_by_client = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self._conns.append(conn)
            thread = threading.Thread(target=self._run, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self.handler(conn, self)

    def head(self, conn: socket.socket, buffer: bytearray) -> bytes | None:
        head = read_head(conn, buffer)
        if head is not None:
            self.heads.append(head)
        return head

    def wait_for_eof(self, conn: socket.socket) -> None:
        """Block until the client closes the connection (or resets it)."""
        conn.settimeout(10)
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass
        self.closed_by_client.set()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.sock.close()
        for conn in self._conns:  # kept-alive connections of a client not closed yet
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(10)
        self._accepting.join(10)


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], Server]]:
    started: list[Server] = []

    def start(handler: Handler) -> Server:
        server = Server(handler)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


def keep_answering(body: bytes = b"ok", headers: dict[str, str] | None = None) -> Handler:
    """Answer every request on the connection with 200 and `body`."""

    def handler(conn: socket.socket, server: Server) -> None:
        buffer = bytearray()
        while (head := server.head(conn, buffer)) is not None:
            read_body(conn, buffer, content_length(head))
            conn.sendall(answer(200, body, headers))

    return handler


# -- the two transports -----------------------------------------------------------------------


@pytest.fixture(params=["httpx", "aiohttp"])
def engine(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def make_transport(engine: str, **limits: Any) -> httpx.AsyncBaseTransport:
    pool = httpx.Limits(**limits) if limits else None
    if engine == "aiohttp":
        return AiohttpTransport(limits=pool)
    if pool is None:
        return httpx.AsyncHTTPTransport(verify=TLS)
    return httpx.AsyncHTTPTransport(verify=TLS, limits=pool)


@pytest.fixture
async def client(engine: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=make_transport(engine), timeout=httpx.Timeout(5.0)
    ) as http:
        yield http


async def failure(call: Any) -> httpx.TransportError:
    with pytest.raises(httpx.TransportError) as caught:
        await call
    return caught.value


# -- failures before any response -------------------------------------------------------------


async def test_refused_connection_is_connect_error(client: httpx.AsyncClient) -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    error = await failure(client.get(f"http://127.0.0.1:{port}/"))
    assert type(error) is httpx.ConnectError


async def test_connect_timeout_is_connect_timeout(client: httpx.AsyncClient) -> None:
    # A listener whose accept queue is full: Linux drops further SYNs, the connect hangs.
    full = socket.socket()
    full.bind(("127.0.0.1", 0))
    full.listen(0)
    port = full.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    try:
        error = await failure(
            client.get(f"http://127.0.0.1:{port}/", timeout=httpx.Timeout(5, connect=0.3))
        )
    finally:
        for sock in [*fillers, full]:
            sock.close()
    assert type(error) is httpx.ConnectTimeout


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_disconnect_after_the_request_is_not_never_sent(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server], method: str
) -> None:
    """httpx-aiohttp 0.2.0 raised ConnectTimeout here: an upload would be sent twice."""

    def hang_up(conn: socket.socket, server: Server) -> None:
        buffer = bytearray()
        head = server.head(conn, buffer)
        assert head is not None
        read_body(conn, buffer, content_length(head))

    server = serve(hang_up)
    error = await failure(client.request(method, server.url + "/media", content=b"x" * 1000))
    assert type(error) is httpx.RemoteProtocolError
    assert not isinstance(error, NEVER_SENT)
    assert len(server.heads) == 1


async def test_drop_on_a_reused_connection_is_not_resent_behind_our_back(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    """aiohttp resends an idempotent request once when a kept-alive connection drops; the
    retry transport must be the only layer that retries (and counts) requests."""

    def answer_once_then_hang_up(conn: socket.socket, server: Server) -> None:
        buffer = bytearray()
        if server.head(conn, buffer) is None:
            return
        conn.sendall(answer())
        server.head(conn, buffer)  # the second request on this connection: no answer

    server = serve(answer_once_then_hang_up)
    assert (await client.get(server.url + "/one")).text == "ok"
    error = await failure(client.get(server.url + "/two"))
    assert type(error) is httpx.RemoteProtocolError
    assert len(server.heads) == 2
    assert server.connections == 1


async def test_no_answer_in_time_is_read_timeout(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    def silent(conn: socket.socket, server: Server) -> None:
        server.head(conn, bytearray())
        server.wait_for_eof(conn)

    server = serve(silent)
    error = await failure(client.get(server.url, timeout=httpx.Timeout(5, read=0.3)))
    assert type(error) is httpx.ReadTimeout


async def test_malformed_answer_is_remote_protocol_error(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    def garbage(conn: socket.socket, server: Server) -> None:
        server.head(conn, bytearray())
        conn.sendall(b"HTTP/1.1 two hundred\r\nbroken header line\r\n\r\n")
        server.wait_for_eof(conn)

    server = serve(garbage)
    error = await failure(client.get(server.url))
    assert type(error) is httpx.RemoteProtocolError


async def test_waiting_for_a_free_connection_is_pool_timeout(
    engine: str, serve: Callable[[Handler], Server]
) -> None:
    body = b"z" * 200_000
    server = serve(keep_answering(body))
    async with httpx.AsyncClient(
        transport=make_transport(engine, max_connections=1),
        timeout=httpx.Timeout(5, pool=0.3),
    ) as http:
        async with http.stream("GET", server.url + "/held") as held:
            error = await failure(http.get(server.url + "/waiting"))
            assert type(error) is httpx.PoolTimeout
            assert await held.aread() == body
        # The held response is closed: its connection is free again.
        assert (await http.get(server.url + "/after")).content == body
    assert len(server.heads) == 2


async def test_connection_limit_is_honoured(
    engine: str, serve: Callable[[Handler], Server]
) -> None:
    in_flight = 0
    most = 0
    lock = threading.Lock()

    def slow(conn: socket.socket, server: Server) -> None:
        nonlocal in_flight, most
        buffer = bytearray()
        while server.head(conn, buffer) is not None:
            with lock:
                in_flight += 1
                most = max(most, in_flight)
            time.sleep(0.02)
            with lock:
                in_flight -= 1
            conn.sendall(answer())

    server = serve(slow)
    async with httpx.AsyncClient(
        transport=make_transport(engine, max_connections=3), timeout=httpx.Timeout(10)
    ) as http:
        answers = await asyncio.gather(*(http.get(f"{server.url}/{n}") for n in range(12)))
    assert [a.status_code for a in answers] == [200] * 12
    assert most <= 3
    assert server.connections <= 3


# -- failures while sending the body ----------------------------------------------------------


async def slow_body(total: int, piece: int = 256 * 1024) -> AsyncIterator[bytes]:
    block = b"u" * piece
    for _ in range(total // piece):
        yield block


async def test_server_that_stops_reading_the_upload_is_write_timeout(
    engine: str, serve: Callable[[Handler], Server]
) -> None:
    stop = threading.Event()

    def stops_reading(conn: socket.socket, server: Server) -> None:
        server.head(conn, bytearray())
        stop.wait(10)

    server = serve(stops_reading)
    async with httpx.AsyncClient(
        transport=make_transport(engine), timeout=httpx.Timeout(5, write=0.3)
    ) as http:
        try:
            error = await failure(
                http.post(server.url + "/media", content=slow_body(256 * 1024 * 1024))
            )
        finally:
            stop.set()
    assert type(error) is httpx.WriteTimeout


async def test_server_that_hangs_up_mid_upload_is_not_never_sent(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    def reads_a_little(conn: socket.socket, server: Server) -> None:
        buffer = bytearray()
        server.head(conn, buffer)
        read_body(conn, buffer, 1024 * 1024)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    server = serve(reads_a_little)
    error = await failure(client.post(server.url + "/media", content=slow_body(64 * 1024 * 1024)))
    assert isinstance(error, httpx.WriteError | httpx.ReadError | httpx.RemoteProtocolError)
    assert not isinstance(error, NEVER_SENT)


# -- failures mid-body ------------------------------------------------------------------------

BODY = os.urandom(1_000_000)


def sends_half_then(
    action: str, *, chunked: bool = False
) -> Callable[[socket.socket, Server], None]:
    def handler(conn: socket.socket, server: Server) -> None:
        server.head(conn, bytearray())
        half = BODY[: len(BODY) // 2]
        if chunked:
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + f"{len(half):x}\r\n".encode()
                + half
                + b"\r\n"
            )
        else:
            conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(BODY)}\r\n\r\n".encode())
            conn.sendall(half)
        if action == "stall":
            server.wait_for_eof(conn)
        elif action == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return handler


async def read_all(http: httpx.AsyncClient, url: str, **options: Any) -> bytes:
    received = bytearray()
    async with http.stream("GET", url, **options) as response:
        async for chunk in response.aiter_raw():
            received += chunk
    return bytes(received)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_close_mid_body_is_remote_protocol_error(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server], chunked: bool
) -> None:
    server = serve(sends_half_then("close", chunked=chunked))
    error = await failure(read_all(client, server.url))
    assert type(error) is httpx.RemoteProtocolError


async def test_reset_mid_body_is_a_read_failure(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    server = serve(sends_half_then("reset"))
    error = await failure(read_all(client, server.url))
    assert isinstance(error, httpx.ReadError | httpx.RemoteProtocolError)


async def test_stall_mid_body_is_read_timeout(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    """The read timeout is an idle timeout: it applies to every wait for the next bytes."""
    server = serve(sends_half_then("stall"))
    error = await failure(read_all(client, server.url, timeout=httpx.Timeout(5, read=0.3)))
    assert type(error) is httpx.ReadTimeout


async def test_slow_body_within_the_idle_timeout_completes(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    """A body taking longer in all than the read timeout is fine while bytes keep coming."""

    def trickle(conn: socket.socket, server: Server) -> None:
        server.head(conn, bytearray())
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(BODY)}\r\n\r\n".encode())
        for start in range(0, len(BODY), len(BODY) // 8):
            conn.sendall(BODY[start : start + len(BODY) // 8])
            time.sleep(0.1)

    server = serve(trickle)
    assert await read_all(client, server.url, timeout=httpx.Timeout(5, read=0.5)) == BODY


# -- what goes on the wire, what comes back ---------------------------------------------------


async def test_redirect_is_returned_not_followed(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    elsewhere = serve(keep_answering())

    def redirects(conn: socket.socket, server: Server) -> None:
        server.head(conn, bytearray())
        conn.sendall(answer(302, b"", {"Location": elsewhere.url + "/stolen"}))

    server = serve(redirects)
    response = await client.get(server.url + "/media")
    assert response.status_code == 302
    assert response.headers["location"] == elsewhere.url + "/stolen"
    assert elsewhere.connections == 0


async def test_encoded_body_is_handed_over_raw(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    """The media layer takes bytes raw and httpx decodes API answers: no decoding below."""
    packed = gzip.compress(b'{"id": "1"}' * 100)
    server = serve(keep_answering(packed, {"Content-Encoding": "gzip"}))
    async with client.stream("GET", server.url) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert raw == packed
    assert (await client.get(server.url)).content == b'{"id": "1"}' * 100


async def send_exactly(engine: str, server: Server, request: httpx.Request) -> bytes:
    transport = make_transport(engine)
    try:
        response = await transport.handle_async_request(request)
        await response.aread()
    finally:
        await transport.aclose()
    return server.heads[-1]


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_sends_what_httpx_sends_and_nothing_more(
    serve: Callable[[Handler], Server], method: str
) -> None:
    """No Accept, Accept-Encoding, User-Agent or Content-Type of aiohttp's own, no requoting."""
    server = serve(keep_answering())
    target = "/whatsapp_business/attachments/?mid=1&hash=AT%2Bx-_y~%7E&q=a+b&pct=%25&e="

    def request() -> httpx.Request:
        return httpx.Request(
            method,
            server.url + target,
            headers={"D360-API-KEY": "k", "X-Twice": "1"},
            content=b"payload" if method == "POST" else None,
            extensions={"timeout": {"connect": 5, "read": 5, "write": 5, "pool": 5}},
        )

    by_httpx = await send_exactly("httpx", server, request())
    by_aiohttp = await send_exactly("aiohttp", server, request())
    request_line = by_aiohttp.split(b"\r\n")[0]
    assert request_line == f"{method} {target} HTTP/1.1".encode()
    assert by_httpx.split(b"\r\n")[0] == request_line

    def names(head: bytes) -> list[bytes]:
        return sorted(line.split(b":")[0].lower() for line in head.split(b"\r\n")[1:])

    assert names(by_aiohttp) == names(by_httpx)
    assert b"accept-encoding" not in names(by_aiohttp)
    assert b"user-agent" not in names(by_aiohttp)


async def test_streamed_upload_arrives_whole(
    client: httpx.AsyncClient, serve: Callable[[Handler], Server]
) -> None:
    received: list[bytes] = []

    def echo_size(conn: socket.socket, server: Server) -> None:
        buffer = bytearray()
        head = server.head(conn, buffer)
        assert head is not None
        received.append(read_body(conn, buffer, content_length(head)))
        conn.sendall(answer(200, str(len(received[-1])).encode()))

    server = serve(echo_size)
    files = {"file": ("a.bin", BODY, "application/octet-stream")}
    response = await client.post(server.url + "/media", files=files, data={"type": "x"})
    assert response.text == str(len(received[0]))
    assert BODY in received[0]
    assert b"Transfer-Encoding" not in server.heads[0]


async def test_cookies_are_not_kept_below_httpx(
    engine: str, serve: Callable[[Handler], Server]
) -> None:
    server = serve(keep_answering(headers={"Set-Cookie": "session=abc; Path=/"}))
    url = f"http://localhost:{server.port}"  # aiohttp keeps no cookies for IP hosts
    transport = make_transport(engine)
    try:
        for path in ("/one", "/two"):
            request = httpx.Request("GET", url + path)
            response = await transport.handle_async_request(request)
            await response.aread()
    finally:
        await transport.aclose()
    assert b"cookie" not in server.heads[1].lower().replace(b"set-cookie", b"")


async def test_large_bodies_come_in_chunks_larger_than_16_kib(
    serve: Callable[[Handler], Server],
) -> None:
    big = os.urandom(8 * 1024 * 1024)
    server = serve(keep_answering(big))
    sizes: list[int] = []
    async with (
        httpx.AsyncClient(transport=make_transport("aiohttp")) as http,
        http.stream("GET", server.url) as response,
    ):
        async for chunk in response.aiter_raw():
            sizes.append(len(chunk))
    assert sum(sizes) == len(big)
    assert max(sizes) > 16 * 1024


async def test_response_carries_version_and_reason(serve: Callable[[Handler], Server]) -> None:
    server = serve(keep_answering())
    async with httpx.AsyncClient(transport=make_transport("aiohttp")) as http:
        response = await http.get(server.url)
    assert response.http_version == "HTTP/1.1"
    assert response.reason_phrase == "X"


# -- cleanup ----------------------------------------------------------------------------------


async def test_cancelled_download_closes_its_connection(
    engine: str, serve: Callable[[Handler], Server]
) -> None:
    started = asyncio.Event()

    def endless(conn: socket.socket, server: Server) -> None:
        buffer = bytearray()
        head = server.head(conn, buffer)
        if head is None or b"/endless" not in head:
            if head is not None:
                conn.sendall(answer())
            keep_answering()(conn, server)
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n")
        conn.settimeout(10)
        try:
            while True:
                conn.sendall(b"e" * 65536)
                time.sleep(0.01)
        except OSError:
            server.closed_by_client.set()

    server = serve(endless)
    async with httpx.AsyncClient(
        transport=make_transport(engine, max_connections=1), timeout=httpx.Timeout(5, pool=2)
    ) as http:

        async def download() -> None:
            async with http.stream("GET", server.url + "/endless") as response:
                async for _ in response.aiter_raw():
                    started.set()

        task = asyncio.create_task(download())
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The connection was closed, not drained; its slot is free for the next request.
        assert (await http.get(server.url + "/next")).text == "ok"
    assert await asyncio.to_thread(server.closed_by_client.wait, 10)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
async def test_aclose_leaves_no_socket_open(serve: Callable[[Handler], Server]) -> None:
    server = serve(keep_answering(b"y" * 100_000))
    before = open_sockets()
    transport = make_transport("aiohttp", max_connections=8)
    async with httpx.AsyncClient(transport=transport) as http:
        await asyncio.gather(*(http.get(f"{server.url}/{n}") for n in range(8)))
        async with http.stream("GET", server.url + "/unread"):
            pass  # closed without reading its body
        opened = open_sockets() - before
    assert opened  # connections were made (the count below is not vacuous)
    server.close()  # the server's ends: closed once it saw our side hang up
    assert open_sockets() - before == set()


async def test_closing_twice_and_closing_unused_are_harmless() -> None:
    transport = make_transport("aiohttp")
    await transport.aclose()
    await transport.aclose()


# -- installation -----------------------------------------------------------------------------


def test_without_aiohttp_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # `import aiohttp` now fails
    with pytest.raises(ImportError) as caught:
        AiohttpTransport()
    assert INSTALL_HINT in str(caught.value)
    assert "pip install 'dialog360[aiohttp]'" in str(caught.value)


def test_import_dialog360_does_not_import_aiohttp() -> None:
    code = (
        "import sys, dialog360, dialog360._aiohttp_engine; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aiohttp', 'yarl')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- AsyncDialog360(engine=...) ---------------------------------------------------------------


async def test_engine_aiohttp_sends_through_aiohttp(monkeypatch: pytest.MonkeyPatch) -> None:
    client = dialog360.AsyncDialog360("k" * 16, base_url="http://127.0.0.1:9", engine="aiohttp")
    try:
        transport = client.api.get_async_httpx_client()._transport
        assert isinstance(transport._inner, AiohttpTransport)  # type: ignore[attr-defined]
    finally:
        await client.close()


async def test_engine_default_is_httpx_and_transport_overrides_it() -> None:
    default = dialog360.AsyncDialog360("k" * 16, base_url="http://127.0.0.1:9")
    own = httpx.AsyncHTTPTransport()
    chosen = dialog360.AsyncDialog360(
        "k" * 16, base_url="http://127.0.0.1:9", engine="aiohttp", transport=own
    )
    try:
        inner = default.api.get_async_httpx_client()._transport._inner  # type: ignore[attr-defined]
        assert type(inner) is httpx.AsyncHTTPTransport
        assert chosen.api.get_async_httpx_client()._transport._inner is own  # type: ignore[attr-defined]
    finally:
        await default.close()
        await chosen.close()


@pytest.mark.parametrize("engine", ["curl", "", None, 1, "AIOHTTP"])
def test_an_unknown_engine_is_a_configuration_error(engine: Any) -> None:
    with pytest.raises(dialog360.ConfigurationError, match="engine must be one of"):
        dialog360.AsyncDialog360("k" * 16, base_url="http://127.0.0.1:9", engine=engine)


def test_engine_aiohttp_without_the_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)
    with pytest.raises(dialog360.ConfigurationError, match=r"pip install 'dialog360\[aiohttp\]'"):
        dialog360.AsyncDialog360("k" * 16, base_url="http://127.0.0.1:9", engine="aiohttp")
