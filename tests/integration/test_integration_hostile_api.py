"""Hostile API servers over real loopback sockets: bombs, garbage, endless bodies, key echoes.

Each test scripts a tiny HTTP server (stdlib, 127.0.0.1, port 0) answering per path. Memory is
measured in a fresh subprocess (peak RSS, in bytes), never by time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dialog360
import httpx
import pytest
from bombs import MiB, gzip, gzip_bomb
from dialog360 import _constants as C
from twins import MediaTwin, client_of_kind

KEY = "itest-K3y-5ecr3t-0b7d29e4c1"
HASH = "SiGnEd-HaSh-7f3a9c"
CAP = C.MAX_API_BODY_BYTES
MEDIA = bytes(range(256)) * 400  # 102,400 bytes

Answer = Callable[["_Handler"], None]


def response_of(error: dialog360.APIError) -> httpx.Response:
    """The answer an APIError holds (every error of these tests has one)."""
    assert error.response is not None
    return error.response


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hostile: Hostile

    def _answer(self) -> None:
        self.hostile.keys_received.append(self.headers.get("D360-API-KEY"))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        self.hostile.routes.get(path, reply(404, b'{"error": "no such path"}'))(self)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up on an endless answer is the point, not an error


class Hostile:
    """A scripted HTTP server: `routes[path] = answer`; counts what endless answers sent."""

    def __init__(self) -> None:
        handler = type("Handler", (_Handler,), {"hostile": self})
        self.routes: dict[str, Answer] = {}
        self.keys_received: list[str | None] = []
        self.sent_endless = 0
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        # A short poll: shutdown() waits for the serving loop to look, every 0.5 s by default.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def media_meta(self, media_id: str) -> bytes:
        url = f"{self.base_url}{C.ATTACHMENTS_PATH}?mid={media_id}&ext=1764230400&hash={HASH}"
        return json.dumps(
            {
                "url": url,
                "mime_type": "image/jpeg",
                "sha256": hashlib.sha256(MEDIA).hexdigest(),
                "file_size": len(MEDIA),
                "id": media_id,
                "messaging_product": "whatsapp",
            }
        ).encode()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def reply(status: int, body: bytes, **headers: str) -> Answer:
    def answer(handler: _Handler) -> None:
        handler.send_response(status)
        headers.setdefault("Content-Type", "application/json")
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def endless(status: int, *, chunked: bool, limit: int = 300 * MiB) -> Answer:
    """A JSON array of `limit` bytes, without Content-Length, sent until the client hangs up."""
    piece = b"0," * 32 * 1024

    def answer(handler: _Handler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        if chunked:
            handler.send_header("Transfer-Encoding", "chunked")
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        try:
            data = b"[" + piece
            while handler.hostile.sent_endless < limit:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
                data = piece
                handler.hostile.sent_endless += len(piece)
        except OSError:
            return  # the client hung up, as it should

    return answer


def sequence(*answers: Answer) -> Answer:
    """Each request gets the next answer; the last one repeats."""
    remaining = list(answers)

    def answer(handler: _Handler) -> None:
        (remaining.pop(0) if len(remaining) > 1 else remaining[0])(handler)

    return answer


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    server = Hostile()
    yield server
    server.close()


@pytest.fixture
async def d360(hostile: Hostile, client_kind: str) -> AsyncIterator[MediaTwin]:
    """A client of this test's kind on the hostile server (one retry), closed after."""
    twin = MediaTwin(
        client_of_kind(client_kind, api_key=KEY, base_url=hostile.base_url, max_retries=1)
    )
    yield twin
    await twin.close()


# -- bounded answers over real sockets ------------------------------------------------------


async def test_gzip_bomb_metadata_answer_is_refused(d360: Any, hostile: Hostile) -> None:
    hostile.routes["/101"] = reply(200, gzip_bomb(64), Content_Encoding="gzip")
    with pytest.raises(dialog360.APIError, match="larger than") as info:
        await d360.get("101")
    assert len(response_of(info.value).content) == CAP


async def test_gzip_declared_garbage_is_an_api_error(d360: Any, hostile: Hostile) -> None:
    hostile.routes["/101"] = reply(200, b'{"not": "gzip"}', Content_Encoding="gzip")
    with pytest.raises(dialog360.APIError, match="not valid gzip") as info:
        await d360.get("101")
    assert type(info.value) is dialog360.APIError


