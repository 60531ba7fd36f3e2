"""download/read/stream: where the bytes come from, verification, files, refresh and resume."""

from __future__ import annotations

import gzip
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dialog360 import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    IntegrityError,
    InvalidMediaIdError,
    MediaDownloadError,
    PermissionDeniedError,
    UnsafeMediaURLError,
)
from dialog360._constants import MEDIA_BYTES_EXTENSION
from dialog360_api.models import MediaUrlResponse

JPEG = b"\xff\xd8\xff\xe0" + b"fake jpeg body " * 100


# -- where the bytes are fetched ------------------------------------------------------------


async def test_lookaside_url_is_fetched_from_base_host_byte_for_byte(
    d360: Any, server: Any
) -> None:
    server.add_media(JPEG, url=server.lookaside)
    assert await d360.read(server.media_id) == JPEG
    (request,) = server.bytes_requests()
    assert request.url.scheme == "https"
    assert request.url.host == server.host
    assert request.url.raw_path == (
        b"/whatsapp_business/attachments/?mid=1&ext=1764230400&hash=AT%2Bx-_y&source=getMedia"
    )
    assert request.headers["Accept-Encoding"] == "identity"
    assert request.headers["D360-API-KEY"] == server.key
    assert all(r.url.host == server.host for r in server.requests())


async def test_base_host_url_and_trusted_host_are_accepted(make_d360: Any, server: Any) -> None:
    d360 = make_d360(trusted_media_hosts=["media.example.net"])
    url = "https://media.example.net/whatsapp_business/attachments/?mid=7&hash=abc"
    server.add_media(JPEG, url=url)
    assert await d360.read(server.media_id) == JPEG
    (request,) = server.bytes_requests()
    assert request.url.host == server.host  # fetched from the base URL, never the other host
    assert request.url.raw_path == b"/whatsapp_business/attachments/?mid=7&hash=abc"


UNSAFE_URLS = [
    "https://evil.example.com/whatsapp_business/attachments/?mid=1&hash=x",
    "https://lookaside.fbsbx.com.evil.example.com/whatsapp_business/attachments/?mid=1",
    "https://lookaside.fbsbx.com/whatsapp_business/other/?mid=1",
    "https://lookaside.fbsbx.com/whatsapp_business/attachments/x?mid=1",
    "https://lookaside.fbsbx.com/?mid=1",
    "http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
    "ftp://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
    "file:///etc/passwd",
    "https://user:pw@lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
    "not a url at all",
    "",
]


@pytest.mark.parametrize("url", UNSAFE_URLS)
async def test_unsafe_media_url_is_refused_without_request(
    d360: Any, server: Any, tmp_path: Path, url: str
) -> None:
    server.add_meta(server.meta(JPEG, url=url))
    with pytest.raises(UnsafeMediaURLError) as info:
        await d360.download(server.media_id, tmp_path)
    assert server.bytes_requests() == []
    assert [r.url.host for r in server.requests()] == [server.host]  # only GET /{id}
    assert list(tmp_path.iterdir()) == []
    server.assert_no_secret(info.value)


@pytest.mark.parametrize("op", ["read", "stream"])
async def test_foreign_host_refused_by_read_and_stream(d360: Any, server: Any, op: str) -> None:
    url = "https://evil.example.com/whatsapp_business/attachments/?mid=1"
    server.add_meta(server.meta(JPEG, url=url))
    with pytest.raises(UnsafeMediaURLError):
        await getattr(d360, op)(server.media_id)
    assert all(r.url.host == server.host for r in server.requests())
    assert server.bytes_requests() == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_on_the_bytes_is_refused(
    d360: Any, server: Any, tmp_path: Path, status: int
) -> None:
    server.add_meta(server.meta(JPEG))
    server.add_bytes(status_code=status, headers={"Location": "https://evil.example.com/steal"})
    with pytest.raises(UnsafeMediaURLError, match=r"evil\.example\.com"):
        await d360.download(server.media_id, tmp_path)
    assert len(server.bytes_requests()) == 1
    assert all(r.url.host == server.host for r in server.requests())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("location", ["http://[::1", "http://xn--a.com/"])
