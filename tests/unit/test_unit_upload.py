"""upload(): checks before sending, the multipart it sends, its sources and progress."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from dialog360 import UnsupportedMediaError
from dialog360_api.models import UploadMediaResponse

JPEG = b"\xff\xd8\xff\xe0" + b"fake jpeg body " * 1000


def _ok(server: Any, media_id: str = "4490709327384033") -> None:
    server.mock.add_response(method="POST", url=f"{server.base}/media", json={"id": media_id})


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as file:
        file.truncate(size)
    return path


async def test_upload_path_sends_whatsapp_multipart(d360: Any, server: Any, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(JPEG)
    _ok(server)
    uploaded = await d360.upload(photo)
    assert isinstance(uploaded, UploadMediaResponse)
    assert uploaded.id == "4490709327384033"
    (request,) = server.requests()
    assert request.method == "POST"
    assert request.url == f"{server.base}/media"
    assert request.headers["D360-API-KEY"] == server.key
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    parts = server.multipart(request)
    assert parts["messaging_product"]["data"] == b"whatsapp"
    assert parts["type"]["data"] == b"image/jpeg"
    assert parts["file"]["filename"] == "photo.jpg"
    assert parts["file"]["content_type"] == "image/jpeg"
    assert parts["file"]["data"] == JPEG


async def test_upload_str_path_and_mime_guess(d360: Any, server: Any, tmp_path: Path) -> None:
    note = tmp_path / "voice.opus"
    note.write_bytes(b"OggS opus data")
    _ok(server)
    await d360.upload(str(note))
    parts = server.multipart(server.requests()[0])
    assert parts["type"]["data"] == b"audio/ogg"
    assert parts["file"]["content_type"] == "audio/ogg"
    assert parts["file"]["filename"] == "voice.opus"


async def test_upload_bytes_with_mime_type(d360: Any, server: Any) -> None:
    _ok(server)
    uploaded = await d360.upload(JPEG, mime_type="image/jpeg")
    assert uploaded.id == "4490709327384033"
    parts = server.multipart(server.requests()[0])
    assert parts["file"]["data"] == JPEG
    assert parts["type"]["data"] == b"image/jpeg"
    assert parts["file"]["content_type"] == "image/jpeg"


async def test_upload_bytes_with_filename(d360: Any, server: Any) -> None:
    _ok(server)
    await d360.upload(b"%PDF-1.7 ...", filename="invoice.pdf")
    parts = server.multipart(server.requests()[0])
    assert parts["file"]["filename"] == "invoice.pdf"
    assert parts["type"]["data"] == b"application/pdf"


async def test_upload_open_binary_file(d360: Any, server: Any, tmp_path: Path) -> None:
    photo = tmp_path / "scan.png"
    photo.write_bytes(b"\x89PNG" + b"p" * 5000)
    _ok(server)
    with open(photo, "rb") as file:
        await d360.upload(file)
    parts = server.multipart(server.requests()[0])
    assert parts["file"]["filename"] == "scan.png"
    assert parts["file"]["data"] == photo.read_bytes()
    assert parts["type"]["data"] == b"image/png"


async def test_upload_bytesio_with_mime_type(d360: Any, server: Any) -> None:
    _ok(server)
    await d360.upload(io.BytesIO(JPEG), mime_type="image/jpeg")
    assert server.multipart(server.requests()[0])["file"]["data"] == JPEG


async def test_mime_type_argument_is_normalized(d360: Any, server: Any) -> None:
    _ok(server)
    await d360.upload(b"OggS", mime_type="Audio/OGG; codecs=opus")
    assert server.multipart(server.requests()[0])["type"]["data"] == b"audio/ogg"


async def test_upload_progress_reaches_the_file_size(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    data = server.sample_bytes(700_000)
    video = tmp_path / "clip.mp4"
    video.write_bytes(data)
    _ok(server)
    progress: list[tuple[int, int | None]] = []
    await d360.upload(video, on_progress=lambda done, total: progress.append((done, total)))
    assert progress
    assert progress[-1] == (len(data), len(data))
    assert server.multipart(server.requests()[0])["file"]["data"] == data


async def test_oversized_image_refused_before_sending(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    big = _sparse(tmp_path / "big.jpg", 5 * 1024 * 1024 + 1)
    with pytest.raises(UnsupportedMediaError, match="image") as info:
        await d360.upload(big)
    assert isinstance(info.value, ValueError)
    assert server.requests() == []


async def test_image_at_the_limit_is_sent(d360: Any, server: Any, tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.jpg", 5 * 1024 * 1024)
    _ok(server)
    await d360.upload(big)
    assert len(server.requests()) == 1


async def test_oversized_sticker_refused(d360: Any, server: Any) -> None:
    with pytest.raises(UnsupportedMediaError):
        await d360.upload(b"R" * (500 * 1024 + 1), mime_type="image/webp")
    assert server.requests() == []


@pytest.mark.parametrize(
    ("source", "options"),
    [
        ("program.exe", {}),
        ("archive.zip", {}),
        ("photo.gif", {}),
        ("anything.bin", {"mime_type": "application/x-msdownload"}),
        ("photo.jpg", {"mime_type": "image/gif"}),
    ],
)
async def test_unsupported_type_refused_before_sending(
    d360: Any, server: Any, tmp_path: Path, source: str, options: dict[str, Any]
) -> None:
    path = tmp_path / source
    path.write_bytes(b"MZ\x90\x00 some content")
    with pytest.raises(UnsupportedMediaError):
        await d360.upload(path, **options)
    assert server.requests() == []


async def test_empty_file_refused(d360: Any, server: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(UnsupportedMediaError, match="empty"):
        await d360.upload(empty)
    with pytest.raises(UnsupportedMediaError):
        await d360.upload(b"", mime_type="image/jpeg")
    assert server.requests() == []


async def test_bytes_without_mime_type_refused(d360: Any, server: Any) -> None:
    with pytest.raises(UnsupportedMediaError, match="mime_type"):
        await d360.upload(JPEG)
    assert server.requests() == []


async def test_missing_file_raises_file_not_found(d360: Any, server: Any, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        await d360.upload(tmp_path / "nope.jpg")
    assert server.requests() == []


# -- sources that cannot be sent as they are ------------------------------------------------


def _typed_refusal(error: BaseException) -> None:
    assert isinstance(error, UnsupportedMediaError), repr(error)
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    "source",
    [None, 123, 1.5, object(), ["photo.jpg"], io.StringIO("text"), {"file": b"x"}],
    ids=["None", "int", "float", "object", "list", "StringIO", "dict"],
)
async def test_sources_that_are_no_file_are_refused_before_sending(
    d360: Any, server: Any, source: Any
) -> None:
    with pytest.raises(UnsupportedMediaError) as info:
        await d360.upload(source, mime_type="image/jpeg")
    _typed_refusal(info.value)
    assert server.requests() == []


async def test_text_mode_file_is_refused_before_sending(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("hello")
    with open(note) as text_file, pytest.raises(UnsupportedMediaError, match="binary"):
        await d360.upload(text_file)
    assert server.requests() == []


async def test_object_that_reads_text_is_refused(d360: Any, server: Any) -> None:
    class TextReader(io.RawIOBase):
        def read(self, size: int = -1) -> str:
            return "text, not bytes"

        def seekable(self) -> bool:
            return True

        def seek(self, offset: int, whence: int = 0) -> int:
            return 15 if whence == io.SEEK_END else 0

        def tell(self) -> int:
            return 0

    with pytest.raises(UnsupportedMediaError, match="not bytes"):
        await d360.upload(TextReader(), mime_type="text/plain")


async def test_pipe_is_refused_before_sending(d360: Any, server: Any) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"data in a pipe")
    os.close(write_end)
    with open(read_end, "rb") as pipe, pytest.raises(UnsupportedMediaError, match="pipe"):
        await d360.upload(pipe, mime_type="image/jpeg")
    assert server.requests() == []


async def test_fifo_path_is_refused_without_waiting_for_a_writer(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    fifo = tmp_path / "photo.jpg"
    os.mkfifo(fifo)  # opening it for reading would block forever without O_NONBLOCK
    with pytest.raises(UnsupportedMediaError, match="not a regular file"):
        await d360.upload(fifo)
    assert server.requests() == []


async def test_device_path_is_refused(d360: Any, server: Any) -> None:
    with pytest.raises(UnsupportedMediaError, match="not a regular file"):
        await d360.upload("/dev/zero", mime_type="image/jpeg")
    assert server.requests() == []


async def test_unseekable_object_is_refused(d360: Any, server: Any) -> None:
    class Unseekable(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            return 0

    with pytest.raises(UnsupportedMediaError):
        await d360.upload(Unseekable(), mime_type="image/jpeg")
    assert server.requests() == []


class _Changing(io.BytesIO):
    """A file that gains or loses bytes once its size has been checked."""

    def __init__(self, data: bytes, change: int):
        super().__init__(data)
        self._change = change
        self._changed = False

    def read(self, size: int | None = -1) -> bytes:
        if not self._changed:
            self._changed = True
            end = self.seek(0, io.SEEK_END)
            if self._change > 0:
                self.write(b"+" * self._change)
            else:
                self.truncate(end + self._change)
            self.seek(0)
        return super().read(size)


@pytest.mark.parametrize(
    "change", [1, 70_000, -1, -len(JPEG) + 1], ids=["+1", "+70k", "-1", "-all"]
)
async def test_file_changing_size_while_sent_fails(d360: Any, server: Any, change: int) -> None:
    server.mock.add_response(
        method="POST", url=f"{server.base}/media", json={"id": "1"}, is_optional=True
    )
    with pytest.raises(UnsupportedMediaError, match="changed size"):
        await d360.upload(_Changing(JPEG, change), mime_type="image/jpeg")


async def test_path_growing_while_sent_fails(d360: Any, server: Any, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(JPEG)
    server.mock.add_response(
        method="POST", url=f"{server.base}/media", json={"id": "1"}, is_optional=True
    )

    def grow(done: int, total: int | None) -> None:
        with open(photo, "ab") as more:
            more.write(b"appended while uploading")

    with pytest.raises(UnsupportedMediaError, match="changed size"):
        await d360.upload(photo, on_progress=grow)


async def test_retry_sends_the_whole_file_again(d360: Any, server: Any, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(JPEG)
    server.mock.add_response(
        method="POST", url=f"{server.base}/media", status_code=503, headers={"Retry-After": "0"}
    )
    _ok(server)
    progress: list[int] = []
    uploaded = await d360.upload(photo, on_progress=lambda done, total: progress.append(done))
    assert uploaded.id == "4490709327384033"
    first, second = server.requests()
    assert server.multipart(first)["file"]["data"] == JPEG
    assert server.multipart(second)["file"]["data"] == JPEG
    assert progress[-1] == len(JPEG)
