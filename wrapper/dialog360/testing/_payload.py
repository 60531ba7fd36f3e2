"""Response bodies that can be sent in slices (for Range and faults) and Range parsing."""

from __future__ import annotations

import os
import re
import socket
from typing import BinaryIO

# A socket with a timeout bounds a whole sendall(), not a stall: large bodies go in slices, so
# the timeout bounds how long one slice may wait for a slow reader.
_SEND_SLICE = 256 * 1024


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
        for offset in range(start, end, _SEND_SLICE):
            sock.sendall(self._view[offset : min(offset + _SEND_SLICE, end)])

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


_RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")
# Past this many significant digits a position is beyond any body (compared, not converted).
_MAX_POSITION_DIGITS = 18
_BEYOND_ANY_BODY: int = 10**_MAX_POSITION_DIGITS


def _position(digits: str) -> int:
    significant = digits.lstrip("0")
    if len(significant) > _MAX_POSITION_DIGITS:
        return _BEYOND_ANY_BODY
    return int(significant or "0")


def _magnitude(digits: str) -> tuple[int, str]:
    """A sort key that orders decimal strings of any length by value, without int()."""
    significant = digits.lstrip("0")
    return len(significant), significant


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The byte span [start, end) a `Range` header asks for, or None to send the whole body.

    Follows RFC 9110 section 14: a server may ignore a Range, and this one ignores (whole
    body, 200) anything but one well-formed byte range: other units, several ranges (a
    multipart/byteranges answer is optional), bad syntax (`bytes=5-2`, signs, spaces,
    non-ASCII digits, `bytes=-`). One well-formed range that selects nothing, such as a start
    at or past the end or `bytes=-0`, is unsatisfiable (UnsatisfiableRange: 416). Positions of
    any length work: past the end is clamped (a last position, a suffix) or unsatisfiable.
    """
    if header is None:
        return None
    unit, equals, range_set = header.partition("=")
    if not equals or unit.lower() != "bytes":
        return None
    # A list may hold empty elements ("bytes=0-1,"), and OWS around its commas.
    specs = [spec.strip(" \t") for spec in range_set.split(",")]
    specs = [spec for spec in specs if spec]
    if len(specs) != 1:
        return None
    match = _RANGE_SPEC.fullmatch(specs[0])
    if match is None:
        return None
    first, last = match.groups()
    if not first:
        if not last:
            return None
        suffix = _position(last)
        if suffix == 0:
            raise UnsatisfiableRange
        if size == 0:
            return None  # satisfiable, but an empty body has no span to name: send it all
        return max(size - suffix, 0), size
    if last and _magnitude(last) < _magnitude(first):
        return None
    start = _position(first)
    if start >= size:
        raise UnsatisfiableRange
    return start, min(_position(last) + 1, size) if last else size
