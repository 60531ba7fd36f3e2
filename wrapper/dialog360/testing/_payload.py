"""Response bodies that can be sent in slices (for Range and faults) and Range parsing."""

from __future__ import annotations

import os
import socket
from typing import BinaryIO


class Payload:
    """A response body held in memory; sent with large writes of a memoryview."""

    def __init__(self, data: bytes | memoryview = b"") -> None:
        self._view = memoryview(data).cast("B")

    @property
    def length(self) -> int:
        """Size in bytes."""
        return len(self._view)

    def byte_at(self, index: int) -> int:
        """One byte of the body (used to corrupt it)."""
        return self._view[index]

    def send(self, sock: socket.socket, start: int, end: int) -> None:
        """Write bytes [start, end) of the body to `sock`."""
        if end > start:
            sock.sendall(self._view[start:end])

    def sliced(self, start: int, end: int) -> Payload:
        """The bytes [start, end) as a payload of their own."""
        return Payload(self._view[start:end])

    def close(self) -> None:
        """Release what the payload holds open (nothing, in memory)."""


class FilePayload(Payload):
    """A span of an open file, sent with sendfile(2) so the file is never read into memory."""

    def __init__(self, stream: BinaryIO, offset: int, length: int) -> None:
        super().__init__()
        self._stream = stream
        self._offset = offset
        self._length = length

    @property
    def length(self) -> int:
        """Size in bytes."""
        return self._length

    def byte_at(self, index: int) -> int:
        """One byte of the body (used to corrupt it)."""
        return os.pread(self._stream.fileno(), 1, self._offset + index)[0]

    def send(self, sock: socket.socket, start: int, end: int) -> None:
        """Write bytes [start, end) of the span to `sock`."""
        if end > start:
            sock.sendfile(self._stream, self._offset + start, end - start)

    def sliced(self, start: int, end: int) -> Payload:
        """The bytes [start, end) of the span as a payload of their own."""
        return FilePayload(self._stream, self._offset + start, end - start)

    def close(self) -> None:
        """Close the file (shared with payloads sliced from this one)."""
        self._stream.close()


class UnsatisfiableRange(Exception):
    """The Range asks for nothing inside the body: answer 416."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The byte span [start, end) a `Range` header asks for, or None to send the whole body.

    Supports one `bytes=N-`, `bytes=N-M` or `bytes=-N` range. Anything else (several ranges,
    other units, bad syntax) is ignored, as RFC 9110 allows; a well-formed range that starts at
    or beyond `size` raises UnsatisfiableRange.
    """
    if header is None:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isascii() and last.isascii()):
        return None
    if not first:
        if not last.isdigit():
            return None
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise UnsatisfiableRange
        return max(size - suffix, 0), size
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise UnsatisfiableRange
    return start, min(int(last) + 1, size) if last else size