@pytest.mark.parametrize("chunked", [False, True], ids=["close-delimited", "chunked"])
async def test_300_mb_answer_without_length_stops_at_the_cap(
    d360: Any, hostile: Hostile, chunked: bool
) -> None:
    hostile.routes["/101"] = endless(200, chunked=chunked)
    with pytest.raises(dialog360.APIError, match="larger than"):
        await d360.get("101")
    # The client hung up after the cap: the server got rid of a few socket buffers at most.
    assert hostile.sent_endless < 64 * MiB


async def test_compressed_error_answer_reads_as_its_message(d360: Any, hostile: Hostile) -> None:
    body = json.dumps({"error": {"message": "Unsupported get request", "code": 100}}).encode()
    hostile.routes["/101"] = reply(400, gzip(gzip(body)), Content_Encoding="gzip, gzip")
    with pytest.raises(dialog360.BadRequestError) as info:
        await d360.get("101")
    assert str(info.value) == "HTTP 400 from GET /101: Unsupported get request [code 100]"
    assert response_of(info.value).json()["error"]["code"] == 100


async def test_key_echo_shows_nowhere(d360: Any, hostile: Hostile) -> None:
    echo = json.dumps({"error": f"bad key {KEY}"}).encode()
    hostile.routes["/101"] = reply(401, gzip(echo), Content_Encoding="gzip", X_Echo=KEY)
    with pytest.raises(dialog360.AuthenticationError) as info:
        await d360.get("101")
    error = info.value
    for text in (
        str(error),
        repr(error),
        response_of(error).text,
        repr(response_of(error).headers),
        repr(response_of(error).request.headers),
    ):
        assert KEY not in text, text
    assert hostile.keys_received == [KEY]


# -- logs: every logger at DEBUG over a full download and failures --------------------------


async def test_no_log_line_shows_the_key_or_the_hash(
    d360: Any,
    hostile: Hostile,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    client_kind: str,
) -> None:
    for name in (
        *("", "dialog360", "httpx", "httpcore", "httpcore.http11", "httpcore.connection"),
        *("aiohttp", "aiohttp.client", "aiohttp.internal"),
    ):
        caplog.set_level(logging.DEBUG, logger=name)
    echo = json.dumps({"error": f"bad key {KEY}"}).encode()
    hostile.routes["/101"] = sequence(
        reply(503, b"{}", X_Echo=KEY), reply(200, hostile.media_meta("101"))
    )
    hostile.routes[C.ATTACHMENTS_PATH] = reply(200, MEDIA, Content_Type="image/jpeg")
    hostile.routes["/102"] = reply(401, echo, X_Echo=f"key={KEY}")
    hostile.routes["/103"] = reply(
        302, b"", Location=f"{hostile.base_url}{C.ATTACHMENTS_PATH}?hash={HASH}&k={KEY}"
    )
    hostile.routes["/104"] = reply(500, gzip(echo), Content_Encoding="gzip")

    path = await d360.download("101", tmp_path)
    assert path.read_bytes() == MEDIA
    for media_id in ("102", "103", "104"):
        with pytest.raises(dialog360.Dialog360Error) as info:
            await d360.get(media_id)
        assert KEY not in str(info.value) and HASH not in str(info.value)

    names = {record.name for record in caplog.records}
    # httpcore is the httpx engine's connection layer; aiohttp's logs nothing here.
    below = set() if client_kind == "async-aiohttp" else {"httpcore.http11"}
    assert {"dialog360", "httpx", *below} <= names
    assert any("hash=…" in record.getMessage() for record in caplog.records)
    for record in caplog.records:
        for text in (record.getMessage(), str(record.args), repr(record.args)):
            assert KEY not in text and HASH not in text, (record.name, text)


