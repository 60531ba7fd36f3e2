"""AsyncDialog360 on the aiohttp engine, end to end against the fake server on loopback.

The client is built with `transport=AiohttpTransport(...)`: the retry transport wraps it, so
generated calls and downloads both run on aiohttp. What matters here is that the wrapper's
promises hold on it: retries and Retry-After, Range resume after a drop mid-body, the idle
timeout, redirects refused, an upload never sent twice, cancellation cleanup, no socket left.
The waits that take real time (Retry-After, the idle timeout, a stall resumed) run on this
engine in the suites parametrized by client kind (`async-aiohttp`), not again here.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from dialog360 import (
    APIConnectionError,
    APITimeoutError,
    AsyncDialog360,
    ServerError,
    UnsafeMediaURLError,
)
from dialog360._aiohttp_engine import AiohttpTransport
from dialog360.testing import FakeServer, Fault
from twins import open_sockets

KEY = "engine-K3y-5ecr3t-77a1c0de"
PHOTO = random.Random(11).randbytes(400_000)


def engine(**limits: Any) -> AiohttpTransport:
    return AiohttpTransport(limits=httpx.Limits(**limits) if limits else None)


@pytest.fixture
async def make_client(server: FakeServer) -> AsyncIterator[Callable[..., AsyncDialog360]]:
    made: list[AsyncDialog360] = []

    def make(**options: Any) -> AsyncDialog360:
        options.setdefault("transport", engine())
        client = AsyncDialog360(server.api_key, base_url=server.base_url, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()


@pytest.fixture
def client(make_client: Callable[..., AsyncDialog360]) -> AsyncDialog360:
    return make_client()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def routes(server: FakeServer, route: str) -> list[Any]:
    return [request for request in server.requests if request.route == route]


# -- the round trip ---------------------------------------------------------------------------


async def test_get_read_download_upload(
    server: FakeServer, client: AsyncDialog360, media_id: str, tmp_path: Path
) -> None:
    info = await client.media.get(media_id)
    assert info.sha256 == server.media[media_id].sha256
    assert await client.media.read(media_id) == server.media[media_id].data
    path = await client.media.download(media_id, tmp_path)
    assert sha256_of(path) == info.sha256
    source = tmp_path / "up" / "photo.jpg"
    source.parent.mkdir()
    source.write_bytes(PHOTO)
    uploaded = await client.media.upload(source)
    assert server.media[uploaded.id].data == PHOTO
    assert server.media[uploaded.id].filename == "photo.jpg"
    # The key went with every request; aiohttp added no header of its own.
    for request in server.requests:
        assert request.headers["D360-API-KEY"] == server.api_key
        assert request.headers["User-Agent"].startswith("dialog360/")


# -- resume, retries ---------------------------------------------------------------------------


async def test_drop_mid_body_resumes_with_range(
    server: FakeServer, client: AsyncDialog360, media_id: str, tmp_path: Path
) -> None:
    server.inject("attachments", Fault.close_mid_body(after_bytes=100_000))
    server.inject("attachments", Fault.close_mid_body(after_bytes=150_000))
    path = await client.media.download(media_id, tmp_path)
    assert sha256_of(path) == server.media[media_id].sha256
    ranges = [request.headers.get("range") for request in routes(server, "attachments")]
    assert ranges == [None, "bytes=100000-", "bytes=250000-"]
    assert sorted(entry.name for entry in tmp_path.iterdir()) == [path.name]


async def test_drop_of_a_stream_resumes_too(
    server: FakeServer, client: AsyncDialog360, media_id: str
) -> None:
    server.inject("attachments", Fault.close_mid_body(after_bytes=12_345))
    async with client.media.stream(media_id) as media:
        data = b"".join([chunk async for chunk in media.iter_bytes()])
    assert data == server.media[media_id].data


async def test_more_drops_than_retries_is_a_connection_error(
    server: FakeServer,
    make_client: Callable[..., AsyncDialog360],
    media_id: str,
    tmp_path: Path,
    leftovers: Callable[[Path], list[str]],
) -> None:
    client = make_client(max_retries=1)
    server.inject("attachments", Fault.close_mid_body(after_bytes=50_000, times=2))
    with pytest.raises(APIConnectionError) as caught:
        await client.media.download(media_id, tmp_path)
    assert not isinstance(caught.value, APITimeoutError)
    assert len(routes(server, "attachments")) == 2
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "fault",
    [Fault.status(503), Fault.html(502), Fault.close_before()],
    ids=["503", "html-502", "closed-before-answering"],
)
async def test_get_is_retried(
    server: FakeServer, client: AsyncDialog360, media_id: str, fault: Fault
) -> None:
    server.inject("get_media", fault)
    assert (await client.media.get(media_id)).id == media_id
    assert len(routes(server, "get_media")) == 2


async def test_upload_is_retried_on_503_with_retry_after(
    server: FakeServer, client: AsyncDialog360
) -> None:
    server.inject("upload_media", Fault.status(503, retry_after="1"))
    uploaded = await client.media.upload(PHOTO, mime_type="image/jpeg")
    assert server.media[uploaded.id].data == PHOTO  # the whole body went again
    first, second = routes(server, "upload_media")
    assert first.body_size == second.body_size > len(PHOTO)


async def test_upload_is_not_sent_twice_when_the_server_hangs_up_after_it(
    server: FakeServer, client: AsyncDialog360
) -> None:
    """httpx-aiohttp 0.2.0 reported this as ConnectTimeout ("never sent"), so it was retried."""
    server.inject("upload_media", Fault.close_before(times=3))
    with pytest.raises(APIConnectionError):
        await client.media.upload(PHOTO, mime_type="image/jpeg")
    (request,) = routes(server, "upload_media")
    assert request.body_size > len(PHOTO)


async def test_upload_is_not_retried_on_500(server: FakeServer, client: AsyncDialog360) -> None:
    server.inject("upload_media", Fault.status(500, times=3))
    with pytest.raises(ServerError):
        await client.media.upload(PHOTO, mime_type="image/jpeg")
    assert len(routes(server, "upload_media")) == 1


async def test_refused_connection_is_retried_then_raised(tmp_path: Path) -> None:
    unused = FakeServer(api_key=KEY).start()
    base_url = unused.base_url
    unused.stop()  # nothing listens on that port any more
    async with AsyncDialog360(KEY, base_url=base_url, transport=engine()) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.media.get("123")
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


# -- timeouts ----------------------------------------------------------------------------------


# -- the key stays home ------------------------------------------------------------------------


async def test_redirect_is_refused_and_not_followed(
    server: FakeServer,
    client: AsyncDialog360,
    media_id: str,
    tmp_path: Path,
    listener: Callable[..., Any],
    leftovers: Callable[[Path], list[str]],
) -> None:
    elsewhere = listener()
    server.inject(
        "attachments",
        Fault.redirect(location=f"{elsewhere.origin}/whatsapp_business/attachments/?mid=1"),
    )
    with pytest.raises(UnsafeMediaURLError):
        await client.media.download(media_id, tmp_path)
    assert len(routes(server, "attachments")) == 1
    assert elsewhere.connections == 0
    assert leftovers(tmp_path) == []


async def test_media_url_query_is_sent_byte_for_byte(
    server: FakeServer, client: AsyncDialog360, media_id: str
) -> None:
    # The signed query must reach the server unchanged (aiohttp would requote it by default).
    server.inject(
        "get_media",
        Fault.foreign_url(url=server.base_url + "/whatsapp_business/attachments/?{query}&x=%7E~+"),
    )
    assert await client.media.read(media_id) == server.media[media_id].data
    (request,) = routes(server, "attachments")
    assert request.raw_query.endswith("&x=%7E~+")


# -- cleanup -----------------------------------------------------------------------------------


async def test_cancelled_download_leaves_nothing_and_frees_its_connection(
    server: FakeServer,
    make_client: Callable[..., AsyncDialog360],
    media_id: str,
    tmp_path: Path,
    leftovers: Callable[[Path], list[str]],
) -> None:
    client = make_client(transport=engine(max_connections=1), timeout=10)
    server.inject("attachments", Fault.delay(30, stall_mid_body=True))
    task = asyncio.create_task(client.media.download(media_id, tmp_path / "in"))
    while not routes(server, "attachments"):
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)  # let the first half of the body arrive
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert leftovers(tmp_path / "in") == []
    # With one connection allowed, this works only if the cancelled one was given back.
    assert await client.media.read(media_id) == server.media[media_id].data


async def test_many_downloads_at_once_within_the_connection_limit(
    server: FakeServer, make_client: Callable[..., AsyncDialog360], tmp_path: Path
) -> None:
    ids = [
        server.add_media(bytes([n]) * (30_000 + 997 * n), mime_type="audio/ogg") for n in range(24)
    ]
    server.inject("attachments", Fault.close_mid_body(after_bytes=5_000, times=3))
    client = make_client(transport=engine(max_connections=4))
    paths = await asyncio.gather(*(client.media.download(i, tmp_path) for i in ids))
    for media_id, path in zip(ids, paths, strict=True):
        assert sha256_of(path) == server.media[media_id].sha256


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
async def test_no_socket_is_left_after_close(tmp_path: Path) -> None:
    with FakeServer(api_key=KEY) as fake:
        ids = [fake.add_media(bytes([n]) * 50_000, mime_type="audio/ogg") for n in range(16)]
        fake.inject("attachments", Fault.close_mid_body(times=2))
        fake.inject("get_media", Fault.close_before())
        before = open_sockets()
        async with AsyncDialog360(KEY, base_url=fake.base_url, transport=engine()) as client:
            await asyncio.gather(*(client.media.download(i, tmp_path) for i in ids))
            during = open_sockets() - before
        assert during  # connections were open: the check below is not vacuous
    assert open_sockets() - before == set()
