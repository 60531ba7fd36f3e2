"""What an upload sends: a readable, re-readable file part with a checked mime type and size."""

from __future__ import annotations

import contextlib
import io
import os
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
    size: int


class _ProgressReader:
    """Wraps a binary file, reporting bytes read; httpx reads the multipart file through it."""

    def __init__(self, raw: IO[bytes], size: int, on_progress: ProgressCallback | None):
        self._raw = raw
        self._size = size
        self._on_progress = on_progress
        self._done = raw.tell()

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        if chunk and self._on_progress is not None:
            self._done += len(chunk)
            self._on_progress(self._done, self._size)
        return chunk

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        # httpx seeks to 0 before each send (and sends the whole file), so a retry counts anew.
        self._done = self._raw.seek(offset, whence)
        return self._done

    def tell(self) -> int:
        return self._raw.tell()


@contextlib.contextmanager
def open_upload(
    source: UploadSource,
    *,
    mime_type: str | None,
    filename: str | None,
    on_progress: ProgressCallback | None,
) -> Iterator[UploadPart]:
    """An UploadPart for a path, bytes or a binary file; UnsupportedMediaError before sending
    when WhatsApp would refuse the type or size."""
    with contextlib.ExitStack() as stack:
        if isinstance(source, str | os.PathLike):
            path = Path(source)
            raw: IO[bytes] = stack.enter_context(open(path, "rb"))
            name = filename or path.name
        elif isinstance(source, bytes | bytearray | memoryview):
            raw = io.BytesIO(bytes(source))
            name = filename or "upload"
        else:
            raw = source
            name = filename or Path(str(getattr(source, "name", "upload"))).name
        size = _total_size(raw)
        kind = normalize_mime_type(mime_type) if mime_type else guess_mime_type(name)
        if kind is None:
            raise UnsupportedMediaError(
                f"cannot tell the media type of {name!r}: pass mime_type= (e.g. 'image/jpeg')"
            )
        problem = check_media(kind, size)
        if problem is not None:
            raise UnsupportedMediaError(f"{name}: {problem}")
        reader = cast(BinaryIO, _ProgressReader(raw, size, on_progress))
        yield UploadPart(reader=reader, filename=name, mime_type=kind, size=size)


def _total_size(raw: IO[bytes]) -> int:
    # The whole file, not what is left after its position: httpx sends it from byte 0.
    try:
        return os.fstat(raw.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        start = raw.tell()
        end = raw.seek(0, io.SEEK_END)
        raw.seek(start)
        return end