# -- memory: a bomb leaves peak RSS flat --------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import asyncio, json, resource, sys
    import dialog360

    base, kind, key, *media_ids = sys.argv[1:]

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

    async def main():
        cls = dialog360.AsyncDialog360 if kind == "async" else dialog360.Dialog360
        client = cls(key, base_url=base, max_retries=0)

        async def get(media_id):
            result = client.media.get(media_id)
            return await result if kind == "async" else result

        await get("1")  # warm up: imports, a connection, a gzip answer decoded
        before = peak()
        outcomes = []
        for media_id in media_ids:
            try:
                await get(media_id)
                outcomes.append("ok")
            except dialog360.APIError as exc:
                outcomes.append(f"{type(exc).__name__}: {exc}")
        after = peak()
        print(json.dumps({"growth": after - before, "outcomes": outcomes}))

    asyncio.run(main())
    """
)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_bombs_on_the_metadata_leave_peak_rss_flat(hostile: Hostile, kind: str) -> None:
    hostile.routes["/1"] = reply(200, gzip(hostile.media_meta("1")), Content_Encoding="gzip")
    hostile.routes["/101"] = reply(200, gzip_bomb(512), Content_Encoding="gzip")
    hostile.routes["/102"] = reply(200, gzip(gzip_bomb(512)), Content_Encoding="gzip, gzip")
    hostile.routes["/103"] = endless(200, chunked=False)
    hostile.routes["/104"] = reply(503, gzip_bomb(512), Content_Encoding="gzip")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, hostile.base_url, kind, KEY, "101", "102", "103", "104"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["outcomes"][:3] == [
        f"APIError: HTTP 200 from GET /{media_id}: the answer is larger than {CAP} bytes"
        for media_id in ("101", "102", "103")
    ]
    assert result["outcomes"][3].startswith("ServerError: HTTP 503 from GET /104")
    assert result["growth"] < 32 * MiB, result


# -- the pytest fixture: no-wait retries for its test only -----------------------------------

FIXTURE_TESTS = textwrap.dedent(
    """
    import asyncio
    import threading
    import time

    import pytest
    from dialog360 import AsyncDialog360, Dialog360
    from dialog360.testing import FakeServer, Fault

    def record_sleeps(monkeypatch):
        slept = []
        real_sleep = time.sleep
        real_async_sleep = asyncio.sleep
        main = threading.get_ident()

        def sleep(seconds):
            if threading.get_ident() == main:
                slept.append(seconds)
            else:
                real_sleep(seconds)

        async def async_sleep(seconds, result=None):
            if seconds > 0:  # sleep(0) is the event loop's own "yield once"
                slept.append(seconds)
            else:
                await real_async_sleep(0)
            return result

        monkeypatch.setattr(time, "sleep", sleep)
        monkeypatch.setattr(asyncio, "sleep", async_sleep)
        return slept

    def one_retry(server):
        media_id = server.add_media(b"jpeg", mime_type="image/jpeg")
        server.inject("get_media", Fault.status(503))
        return media_id

    def test_a_fixture_sync(fake_360dialog, monkeypatch):
        slept = record_sleeps(monkeypatch)
        media_id = one_retry(fake_360dialog)
        with Dialog360("test-key", base_url=fake_360dialog.base_url) as client:
            client.media.get(media_id)
        assert [r.route for r in fake_360dialog.requests] == ["get_media", "get_media"]
        assert slept == []

    @pytest.mark.asyncio
    async def test_b_fixture_async(fake_360dialog, monkeypatch):
        slept = record_sleeps(monkeypatch)
        media_id = one_retry(fake_360dialog)
        async with AsyncDialog360("test-key", base_url=fake_360dialog.base_url) as client:
            await client.media.get(media_id)
        assert len(fake_360dialog.requests) == 2
        assert slept == []

    def test_c_later_test_sleeps_again(monkeypatch):
        slept = record_sleeps(monkeypatch)
        with FakeServer(api_key="k") as server, Dialog360("k", base_url=server.base_url) as client:
            client.media.get(one_retry(server))
        assert len(slept) == 1 and slept[0] > 0

    @pytest.mark.asyncio
    async def test_d_later_async_test_sleeps_again(monkeypatch):
        slept = record_sleeps(monkeypatch)
        with FakeServer(api_key="k") as server:
            async with AsyncDialog360("k", base_url=server.base_url) as client:
                await client.media.get(one_retry(server))
        assert len(slept) == 1 and slept[0] > 0
    """
)


def test_fake_360dialog_fixture_skips_retry_waits_for_its_tests_only(tmp_path: Path) -> None:
    (tmp_path / "test_app.py").write_text(FIXTURE_TESTS)
    # Only the plugins the file needs, loaded by entry-point name: the others cost seconds.
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "dialog360"]
    command += ["-p", "asyncio", "-o", "asyncio_default_fixture_loop_scope=function"]
    done = subprocess.run(
        [*command, "test_app.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout
