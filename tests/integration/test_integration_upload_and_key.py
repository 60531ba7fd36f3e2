"""Uploads over real sockets (round trip, what is and is not retried), and where the API key
and the url's `hash` go: only to the base URL, never into a log line."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import random
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from dialog360 import (
    APIConnectionError,
    RateLimitError,
    ServerError,
    UnsupportedMediaError,
)
from dialog360.testing import FakeServer, Fault

PHOTO = random.Random(7).randbytes(300_000)


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "upload" / "photo.jpg"
    path.parent.mkdir()
    path.write_bytes(PHOTO)
    return path


def uploads(server: FakeServer) -> list[Any]:
    return [request for request in server.requests if request.route == "upload_media"]


async def test_upload_round_trip(server: FakeServer, d360: Any, photo: Path, tmp_path: Path):
    uploaded = await d360.upload(photo)
    stored = server.media[uploaded.id]
    assert stored.mime_type == "image/jpeg"
    assert stored.filename == "photo.jpg"
    assert stored.data == PHOTO
    info = await d360.get(uploaded.id)
    assert info.sha256 == hashlib.sha256(PHOTO).hexdigest()
    assert info.file_size == len(PHOTO)
    path = await d360.download(uploaded.id, f"{tmp_path}/inbox/")  # a new folder
    assert path == tmp_path / "inbox" / f"{uploaded.id}.jpg"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == info.sha256
    (request,) = uploads(server)
    assert request.method == "POST" and request.path == "/media"
    assert request.body_size > len(PHOTO)


async def test_upload_of_bytes_with_a_type(server: FakeServer, d360: Any):
    uploaded = await d360.upload(b"hello, world\n", mime_type="text/plain", filename="note.txt")
    assert server.media[uploaded.id].data == b"hello, world\n"
    assert server.media[uploaded.id].mime_type == "text/plain"


async def test_upload_is_not_retried_on_500(server: FakeServer, d360: Any, photo: Path):
    server.inject("upload_media", Fault.status(500, times=3))
    with pytest.raises(ServerError):
        await d360.upload(photo)
    assert len(uploads(server)) == 1
    assert len(server.media) == 0


async def test_upload_is_not_retried_when_the_connection_closes_after_sending(
    server: FakeServer, d360: Any, photo: Path
):
    # The fake read the whole body before closing: the file may have been stored, so a retry
    # could store it twice. Only a connect error (nothing sent) is retried for POST /media.
    server.inject("upload_media", Fault.close_before(times=3))
    with pytest.raises(APIConnectionError):
        await d360.upload(photo)
    assert len(uploads(server)) == 1
    assert uploads(server)[0].body_size > len(PHOTO)


async def test_upload_is_retried_on_503_with_retry_after(
    server: FakeServer, d360: Any, photo: Path
):
    server.inject("upload_media", Fault.status(503, retry_after="1"))
    uploaded = await d360.upload(photo)
    assert server.media[uploaded.id].data == PHOTO  # the whole file was sent again
    first, second = uploads(server)
    assert first.body_size == second.body_size


async def test_upload_429_with_retry_after_is_retried_without_it_raised(
    server: FakeServer, d360: Any, photo: Path
):
    server.inject("upload_media", Fault.status(429, retry_after="1"))
    server.inject("upload_media", Fault.status(429))
    with pytest.raises(RateLimitError) as caught:
        await d360.upload(photo)
    assert caught.value.retry_after is None
    assert len(uploads(server)) == 2


async def test_upload_is_not_retried_on_503_without_retry_after(
    server: FakeServer, d360: Any, photo: Path
):
    server.inject("upload_media", Fault.status(503))
    with pytest.raises(ServerError):
        await d360.upload(photo)
    assert len(uploads(server)) == 1


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("photo.jpg", {"mime_type": "image/gif"}),
        ("archive.zip", {}),
        ("noextension", {}),
        ("sticker.webp", {}),  # over the 500 KB (animated) sticker limit
        ("photo.png", {"mime_type": "image/png"}),  # an empty file
    ],
)
async def test_unsupported_upload_raises_before_any_request(
    server: FakeServer, d360: Any, tmp_path: Path, name: str, options: dict[str, str]
):
    path = tmp_path / name
    path.write_bytes(b"" if name.endswith(".png") else PHOTO * 2)
    with pytest.raises(UnsupportedMediaError):
        await d360.upload(path, **options)
    assert server.requests == []


# -- sources that cannot be sent as they are --


@pytest.mark.parametrize("bad_source", ["None", "int", "StringIO", "text-file", "pipe", "fifo"])
async def test_bad_sources_are_typed_errors_and_send_nothing(
    server: FakeServer, d360: Any, tmp_path: Path, bad_source: str
):
    with contextlib.ExitStack() as stack:
        source: Any
        if bad_source == "None":
            source = None
        elif bad_source == "int":
            source = 123
        elif bad_source == "StringIO":
            source = io.StringIO("text")
        elif bad_source == "text-file":
            note = tmp_path / "note.txt"
            note.write_text("hello")
            source = stack.enter_context(open(note))
        elif bad_source == "pipe":
            read_end, write_end = os.pipe()
            os.write(write_end, PHOTO[:1000])
            os.close(write_end)
            source = stack.enter_context(open(read_end, "rb"))
        else:
            source = tmp_path / "fifo.jpg"
            os.mkfifo(source)
        with pytest.raises(UnsupportedMediaError) as caught:
            await d360.upload(source, mime_type="image/jpeg")
    assert isinstance(caught.value, ValueError)
    assert server.requests == []
    assert server.media == {}


@pytest.mark.parametrize("change", [+1000, -1000], ids=["grows", "shrinks"])
async def test_file_changing_size_mid_upload_is_never_stored(
    server: FakeServer, d360: Any, photo: Path, change: int
):
    def change_it(done: int, total: int | None) -> None:
        if done >= 64 * 1024 and os.path.getsize(photo) == len(PHOTO):
            if change > 0:
                with open(photo, "ab") as more:
                    more.write(b"+" * change)
            else:
                os.truncate(photo, len(PHOTO) + change)

    with pytest.raises(UnsupportedMediaError, match="changed size"):
        await d360.upload(photo, on_progress=change_it)
    assert server.media == {}  # the server got a broken-off request, never a whole file


async def test_on_progress_errors_pass_through_an_upload(
    server: FakeServer, d360: Any, photo: Path
):
    def give_up(done: int, total: int | None) -> None:
        raise KeyError("the caller's own bug")

    with pytest.raises(KeyError, match="the caller's own bug"):
        await d360.upload(photo, on_progress=give_up)
    assert server.media == {}


# -- the key and the url's hash --


async def test_key_goes_with_every_request_and_into_no_log_line(
    server: FakeServer,
    d360: Any,
    media_id: str,
    photo: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)
    server.inject("get_media", Fault.status(503))
    server.inject("attachments", Fault.close_mid_body(after_bytes=1000))
    server.inject("attachments", Fault.status(403))
    server.inject("upload_media", Fault.status(503, retry_after="0"))
    server.inject("delete_media", Fault.html(502))

    uploaded = await d360.upload(photo)
    await d360.get(uploaded.id)
    await d360.download(media_id, tmp_path)
    assert await d360.read(uploaded.id) == PHOTO
    await d360.delete(uploaded.id)
    server.inject("get_media", Fault.status(404))
    with pytest.raises(Exception, match="404"):
        await d360.get(media_id)

    requests = server.requests
    assert {r.route for r in requests} == {
        "get_media",
        "attachments",
        "upload_media",
        "delete_media",
    }
    for request in requests:
        assert request.headers.get_all("D360-API-KEY") == [server.api_key], request.route
        assert request.headers["Host"] == server.base_url.removeprefix("http://")
    hashes = [parse_qs(r.raw_query)["hash"][0] for r in requests if r.route == "attachments"]
    assert len(hashes) >= 3

    assert caplog.records, "the flow logs retries and requests at DEBUG"
    for record in caplog.records:
        line = record.getMessage()
        assert server.api_key not in line, record.name
        if record.name == "dialog360" or record.name.startswith("dialog360."):
            assert "hash=" not in line or "hash=…" in line, line
            for value in hashes:
                assert value not in line, line
    ours = [r for r in caplog.records if r.name == "dialog360"]
    assert any("retry" in r.getMessage() for r in ours)
    assert any("resuming" in r.getMessage() for r in ours)


async def test_key_is_not_in_errors_or_reprs(server: FakeServer, d360: Any, media_id: str):
    server.inject("get_media", Fault.status(401, body='{"error":"Invalid API key"}'))
    with pytest.raises(Exception) as caught:
        await d360.get(media_id)
    assert server.api_key not in str(caught.value)
    assert server.api_key not in repr(caught.value)
    assert server.api_key not in repr(d360.client)
    assert server.api_key not in repr(d360.client.api)
    assert server.api_key not in repr(server.requests)