async def test_redirect_to_an_unparseable_location_is_refused_at_once(
    d360: Any, server: Any, tmp_path: Path, location: str
) -> None:
    # httpx parses Location even with redirects off; that failure is no dropped connection.
    server.add_meta(server.meta(JPEG))
    server.add_bytes(status_code=302, headers={"Location": location})
    with pytest.raises(UnsafeMediaURLError, match="invalid location"):
        await d360.download(server.media_id, tmp_path)
    assert len(server.bytes_requests()) == 1  # not retried as a resume
    assert list(tmp_path.iterdir()) == []


# -- verification ---------------------------------------------------------------------------


async def test_sha256_mismatch_leaves_nothing(d360: Any, server: Any, tmp_path: Path) -> None:
    meta = server.meta(JPEG, sha256=server.sha256_hex(b"other bytes"))
    server.add_meta(meta)
    server.add_bytes(JPEG)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with pytest.raises(IntegrityError) as info:
        await d360.download(server.media_id, inbox)
    assert info.value.expected == meta["sha256"]
    assert info.value.actual == server.sha256_hex(JPEG)
    assert list(inbox.iterdir()) == []


async def test_short_body_is_a_size_mismatch(d360: Any, server: Any, tmp_path: Path) -> None:
    meta = server.add_media(JPEG[:-10], file_size=len(JPEG), sha256=server.sha256_hex(JPEG))
    with pytest.raises(IntegrityError) as info:
        await d360.download(server.media_id, tmp_path)
    assert info.value.expected == meta["file_size"]
    assert info.value.actual == len(JPEG) - 10
    assert list(tmp_path.iterdir()) == []


async def test_long_body_is_a_size_mismatch(d360: Any, server: Any, tmp_path: Path) -> None:
    meta = server.meta(JPEG[:-10])
    server.add_meta(meta)
    server.add_bytes(JPEG)
    target = tmp_path / "photo.jpg"
    with pytest.raises(IntegrityError) as info:
        await d360.download(server.media_id, target)
    assert info.value.expected == meta["file_size"]
    assert isinstance(info.value.actual, int)
    assert info.value.actual > meta["file_size"]
    assert list(tmp_path.iterdir()) == []


async def test_read_verifies(d360: Any, server: Any) -> None:
    server.add_meta(server.meta(JPEG, sha256=server.sha256_hex(b"other")))
    server.add_bytes(JPEG)
    with pytest.raises(IntegrityError):
        await d360.read(server.media_id)


async def test_stream_yields_then_raises_at_the_end_on_mismatch(d360: Any, server: Any) -> None:
    server.add_meta(server.meta(JPEG, sha256=server.sha256_hex(b"other")))
    server.add_bytes(JPEG)
    received: list[bytes] = []
    with pytest.raises(IntegrityError):
        await d360.stream(server.media_id, into=received)
    assert b"".join(received) == JPEG  # every byte came, then the check at the end failed


async def test_stream_info_is_the_metadata(d360: Any, server: Any) -> None:
    meta = server.add_media(JPEG)
    info, data = await d360.stream(server.media_id)
    assert isinstance(info, MediaUrlResponse)
    assert (info.sha256, info.file_size, info.mime_type) == (
        meta["sha256"],
        meta["file_size"],
        meta["mime_type"],
    )
    assert data == JPEG


async def test_uppercase_sha256_in_metadata_is_accepted(d360: Any, server: Any) -> None:
    server.add_media(JPEG, sha256=server.sha256_hex(JPEG).upper())
    assert await d360.read(server.media_id) == JPEG


