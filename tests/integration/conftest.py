"""Fixtures for the integration tests: the real fake server on loopback, clients of each kind.

Every client test runs three times, on `Dialog360` and on `AsyncDialog360` with each engine
(httpx, aiohttp), through `D360`, which awaits the async client and calls the sync one directly
(the fake server answers from its own threads, so a blocking call inside the event loop is
fine). Nothing is mocked: every request crosses a real socket to `dialog360.testing.FakeServer`.

Helpers reach test modules as fixtures (`d360`, `make_d360`, `listener`, ...) rather than by
import, so this folder needs no package of its own.
"""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import dialog360
import pytest
from dialog360 import AsyncDialog360, Dialog360
from dialog360.testing import FakeServer
from twins import CLIENT_KINDS, MediaTwin, client_of_kind

# A key that cannot appear by accident in a log line or an error message.
KEY = "itest-K3y-5ecr3t-0b7d29e4c1"
MEDIA_SIZE = 600_000  # many network reads


def media_bytes(size: int = MEDIA_SIZE, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.fixture(autouse=True)
def _no_retry_sleep() -> Iterator[None]:
    """Retries happen, but without waiting (one test turns the waiting back on)."""
    dialog360.set_retry_sleep(False)
    yield
    dialog360.set_retry_sleep(True)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def media_id(server: FakeServer) -> str:
    """One JPEG of MEDIA_SIZE random bytes on the server."""
    return server.add_media(media_bytes(), mime_type="image/jpeg")


class D360(MediaTwin):
    """MediaTwin with the fake server beside it, to ask what it saw."""

    def __init__(self, client: Dialog360 | AsyncDialog360, server: FakeServer):
        super().__init__(client)
        self.server = server

    # -- what the fake server saw --

    def routes(self) -> list[str]:
        return [request.route for request in self.server.requests]

    def count(self, route: str) -> int:
        return self.routes().count(route)


@pytest.fixture(params=CLIENT_KINDS)
def client_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
async def make_d360(server: FakeServer, client_kind: str) -> AsyncIterator[Callable[..., D360]]:
    """`make_d360(**options)`: a client of this test's kind on the fake server, closed after."""
    made: list[D360] = []

    def make(**options: Any) -> D360:
        options.setdefault("api_key", KEY)
        options.setdefault("base_url", server.base_url)
        harness = D360(client_of_kind(client_kind, **options), server)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        await harness.close()


@pytest.fixture
def d360(make_d360: Callable[..., D360]) -> D360:
    """A client with the default options (max_retries=2)."""
    return make_d360()


class Listener:
    """A plain TCP listener that records every connection and every byte sent to it.

    Stands where a redirect or a foreign media url points: a test asserts it saw nothing, so
    the API key never left the base URL's origin.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.sock = socket.create_server((host, port))
        self.sock.settimeout(0.02)  # how often the serving thread looks whether to stop
        self.host = host
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(0.5)
                try:
                    while data := conn.recv(65536):
                        self.received += data
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Callable[..., Listener]]:
    """`listener(host=..., port=...)`: a started Listener, closed after the test."""
    started: list[Listener] = []

    def start(host: str = "127.0.0.1", port: int = 0) -> Listener:
        item = Listener(host, port)
        started.append(item)
        return item

    yield start
    for item in started:
        item.close()


@pytest.fixture
def leftovers() -> Callable[[Path], list[str]]:
    """`leftovers(folder)`: every name in `folder` (a failed download must leave none)."""

    def names(folder: Path) -> list[str]:
        return sorted(entry.name for entry in folder.iterdir()) if folder.exists() else []

    return names
