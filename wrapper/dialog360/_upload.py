"""What an upload sends: a readable, re-readable file part with a checked mime type and size."""

from __future__ import annotations

import contextlib
import io
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, BinaryIO, cast

import attrs

from ._errors import UnsupportedMediaError
from ._media_types import check_media, guess_mime_type, normalize_mime_type

ProgressCallback = Callable[[int, "int | None"], None]
UploadSource = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]


@attrs.frozen
class UploadPart:
    """The file part of an upload, ready for the generated multipart request."""

    reader: BinaryIO
    filename: str
    mime_type: str


class _ExactReader:
    """The file as httpx reads it for the multipart body: exactly the `size` bytes that were
    checked, reported to `on_progress`.

    A file that grows or shrinks while it is sent, or hands out text instead of bytes, raises
    UnsupportedMediaError from inside the send: the request breaks off and nothing truncated
    or extended is ever answered with success. The length httpx announces is `size` too, not
    whatever the file has grown to by then. Errors of the caller's own file object or callback
    pass through untouched.
    """

    def __init__(self, raw: IO[bytes], name: str, size: int, on_progress: ProgressCallback | None):
        self._raw = raw
        self._name = name
        self._size = size
        self._on_progress = on_progress
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise UnsupportedMediaError(
                f"{self._name}: the file gave {type(chunk).__name__}, not bytes "
                "(open it in binary mode, 'rb')"
            )
        chunk = bytes(chunk)
        self._position += len(chunk)
        if self._position > self._size or (not chunk and self._position < self._size):
            raise UnsupportedMediaError(
                f"{self._name} changed size while it was being uploaded ({self._size} bytes when "
                "checked): the upload was broken off"
            )
        if chunk and self._on_progress is not None:
            self._on_progress(self._position, self._size)
        return chunk

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        # httpx seeks to 0 before each send (and sends the whole file), so a retry counts anew;
        # it seeks to the end to learn the length, which must be the size that was checked.
        if whence == io.SEEK_END:
            offset, whence = self._size + offset, io.SEEK_SET
        elif whence == io.SEEK_CUR:
            offset, whence = self._position + offset, io.SEEK_SET
        self._position = self._raw.seek(offset, whence)
        return self._position

    def tell(self) -> int:
        return self._position


@contextlib.contextmanager
def open_upload(
    source: UploadSource,
    *,
    mime_type: str | None,
    filename: str | None,
    on_progress: ProgressCallback | None,
) -> Iterator[UploadPart]:
    """An UploadPart for a path, bytes or a binary file; UnsupportedMediaError before sending
    when WhatsApp would refuse the type or size, or when the source cannot be sent as it is
    (text mode, not a file, a pipe or device whose size cannot be known beforehand)."""
    with contextlib.ExitStack() as stack:
        if isinstance(source, str | os.PathLike):
            path = Path(source)
            raw: IO[bytes] = stack.enter_context(_open_regular(path))
            name = filename or path.name
        elif isinstance(source, bytes | bytearray | memoryview):
            raw = io.BytesIO(bytes(source))
            name = filename or "upload"
        else:
            raw = _binary_file(source)
            name = filename or Path(str(getattr(source, "name", "upload"))).name
        size = _total_size(raw, name)
        mime = normalize_mime_type(mime_type) if mime_type else guess_mime_type(name)
        if mime is None:
            raise UnsupportedMediaError(
                f"cannot tell the media type of {name!r}: pass mime_type= (e.g. 'image/jpeg')"
            )
        problem = check_media(mime, size)
        if problem is not None:
            raise UnsupportedMediaError(f"{name}: {problem}")
        reader = cast(BinaryIO, _ExactReader(raw, name, size, on_progress))
        yield UploadPart(reader=reader, filename=name, mime_type=mime)


def _open_regular(path: Path) -> IO[bytes]:
    # O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsupportedMediaError(f"{path.name}: {_NOT_REGULAR}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return open(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _binary_file(source: object) -> IO[bytes]:
    if isinstance(source, io.TextIOBase):
        raise UnsupportedMediaError(
            "the file is open in text mode: open it in binary mode ('rb') to upload it"
        )
    if not callable(getattr(source, "read", None)):
        raise UnsupportedMediaError(
            f"cannot upload a {type(source).__name__}: pass a path, bytes or a binary file"
        )
    return cast(IO[bytes], source)


_NOT_REGULAR = (
    "not a regular file (a folder, pipe, socket or device): its size cannot be checked first; "
    "save it to a file or pass its bytes"
)


def _total_size(raw: IO[bytes], name: str) -> int:
    # The whole file, not what is left after its position: httpx sends it from byte 0.
    try:
        fd = raw.fileno()
    except (AttributeError, OSError):  # io.UnsupportedOperation is an OSError
        fd = None
    if fd is not None:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsupportedMediaError(f"{name}: {_NOT_REGULAR}")
        return info.st_size
    seekable = getattr(raw, "seekable", None)
    try:
        if seekable is not None and not seekable():
            raise io.UnsupportedOperation
        start = raw.tell()
        end = raw.seek(0, io.SEEK_END)
        raw.seek(start)
    except (AttributeError, io.UnsupportedOperation):
        raise UnsupportedMediaError(f"{name}: {_NOT_REGULAR}") from None
    return end