@pytest.mark.parametrize("op", ["download", "read", "stream"])
async def test_too_large_media_fails_before_any_byte(
    make_d360: Any, server: Any, tmp_path: Path, op: str
) -> None:
    d360 = make_d360(max_download_bytes=1000)
    server.add_meta(server.meta(b"x" * 1001))
    with pytest.raises(MediaDownloadError, match="1000"):
        if op == "download":
            await d360.download(server.media_id, tmp_path)
        else:
            await getattr(d360, op)(server.media_id)
    assert server.bytes_requests() == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("bad", "field"),
    [({"sha256": "abc"}, "sha256"), ({"sha256": ""}, "sha256"), ({"file_size": -1}, "file_size")],
)
async def test_metadata_without_usable_checksum_is_refused(
    d360: Any, server: Any, bad: dict[str, Any], field: str
) -> None:
    server.add_meta(server.meta(JPEG, **bad))
    with pytest.raises(APIError, match=field):
        await d360.read(server.media_id)
    assert server.bytes_requests() == []


# -- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mime_type", "name"),
    [
        ("image/jpeg", f"{'1234567890'}.jpg"),
        ("audio/ogg; codecs=opus", "1234567890.ogg"),
        ("application/pdf", "1234567890.pdf"),
        ("application/x-unknown", "1234567890.bin"),
        ("../../../etc/passwd", "1234567890.bin"),
    ],
)
async def test_folder_destination_names_file_by_id_and_type(
    d360: Any, server: Any, tmp_path: Path, mime_type: str, name: str
) -> None:
    server.add_media(JPEG, mime_type=mime_type)
    path = await d360.download(server.media_id, tmp_path)
    assert path == tmp_path / name
    assert path.read_bytes() == JPEG
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


