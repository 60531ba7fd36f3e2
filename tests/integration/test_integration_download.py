"""Downloads over real sockets: resume with Range, url refresh, refused redirects and foreign
urls, integrity checks, read timeouts, and many downloads at once."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dialog360 import (
    APIConnectionError,
    APITimeoutError,
    AsyncDialog360,
    IntegrityError,
    PermissionDeniedError,
    UnsafeMediaURLError,
)
from dialog360.testing import FakeServer, Fault


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def attachment_requests(server: FakeServer) -> list[Any]:
    return [request for request in server.requests if request.route == "attachments"]


# -- resume with Range --


async def test_drop_mid_body_resumes_with_range(
    server: FakeServer, d360: Any, media_id: str, tmp_path: Path
):
    server.inject("attachments", Fault.close_mid_body(after_bytes=100_000))
    path = await d360.download(media_id, tmp_path)
    assert path == tmp_path / f"{media_id}.jpg"
    assert sha256_of(path) == server.media[media_id].sha256
    first, second = attachment_requests(server)
    assert "range" not in first.headers
    assert second.headers["Range"] == "bytes=100000-"
    assert second.raw_query == first.raw_query  # the same url, byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


async def test_two_drops_in_a_row_still_succeed(
    server: FakeServer, make_d360: Callable[..., Any], media_id: str, tmp_path: Path
):
    d360 = make_d360(max_retries=2)
    server.inject("attachments", Fault.close_mid_body(after_bytes=100_000))
    server.inject("attachments", Fault.close_mid_body(after_bytes=200_000))
    path = await d360.download(media_id, tmp_path)
    assert sha256_of(path) == server.media[media_id].sha256
    ranges = [r.headers.get("range") for r in attachment_requests(server)]
    assert ranges == [None, "bytes=100000-", "bytes=300000-"]


async def test_three_drops_with_max_retries_2_fail_cleanly(
    server: FakeServer,
    make_d360: Callable[..., Any],
    media_id: str,
    tmp_path: Path,
    leftovers: Callable[[Path], list[str]],
):
    d360 = make_d360(max_retries=2)
    server.inject("attachments", Fault.close_mid_body(after_bytes=50_000, times=3))
    with pytest.raises(APIConnectionError) as caught:
        await d360.download(media_id, tmp_path)
    assert not isinstance(caught.value, APITimeoutError)
    assert d360.count("attachments") == 3
    assert leftovers(tmp_path) == []


async def test_drop_of_a_read_resumes_too(server: FakeServer, d360: Any, media_id: str):
    server.inject("attachments", Fault.close_mid_body(after_bytes=12_345))
    assert await d360.read(media_id) == server.media[media_id].data
    assert attachment_requests(server)[1].headers["Range"] == "bytes=12345-"


# -- expired url: one refresh --


async def test_expired_url_is_refreshed_once_while_streaming(
    server: FakeServer, d360: Any, media_id: str
):
    _, data = await d360.stream(media_id, before_iterating=lambda: server.advance_clock(301))
    assert data == server.media[media_id].data
    assert d360.routes() == ["get_media", "attachments", "get_media", "attachments"]
    expired, fresh = attachment_requests(server)
    assert expired.raw_query != fresh.raw_query


async def test_refused_url_is_refreshed_once_when_downloading(
    server: FakeServer, d360: Any, media_id: str, tmp_path: Path
):
    server.inject("attachments", Fault.status(403))
    path = await d360.download(media_id, tmp_path)
    assert sha256_of(path) == server.media[media_id].sha256
    assert d360.routes() == ["get_media", "attachments", "get_media", "attachments"]


async def test_two_expirations_raise_permission_denied(
    server: FakeServer,
    d360: Any,
    media_id: str,
    tmp_path: Path,
    leftovers: Callable[[Path], list[str]],
):
    server.inject("attachments", Fault.status(403, times=2))
    with pytest.raises(PermissionDeniedError):
        await d360.download(media_id, tmp_path)
    assert d360.routes() == ["get_media", "attachments", "get_media", "attachments"]
    assert leftovers(tmp_path) == []


async def test_two_real_expirations_raise_permission_denied(
    server: FakeServer, d360: Any, media_id: str
):
    # The refreshed url has expired too by the time it is used (a clock far off, a slow client).

    def expire_everything() -> None:
        server.url_ttl = -1
        server.advance_clock(301)

    with pytest.raises(PermissionDeniedError):
        await d360.stream(media_id, before_iterating=expire_everything)
    assert d360.count("get_media") == 2


# -- the key stays home: redirects and foreign urls --


async def test_redirect_is_refused_and_not_followed(
    server: FakeServer,
    d360: Any,
    media_id: str,
    tmp_path: Path,
    listener: Callable[..., Any],
    leftovers: Callable[[Path], list[str]],
):
    elsewhere = listener()
    server.inject(
        "attachments",
        Fault.redirect(location=f"{elsewhere.origin}/whatsapp_business/attachments/?mid=1"),
    )
    with pytest.raises(UnsafeMediaURLError):
        await d360.download(media_id, tmp_path)
    assert d360.count("attachments") == 1  # neither retried nor followed
    assert elsewhere.connections == 0
    assert leftovers(tmp_path) == []


async def test_default_redirect_to_another_host_is_not_followed(
    server: FakeServer, d360: Any, media_id: str, listener: Callable[..., Any]
):
    # Fault.redirect()'s default Location is the same port on 127.0.0.2.
    elsewhere = listener("127.0.0.2", server.port)
    server.inject("attachments", Fault.redirect(status_code=307))
    with pytest.raises(UnsafeMediaURLError, match=r"127\.0\.0\.2"):
        await d360.read(media_id)
    assert elsewhere.connections == 0
    assert elsewhere.received == b""


@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.2:{port}/whatsapp_business/attachments/?{query}",
        "http://localhost:{port}/whatsapp_business/attachments/?{query}",
        "http://127.0.0.1@127.0.0.2:{port}/whatsapp_business/attachments/?{query}",
        "https://lookaside.fbsbx.com.127.0.0.2.nip.io/whatsapp_business/attachments/?{query}",
        "https://lookaside.fbsbx.com/whatsapp_business/other/?{query}",
        "ftp://127.0.0.1:{port}/whatsapp_business/attachments/?{query}",
        "https://127.0.0.1:{port}/whatsapp_business/attachments/?{query}#x",
        "https://user:pw@lookaside.fbsbx.com/whatsapp_business/attachments/?{query}",
    ],
)
async def test_foreign_media_url_is_refused(
    server: FakeServer,
    d360: Any,
    media_id: str,
    tmp_path: Path,
    listener: Callable[..., Any],
    leftovers: Callable[[Path], list[str]],
    template: str,
):
    # A listener on 127.0.0.2 for the urls that name it, so a leak would be seen, not refused.
    elsewhere = listener("127.0.0.2")
    server.inject(
        "get_media", Fault.foreign_url(url=template.replace("{port}", str(elsewhere.port)))
    )
    with pytest.raises(UnsafeMediaURLError):
        await d360.download(media_id, tmp_path)
    assert d360.routes() == ["get_media"]
    assert elsewhere.connections == 0
    assert leftovers(tmp_path) == []


async def test_media_url_on_the_base_host_is_fetched_from_the_base_origin(
    server: FakeServer, d360: Any, media_id: str, listener: Callable[..., Any]
):
    # The base URL's host is trusted and scheme+host+port are rewritten to the base URL's,
    # so a url naming another port of 127.0.0.1 is fetched from the fake, never there.
    elsewhere = listener()
    server.inject(
        "get_media",
        Fault.foreign_url(url=f"{elsewhere.origin}/whatsapp_business/attachments/?{{query}}"),
    )
    assert await d360.read(media_id) == server.media[media_id].data
    assert d360.routes() == ["get_media", "attachments"]
    assert elsewhere.connections == 0
    assert elsewhere.received == b""


# -- integrity --


@pytest.mark.parametrize(
    ("fault", "what"),
    [(Fault.truncate(), "size"), (Fault.corrupt(), "sha256")],
    ids=["truncate", "corrupt"],
)
async def test_bad_bytes_raise_integrity_error_and_leave_nothing(
    server: FakeServer,
    d360: Any,
    media_id: str,
    tmp_path: Path,
    leftovers: Callable[[Path], list[str]],
    fault: Fault,
    what: str,
):
    server.inject("attachments", fault)
    target = tmp_path / "inbox"
    with pytest.raises(IntegrityError, match=what) as caught:
        await d360.download(media_id, target / "photo.jpg")
    item = server.media[media_id]
    expected = item.file_size if what == "size" else item.sha256
    assert caught.value.expected == expected
    assert caught.value.actual != expected
    assert d360.count("attachments") == 1  # bad bytes are not downloaded again
    assert leftovers(target) == []


# -- read timeouts --


async def test_stalled_body_times_out(
    server: FakeServer,
    make_d360: Callable[..., Any],
    media_id: str,
    tmp_path: Path,
    leftovers: Callable[[Path], list[str]],
):
    d360 = make_d360(timeout=0.5, max_retries=0)
    server.inject("attachments", Fault.delay(5, stall_mid_body=True))
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        await d360.download(media_id, tmp_path)
    assert time.monotonic() - started < 4  # the idle timeout, not the stall, ended it
    assert leftovers(tmp_path) == []


async def test_one_stall_is_resumed(
    server: FakeServer, make_d360: Callable[..., Any], media_id: str, tmp_path: Path
):
    d360 = make_d360(timeout=0.5, max_retries=1)
    server.inject("attachments", Fault.delay(5, stall_mid_body=True, after_bytes=200_000))
    path = await d360.download(media_id, tmp_path)
    assert sha256_of(path) == server.media[media_id].sha256
    assert attachment_requests(server)[1].headers["Range"] == "bytes=200000-"


# -- many at once --


async def test_32_concurrent_async_downloads(server: FakeServer, tmp_path: Path):
    ids = [
        server.add_media(bytes([n]) * (20_000 + 997 * n), mime_type="audio/ogg") for n in range(32)
    ]
    server.inject("attachments", Fault.close_mid_body(after_bytes=5_000, times=3))
    async with AsyncDialog360(api_key=server.api_key, base_url=server.base_url) as client:
        paths = await asyncio.gather(*(client.media.download(i, tmp_path) for i in ids))
    assert [p.name for p in paths] == [f"{i}.ogg" for i in ids]
    for media_id, path in zip(ids, paths, strict=True):
        assert sha256_of(path) == server.media[media_id].sha256
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
