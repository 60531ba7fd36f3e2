"""Fixtures for the wrapper's unit tests: clients of both kinds, a mocked 360dialog, helpers.

Every client test runs twice, once with `Dialog360` and once with `AsyncDialog360`, through
`D360Harness`, which awaits the async client and calls the sync one directly. The HTTP side is
pytest-httpx: it patches httpx.HTTPTransport/AsyncHTTPTransport, which our RetryTransport wraps,
so every mocked answer goes through the real retry layer.

Helpers live here (as fixtures) rather than in an importable module: test modules reach them
through the `server` and `d360`/`make_d360` fixtures.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import AsyncIterator, Callable, Iterator
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import dialog360
import httpx
import pytest
from dialog360 import AsyncDialog360, Dialog360
from pytest_httpx import HTTPXMock
from twins import MediaTwin as D360Harness

KEY = "test-key-5ecr3t-9f3b7c2a"
BASE = "https://waba-v2.360dialog.io"
HOST = "waba-v2.360dialog.io"
MEDIA_ID = "1234567890"
HASH = "AT%2Bx-_y"
LOOKASIDE = (
    "https://lookaside.fbsbx.com/whatsapp_business/attachments/"
    f"?mid=1&ext=1764230400&hash={HASH}&source=getMedia"
)
ATTACHMENTS = re.compile(re.escape(f"{BASE}/whatsapp_business/attachments/") + r"(\?.*)?$")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sample_bytes(size: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(size)


class DroppingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that sends `data` in pieces, then breaks like a dropped connection."""

    def __init__(self, data: bytes, error: Exception | None = None, piece: int = 64 * 1024):
        self._data = data
        self._error = error or httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body"
        )
        self._piece = piece

    def _pieces(self) -> Iterator[bytes]:
        for start in range(0, len(self._data), self._piece):
            yield self._data[start : start + self._piece]

    def __iter__(self) -> Iterator[bytes]:
        yield from self._pieces()
        raise self._error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self._pieces():
            yield piece
        raise self._error


class MockServer:
    """360dialog as pytest-httpx answers: helpers to register and inspect requests."""

    key = KEY
    base = BASE
    host = HOST
    media_id = MEDIA_ID
    hash = HASH
    lookaside = LOOKASIDE
    attachments = ATTACHMENTS
    DroppingStream = DroppingStream
    sha256_hex = staticmethod(sha256_hex)
    sample_bytes = staticmethod(sample_bytes)

    def __init__(self, mock: HTTPXMock):
        self.mock = mock

    # -- registering answers ----------------------------------------------------------------
    def meta(
        self,
        content: bytes,
        *,
        media_id: str = MEDIA_ID,
        mime_type: str = "image/jpeg",
        url: str = LOOKASIDE,
        **overrides: Any,
    ) -> dict[str, Any]:
        """A realistic GET /{id} body for `content`."""
        body: dict[str, Any] = {
            "url": url,
            "mime_type": mime_type,
            "sha256": sha256_hex(content),
            "file_size": len(content),
            "id": media_id,
            "messaging_product": "whatsapp",
        }
        body.update(overrides)
        return body

    def add_meta(self, meta: dict[str, Any], **kwargs: Any) -> None:
        self.mock.add_response(method="GET", url=f"{BASE}/{meta['id']}", json=meta, **kwargs)

    def add_status(
        self,
        status: int,
        *,
        method: str = "GET",
        url: str | re.Pattern[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """An error status (JSON body `{"error": ...}` unless a body is given)."""
        if not any(k in kwargs for k in ("json", "html", "text", "content", "stream")):
            kwargs["json"] = {"error": f"status {status}"}
        self.mock.add_response(
            status_code=status, method=method, url=url or f"{BASE}/{MEDIA_ID}", **kwargs
        )

    def add_bytes(self, content: bytes = b"", **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"Content-Type": "image/jpeg"})
        if not any(k in kwargs for k in ("json", "html", "text", "stream")):
            kwargs["content"] = content
        self.mock.add_response(method="GET", url=ATTACHMENTS, **kwargs)

    def add_media(self, content: bytes, **meta_kwargs: Any) -> dict[str, Any]:
        """Metadata then bytes for one media file; returns the metadata."""
        meta = self.meta(content, **meta_kwargs)
        self.add_meta(meta)
        self.add_bytes(content, headers={"Content-Type": meta["mime_type"]})
        return meta

    # -- inspecting requests ----------------------------------------------------------------
    def requests(self) -> list[httpx.Request]:
        return self.mock.get_requests()

    def bytes_requests(self) -> list[httpx.Request]:
        return self.mock.get_requests(url=ATTACHMENTS)

    def meta_requests(self, media_id: str = MEDIA_ID) -> list[httpx.Request]:
        return self.mock.get_requests(url=f"{BASE}/{media_id}")

    def assert_key_only_sent_to_base(self) -> None:
        for request in self.requests():
            if request.url.host != HOST:
                assert "D360-API-KEY" not in request.headers, request.url

    # -- checks -----------------------------------------------------------------------------
    @staticmethod
    def assert_no_secret(exc: BaseException, *secrets: str) -> None:
        """The key (and any other given secret) in no str/repr/args along the cause chain."""
        seen: BaseException | None = exc
        visited: set[int] = set()
        while seen is not None and id(seen) not in visited:
            visited.add(id(seen))
            for secret in (KEY, *secrets):
                assert secret not in str(seen), seen
                assert secret not in repr(seen), seen
                assert all(secret not in str(arg) for arg in seen.args), seen
            seen = seen.__cause__ or seen.__context__

    @staticmethod
    def multipart(request: httpx.Request) -> dict[str, dict[str, Any]]:
        """The parts of a multipart request by field name: filename, content_type, data."""
        content_type = request.headers["Content-Type"].encode()
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type + b"\r\n\r\n" + request.content
        )
        parts: dict[str, dict[str, Any]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            assert isinstance(name, str)
            parts[name] = {
                "filename": part.get_filename(),
                "content_type": part.get_content_type() if part["Content-Type"] else None,
                "data": part.get_payload(decode=True),
            }
        return parts


@pytest.fixture(autouse=True)
def _no_retry_sleep(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Retries without waiting, and no D360_* variables leaking in from the environment."""
    monkeypatch.delenv("D360_API_KEY", raising=False)
    monkeypatch.delenv("D360_BASE_URL", raising=False)
    dialog360.set_retry_sleep(False)
    yield
    dialog360.set_retry_sleep(True)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client_class(kind: str) -> type[Dialog360] | type[AsyncDialog360]:
    return AsyncDialog360 if kind == "async" else Dialog360


@pytest.fixture
async def make_d360(
    client_class: type[Dialog360] | type[AsyncDialog360],
) -> AsyncIterator[Callable[..., D360Harness]]:
    """A factory of harnessed clients (`KEY`, `BASE`, any option), all closed afterwards."""
    made: list[D360Harness] = []

    def make(api_key: str | None = KEY, **options: Any) -> D360Harness:
        options.setdefault("base_url", BASE)
        harness = D360Harness(client_class(api_key, **options))
        made.append(harness)
        return harness

    yield make
    for harness in made:
        await harness.close()


@pytest.fixture
def d360(make_d360: Callable[..., D360Harness]) -> D360Harness:
    return make_d360()


@pytest.fixture
def server(httpx_mock: HTTPXMock) -> MockServer:
    return MockServer(httpx_mock)