async def test_missing_folder_with_trailing_slash_is_created(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_media(JPEG)
    path = await d360.download(server.media_id, f"{tmp_path}/new/inbox/")
    assert path == tmp_path / "new" / "inbox" / f"{server.media_id}.jpg"
    assert path.read_bytes() == JPEG


async def test_explicit_file_path(d360: Any, server: Any, tmp_path: Path) -> None:
    server.add_media(JPEG)
    target = tmp_path / "picture.jpeg"
    assert await d360.download(server.media_id, target) == target
    assert target.read_bytes() == JPEG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["picture.jpeg"]


async def test_existing_explicit_file_is_not_overwritten(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_meta(server.meta(JPEG), is_optional=True)
    target = tmp_path / "photo.jpg"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        await d360.download(server.media_id, target)
    assert target.read_bytes() == b"precious"
    assert server.bytes_requests() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


async def test_existing_file_in_folder_is_not_overwritten(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_meta(server.meta(JPEG))
    existing = tmp_path / f"{server.media_id}.jpg"
    existing.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        await d360.download(server.media_id, tmp_path)
    assert existing.read_bytes() == b"precious"
    assert server.bytes_requests() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing.name]


@pytest.mark.parametrize("folder", [False, True])
async def test_overwrite_replaces_existing_file(
    d360: Any, server: Any, tmp_path: Path, folder: bool
) -> None:
    server.add_media(JPEG)
    existing = tmp_path / f"{server.media_id}.jpg"
    existing.write_bytes(b"old")
    path = await d360.download(server.media_id, tmp_path if folder else existing, overwrite=True)
    assert path == existing
    assert existing.read_bytes() == JPEG
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing.name]


async def test_on_progress_reports_done_and_total(d360: Any, server: Any, tmp_path: Path) -> None:
    content = server.sample_bytes(600_000)
    server.add_media(content)
    progress: list[tuple[int, int | None]] = []
    await d360.download(
        server.media_id, tmp_path, on_progress=lambda done, total: progress.append((done, total))
    )
    assert progress[-1] == (len(content), len(content))
    assert all(total == len(content) for _, total in progress)
    dones = [done for done, _ in progress]
    assert dones == sorted(dones)
    assert len(progress) >= 2


# -- expired urls ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403, 404, 410])
async def test_expired_url_is_refreshed_once(
    d360: Any, server: Any, tmp_path: Path, status: int
) -> None:
    old = server.meta(JPEG, url=server.lookaside.replace("hash=", "hash=old"))
    new = server.meta(JPEG, url=server.lookaside.replace("hash=", "hash=new"))
    server.add_meta(old)
    server.add_bytes(status_code=status, json={"error": "URL signature expired"})
    server.add_meta(new)
    server.add_bytes(JPEG)
    path = await d360.download(server.media_id, tmp_path)
    assert path.read_bytes() == JPEG
    assert len(server.meta_requests()) == 2
    first, second = server.bytes_requests()
    assert b"hash=old" in first.url.raw_path
    assert b"hash=new" in second.url.raw_path


async def test_second_403_after_refresh_raises(d360: Any, server: Any, tmp_path: Path) -> None:
    server.add_meta(server.meta(JPEG))
    server.add_bytes(status_code=403, json={"error": "expired"})
    server.add_meta(server.meta(JPEG))
    server.add_bytes(status_code=403, json={"error": "forbidden"})
    with pytest.raises(PermissionDeniedError) as info:
        await d360.download(server.media_id, tmp_path)
    assert info.value.status_code == 403
    assert len(server.requests()) == 4
    assert list(tmp_path.iterdir()) == []
    server.assert_no_secret(info.value, server.hash)


async def test_media_changed_on_refresh_is_a_download_error(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_meta(server.meta(JPEG))
    server.add_bytes(status_code=403, json={"error": "expired"})
    server.add_meta(server.meta(JPEG, sha256=server.sha256_hex(b"different media")))
    with pytest.raises(MediaDownloadError, match="changed"):
        await d360.download(server.media_id, tmp_path)
    assert len(server.bytes_requests()) == 1
    assert list(tmp_path.iterdir()) == []


async def test_400_on_the_bytes_is_not_refreshed(d360: Any, server: Any) -> None:
    server.add_meta(server.meta(JPEG))
    server.add_bytes(status_code=400, json={"error": "bad"})
    with pytest.raises(Exception) as info:
        await d360.read(server.media_id)
    assert getattr(info.value, "status_code", None) == 400
    assert len(server.requests()) == 2


# -- connection drops mid-body --------------------------------------------------------------

BIG = b"".join(bytes([i]) * 1000 for i in range(256)) * 3  # 768,000 bytes
SENT_BEFORE_DROP = 600_000


def _range_answer(content: bytes, seen: list[str]) -> Any:
    """A callback answering `Range: bytes=N-` with a 206 for the rest."""

    def answer(request: httpx.Request) -> httpx.Response:
        header = request.headers.get("Range", "")
        seen.append(header)
        match = re.fullmatch(r"bytes=(\d+)-", header)
        assert match, header
        start = int(match.group(1))
        return httpx.Response(
            206,
            headers={
                "Content-Type": "image/jpeg",
                "Content-Range": f"bytes {start}-{len(content) - 1}/{len(content)}",
            },
            content=content[start:],
        )

    return answer


async def test_drop_mid_body_resumes_with_range(d360: Any, server: Any, tmp_path: Path) -> None:
    server.add_meta(server.meta(BIG))
    server.add_bytes(stream=server.DroppingStream(BIG[:SENT_BEFORE_DROP]))
    ranges: list[str] = []
    server.mock.add_callback(_range_answer(BIG, ranges), method="GET", url=server.attachments)
    path = await d360.download(server.media_id, tmp_path)
    assert path.read_bytes() == BIG
    (header,) = ranges
    start = int(header.removeprefix("bytes=").removesuffix("-"))
    assert 0 < start <= SENT_BEFORE_DROP
    first, second = server.bytes_requests()
    assert "Range" not in first.headers
    assert second.headers["Accept-Encoding"] == "identity"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


async def test_server_ignoring_range_still_gives_the_right_file(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_meta(server.meta(BIG))
    server.add_bytes(stream=server.DroppingStream(BIG[:SENT_BEFORE_DROP]))
    server.add_bytes(BIG)  # 200 with the whole body, Range ignored
    path = await d360.download(server.media_id, tmp_path)
    assert path.read_bytes() == BIG
    assert "Range" in server.bytes_requests()[1].headers


async def test_read_and_stream_resume_too(d360: Any, server: Any) -> None:
    for _ in range(2):
        server.add_meta(server.meta(BIG))
        server.add_bytes(stream=server.DroppingStream(BIG[:SENT_BEFORE_DROP]))
        server.mock.add_callback(_range_answer(BIG, []), method="GET", url=server.attachments)
    assert await d360.read(server.media_id) == BIG
    _, data = await d360.stream(server.media_id)
    assert data == BIG


async def test_resume_with_wrong_content_range_fails_cleanly(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_meta(server.meta(BIG))
    server.add_bytes(stream=server.DroppingStream(BIG[:SENT_BEFORE_DROP]))
    server.add_bytes(
        BIG[10:], status_code=206, headers={"Content-Range": f"bytes 10-{len(BIG) - 1}/{len(BIG)}"}
    )
    with pytest.raises(MediaDownloadError):
        await d360.download(server.media_id, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (httpx.RemoteProtocolError("peer closed connection"), APIConnectionError),
        (httpx.ReadTimeout("read timed out"), APITimeoutError),
    ],
    ids=["drop", "idle-timeout"],
)
async def test_drops_beyond_max_retries_fail_and_leave_nothing(
    make_d360: Any, server: Any, tmp_path: Path, error: Exception, raised: type[Exception]
) -> None:
    d360 = make_d360(max_retries=2)
    server.add_meta(server.meta(BIG))
    for _ in range(3):
        server.add_bytes(stream=server.DroppingStream(BIG[:SENT_BEFORE_DROP], error=error))
    with pytest.raises(raised) as info:
        await d360.download(server.media_id, tmp_path)
    assert len(server.bytes_requests()) == 3
    assert list(tmp_path.iterdir()) == []
    server.assert_no_secret(info.value, server.hash)


async def test_max_retries_zero_means_no_resume(make_d360: Any, server: Any) -> None:
    d360 = make_d360(max_retries=0)
    server.add_meta(server.meta(BIG))
    server.add_bytes(stream=server.DroppingStream(BIG[:SENT_BEFORE_DROP]))
    with pytest.raises(APIConnectionError):
        await d360.read(server.media_id)
    assert len(server.bytes_requests()) == 1


async def test_503_on_the_bytes_is_retried_by_the_transport(d360: Any, server: Any) -> None:
    server.add_meta(server.meta(JPEG))
    server.add_bytes(status_code=503, json={"error": "busy"})
    server.add_bytes(JPEG)
    assert await d360.read(server.media_id) == JPEG
    assert len(server.bytes_requests()) == 2
    assert len(server.meta_requests()) == 1


# httpx's own error from the callback is still the caller's: not a dropped connection to resume.
@pytest.mark.parametrize("error", [RuntimeError("consumer gave up"), httpx.ReadError("mine")])
async def test_failure_in_on_progress_leaves_nothing(
    d360: Any, server: Any, tmp_path: Path, error: Exception
) -> None:
    server.add_media(BIG)

    def stop(done: int, total: int | None) -> None:
        if done > 0:
            raise error

    with pytest.raises(type(error)) as info:
        await d360.download(server.media_id, tmp_path, on_progress=stop)
    assert info.value is error
    assert list(tmp_path.iterdir()) == []
    assert len(server.bytes_requests()) == 1


# -- metadata the caller already holds ------------------------------------------------------


async def test_metadata_from_get_saves_the_metadata_request(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_media(JPEG, url=server.lookaside)
    server.add_bytes(JPEG)
    server.add_bytes(JPEG)
    info = await d360.get(server.media_id)
    path = await d360.download(info, tmp_path)
    assert path.read_bytes() == JPEG
    assert await d360.read(info) == JPEG
    _, streamed = await d360.stream(info)
    assert streamed == JPEG
    assert len(server.meta_requests()) == 1  # only the get() above
    assert len(server.bytes_requests()) == 3


async def test_metadata_with_an_invalid_id_sends_nothing(d360: Any, server: Any) -> None:
    info = MediaUrlResponse.from_dict(server.meta(JPEG, url=server.lookaside) | {"id": "12a"})
    with pytest.raises(InvalidMediaIdError):
        await d360.read(info)
    assert server.requests() == []


# -- media bytes are read raw ---------------------------------------------------------------


class WatchedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that records whether anyone read from it."""

    def __init__(self, data: bytes):
        self.data = data
        self.read_from = False

    def __iter__(self) -> Iterator[bytes]:
        self.read_from = True
        yield self.data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.read_from = True
        yield self.data


NOT_GZIP = b"this is not gzip at all"
BOMB = gzip.compress(b"\0" * 10_000_000)  # 10 MB once decoded


@pytest.mark.parametrize(
    ("coding", "body"),
    [
        ("gzip", BOMB),
        ("gzip", NOT_GZIP),
        ("gzip, gzip", gzip.compress(BOMB)),
        ("br", NOT_GZIP),
        ("deflate", NOT_GZIP),
        ("zstd", NOT_GZIP),
        ("x-unknown", NOT_GZIP),
        ("GZIP", BOMB),
        ("identity, gzip", BOMB),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
@pytest.mark.parametrize("op", ["download", "read", "stream"])
async def test_content_coded_bytes_are_refused_unread(
    d360: Any, server: Any, tmp_path: Path, op: str, coding: str, body: bytes
) -> None:
    server.add_meta(server.meta(JPEG))
    stream = WatchedStream(body)
    server.add_bytes(stream=stream, headers={"Content-Encoding": coding})
    with pytest.raises(MediaDownloadError, match="compressed") as info:
        if op == "download":
            await d360.download(server.media_id, tmp_path)
        else:
            await getattr(d360, op)(server.media_id)
    assert type(info.value) is MediaDownloadError
    assert not stream.read_from
    assert len(server.bytes_requests()) == 1  # refused, not retried
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("coding", ["identity", "Identity", ""])
async def test_identity_coding_is_fine(d360: Any, server: Any, coding: str) -> None:
    server.add_meta(server.meta(JPEG))
    server.add_bytes(stream=WatchedStream(JPEG), headers={"Content-Encoding": coding})
    assert await d360.read(server.media_id) == JPEG


async def test_content_coding_on_a_resumed_answer_is_refused(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_meta(server.meta(BIG))
    server.add_bytes(stream=server.DroppingStream(BIG[:SENT_BEFORE_DROP]))
    server.add_bytes(
        stream=WatchedStream(gzip.compress(BIG)),
        status_code=206,
        headers={
            "Content-Encoding": "gzip",
            "Content-Range": f"bytes {SENT_BEFORE_DROP}-{len(BIG) - 1}/{len(BIG)}",
        },
    )
    with pytest.raises(MediaDownloadError, match="compressed"):
        await d360.download(server.media_id, tmp_path)
    assert list(tmp_path.iterdir()) == []


async def test_only_requests_for_media_bytes_carry_the_extension(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_media(JPEG)
    await d360.download(server.media_id, tmp_path)
    meta, media = server.requests()
    assert media.extensions.get(MEDIA_BYTES_EXTENSION) is True
    assert MEDIA_BYTES_EXTENSION not in meta.extensions
