"""A hostile 360dialog over real sockets: media bytes sent compressed (bombs, bodies that only
claim to be gzip, unknown codings) and metadata that breaks the rules. Each ends in a typed
error before a byte is decoded or fetched, with nothing left at the destination; a gzip bomb
leaves a fresh process's memory flat."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from bombs import MiB, gzip_bomb
from dialog360 import APIError, Dialog360, MediaDownloadError
from twins import MediaTwin, client_of_kind

KEY = "hostile-K3y-7f2c9d1e"
MEDIA_ID = "1234567890"
ATTACHMENTS = "/whatsapp_business/attachments/"
MEDIA = os.urandom(200_000)
NOT_GZIP = b"these bytes only claim to be gzip" * 100
BOMB = gzip_bomb(20)  # ~20 KB on the wire, 20 MiB once decoded
BOMB_DECODED = bytes(20 * MiB)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that refuse a body hang up mid-answer: expected, not worth a traceback


class HostileServer:
    """GET /{id} answers `metadata` (raw bytes); the attachments route answers `media_headers`
    and `media_body`. Counts requests per route."""

    def __init__(self) -> None:
        self.metadata = b""
        self.media_headers: dict[str, str] = {}
        self.media_body = b""
        self.hits: dict[str, int] = {"metadata": 0, "attachments": 0, "other": 0}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if self.path == f"/{MEDIA_ID}":
                    owner.hits["metadata"] += 1
                    self._answer({"Content-Type": "application/json"}, owner.metadata)
                elif self.path.startswith(ATTACHMENTS):
                    owner.hits["attachments"] += 1
                    self._answer(owner.media_headers, owner.media_body)
                else:
                    owner.hits["other"] += 1
                    self._answer({"Content-Type": "application/json"}, b'{"error": "no"}', 404)

            def _answer(self, headers: dict[str, str], body: bytes, status: int = 200) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client refused the body, hung up
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._http = _QuietServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def reset(self) -> None:
        self.metadata, self.media_headers, self.media_body = b"", {}, b""
        self.hits = {"metadata": 0, "attachments": 0, "other": 0}

    def serve_media(self, body: bytes, *, meta_for: bytes | None = None, **headers: str) -> None:
        """Metadata announcing `meta_for` (default: `body`), and `body` with these headers."""
        announced = body if meta_for is None else meta_for
        self.metadata = json.dumps(
            {
                "url": f"{self.base_url}{ATTACHMENTS}?mid=1&ext=9999999999&hash=h",
                "mime_type": "image/jpeg",
                "sha256": hashlib.sha256(announced).hexdigest(),
                "file_size": len(announced),
                "id": MEDIA_ID,
                "messaging_product": "whatsapp",
            }
        ).encode()
        self.media_headers = {"Content-Type": "image/jpeg"} | {
            name.replace("_", "-"): value for name, value in headers.items()
        }
        self.media_body = body

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(5)


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.close()


@pytest.fixture
def hostile(hostile_server: HostileServer) -> HostileServer:
    hostile_server.reset()
    return hostile_server


@pytest.fixture
async def twin(hostile: HostileServer, client_kind: str) -> Any:
    harness = MediaTwin(client_of_kind(client_kind, api_key=KEY, base_url=hostile.base_url))
    yield harness
    await harness.close()


async def _run(twin: Any, op: str, folder: Path) -> Any:
    if op == "download":
        return await twin.download(MEDIA_ID, folder)
    if op == "stream":
        return (await twin.stream(MEDIA_ID))[1]
    return await twin.read(MEDIA_ID)


def test_the_hostile_server_serves_plain_media(hostile: HostileServer, tmp_path: Path) -> None:
    hostile.serve_media(MEDIA)
    with Dialog360(KEY, base_url=hostile.base_url) as client:
        path = client.media.download(MEDIA_ID, tmp_path)
    assert path.read_bytes() == MEDIA


# One refusal serves all three operations (they share the download loop): the bomb runs
# through each of them, every other coding through one.
@pytest.mark.parametrize(
    ("op", "coding", "body", "announced"),
    [
        ("download", "gzip", BOMB, BOMB_DECODED),
        ("read", "gzip", BOMB, BOMB_DECODED),
        ("stream", "gzip", BOMB, BOMB_DECODED),
        ("download", "gzip", gzip.compress(MEDIA), MEDIA),  # even an honest compressed copy
        ("read", "gzip", NOT_GZIP, NOT_GZIP),
        ("stream", "gzip, gzip", gzip.compress(BOMB), BOMB_DECODED),
        ("download", "br", NOT_GZIP, NOT_GZIP),
        ("read", "x-unknown", MEDIA, MEDIA),
    ],
    ids=[
        "download-bomb",
        "read-bomb",
        "stream-bomb",
        "download-honest-gzip",
        "read-not-gzip",
        "stream-double-bomb",
        "download-br",
        "read-unknown",
    ],
)
async def test_content_coded_media_is_refused_before_decoding(
    hostile: HostileServer,
    twin: Any,
    tmp_path: Path,
    leftovers: Callable[[Path], list[str]],
    op: str,
    coding: str,
    body: bytes,
    announced: bytes,
) -> None:
    hostile.serve_media(body, meta_for=announced, Content_Encoding=coding)
    with pytest.raises(MediaDownloadError, match="compressed") as caught:
        await _run(twin, op, tmp_path)
    assert type(caught.value) is MediaDownloadError
    assert not isinstance(caught.value.__cause__, httpx.DecodingError)
    assert hostile.hits["attachments"] == 1  # refused, not retried
    assert leftovers(tmp_path) == []


# The metadata is checked once, before any operation's own work: each literal goes through one
# operation, and every operation meets several.
@pytest.mark.parametrize(
    ("op", "field", "literal"),
    [
        ("download", "file_size", "NaN"),
        ("read", "file_size", '"10240"'),
        ("stream", "file_size", "null"),
        ("download", "file_size", "-5"),
        ("read", "file_size", "1.5"),
        ("stream", "sha256", "null"),
        ("download", "sha256", "7"),
        ("read", "mime_type", "7"),
        ("stream", "url", "null"),
        ("download", "id", '"999"'),
    ],
)
async def test_bad_metadata_fetches_no_byte(
    hostile: HostileServer,
    twin: Any,
    tmp_path: Path,
    leftovers: Callable[[Path], list[str]],
    op: str,
    field: str,
    literal: str,
) -> None:
    hostile.serve_media(MEDIA)
    meta = json.loads(hostile.metadata)
    text = json.dumps(meta | {field: "PLACEHOLDER"}).replace('"PLACEHOLDER"', literal)
    hostile.metadata = text.encode()
    with pytest.raises(APIError, match=repr(field)) as caught:
        await _run(twin, op, tmp_path)
    assert caught.value.status_code == 200
    assert hostile.hits["attachments"] == 0
    assert leftovers(tmp_path) == []


# -- memory: a gzip bomb on the bytes, in a fresh process -----------------------------------

BOMB_CHILD = textwrap.dedent(
    """
    import asyncio, json, resource, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path
    import dialog360

    kind, folder, bomb_file, DECODED = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    bomb = Path(bomb_file).read_bytes()
    hits = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def do_GET(self):
            hits.append(self.path)
            if self.path == "/1234567890":
                body = json.dumps({
                    "url": base + "/whatsapp_business/attachments/?mid=1&hash=h",
                    "mime_type": "image/jpeg", "sha256": "0" * 64,
                    "file_size": DECODED, "id": "1234567890",
                }).encode()
                headers = {"Content-Type": "application/json"}
            else:
                body, headers = bomb, {"Content-Type": "image/jpeg",
                                       "Content-Encoding": "gzip, gzip"}
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass
        def log_message(self, *args):
            pass

    class QuietServer(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass

    server = QuietServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = "http://127.0.0.1:%d" % server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = dict(api_key="k", base_url=base, max_download_bytes=4 * 1024**3)

    async def run_async():
        async with dialog360.AsyncDialog360(**options) as client:
            await client.media.download("1234567890", folder)

    def run_sync():
        with dialog360.Dialog360(**options) as client:
            client.media.download("1234567890", folder)

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        asyncio.run(run_async()) if kind == "async" else run_sync()
        outcome = "no error"
    except Exception as error:
        outcome = type(error).__name__
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"outcome": outcome, "growth_kib": after - before,
                      "wire_bytes": len(bomb), "attachments": len(hits) - 1}))
    """
)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_gzip_bomb_on_the_bytes_keeps_memory_flat(
    tmp_path: Path, leftovers: Callable[[Path], list[str]], kind: str
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    decoded = 256 * MiB
    bomb_file = tmp_path / "bomb.gz.gz"  # two layers of gzip: a few KB on the wire
    bomb_file.write_bytes(gzip.compress(gzip_bomb(decoded // MiB)))
    done = subprocess.run(
        [sys.executable, "-c", BOMB_CHILD, kind, str(folder), str(bomb_file), str(decoded)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["outcome"] == "MediaDownloadError", report
    assert report["attachments"] == 1
    assert report["wire_bytes"] < 64 * 1024  # a real bomb: tiny on the wire
    assert report["growth_kib"] < 32 * 1024, report  # ru_maxrss is in KiB on Linux
    assert leftovers(folder) == []
