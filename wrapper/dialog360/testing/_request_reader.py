"""Reading requests off the socket within fixed bounds of memory and time.

A hostile client must not be able to make the fake server buffer more than its body limit
plus small, fixed amounts, nor hold a connection thread longer than its deadlines allow.
Everything here raises `RequestRejected` (the status to answer) or `TimeoutError`.
"""

from __future__ import annotations

import io
import math
import re
import socket
import time
from email.message import Message
from typing import TYPE_CHECKING, NamedTuple, Protocol

from dialog360.testing._limits import (
    MAX_CHUNK_EXTENSIONS,
    MAX_CHUNK_LINE,
    MAX_FIELD_LINE,
    MAX_FIELDS,
    MAX_HEAD_BYTES,
    MAX_REQUEST_LINE,
)

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# Body bytes are copied through pieces of at most this size.
READ_PIECE = 256 * 1024
# Sizes with more significant digits than these are over any body limit (about 10**18 bytes):
# refused before converting, so a 5,000-digit number costs nothing.
_MAX_DECIMAL_DIGITS = 18
_MAX_HEX_DIGITS = 15

_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = rb'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"'
# RFC 9112: field-name ":" OWS field-value OWS, where the value holds no NUL, CR or LF.
# A bare LF ends a head line (robustness, as the RFC allows); chunked framing needs CRLF.
_FIELD_LINE = re.compile(_TOKEN + rb":[^\x00\r\n]*\r?\n")
_CHUNK_SIZE_LINE = re.compile(
    rb"([0-9A-Fa-f]+)((?:[ \t]*;[ \t]*"
    + _TOKEN
    + rb"(?:[ \t]*=[ \t]*(?:"
    + _TOKEN
    + rb"|"
    + _QUOTED
    + rb"))?)*)\r\n"
)
_DECIMAL = re.compile(r"[0-9]+")

TOO_SLOW = "Request Timeout: the client sent its request too slowly"


class RequestRejected(Exception):
    """The request cannot be served: answer `status` with `message`, then close."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Stream(Protocol):
    """What is read from: a buffered socket reader (or a BytesIO in tests)."""

    def readline(self, size: int = -1, /) -> bytes: ...

    def read(self, size: int = -1, /) -> bytes: ...

    def readinto(self, buffer: WriteableBuffer, /) -> int: ...


class DeadlineReader(io.RawIOBase):
    """The receiving side of a socket where every read waits only until a deadline.

    `arm(seconds)` sets the deadline. With `min_rate`, each byte received moves it 1/min_rate
    seconds later, so a sender that keeps up is never cut off and one that trickles always is.
    Between reads the socket keeps `write_timeout`, the bound on one stalled write.
    """

    def __init__(self, sock: socket.socket, write_timeout: float) -> None:
        super().__init__()
        self._sock = sock
        self._write_timeout = write_timeout
        self._deadline = math.inf
        self._min_rate = 0.0
        sock.settimeout(write_timeout)

    def readable(self) -> bool:
        """Always: this is a reader."""
        return True

    def arm(self, seconds: float, *, min_rate: float = 0.0) -> None:
        """Allow reads for `seconds` from now (plus 1/min_rate s per byte received)."""
        self._deadline = time.monotonic() + seconds
        self._min_rate = min_rate

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        """One recv into `buffer`, or TimeoutError once the deadline has passed."""
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(TOO_SLOW)
        self._sock.settimeout(remaining)
        try:
            count = self._sock.recv_into(buffer)
        finally:
            self._sock.settimeout(self._write_timeout)
        if self._min_rate:
            self._deadline += count / self._min_rate
        return count


def _ended_early(where: str) -> RequestRejected:
    return RequestRejected(400, f"the request ended inside its {where}")


def read_head(stream: Stream) -> tuple[bytes, bytes] | None:
    """The request line and the header lines (each checked), or None at a clean end of input."""
    line = stream.readline(MAX_REQUEST_LINE + 1)
    if line in (b"\r\n", b"\n"):
        # RFC 9112 asks servers to skip an empty line before a request (old clients add one).
        line = stream.readline(MAX_REQUEST_LINE + 1)
    if not line:
        return None
    if len(line) > MAX_REQUEST_LINE:
        raise RequestRejected(414, f"the request line is longer than {MAX_REQUEST_LINE} bytes")
    if not line.endswith(b"\n"):
        raise _ended_early("request line")
    return line, read_fields(stream, trailer=False)


def read_fields(stream: Stream, *, trailer: bool) -> bytes:
    """Header (or trailer) lines up to the empty line that ends them, within the caps."""
    kind = "trailer" if trailer else "header"
    block = bytearray()
    count = 0
    while True:
        line = stream.readline(MAX_FIELD_LINE + 1)
        if len(line) > MAX_FIELD_LINE:
            raise RequestRejected(431, f"a {kind} line is longer than {MAX_FIELD_LINE} bytes")
        if line == b"\r\n" or (line == b"\n" and not trailer):
            return bytes(block)
        if not line.endswith(b"\n"):
            raise _ended_early(f"{kind}s")
        if trailer and not line.endswith(b"\r\n"):
            raise RequestRejected(400, "chunked framing lines must end with CRLF")
        count += 1
        if count > MAX_FIELDS:
            raise RequestRejected(431, f"more than {MAX_FIELDS} {kind} lines")
        if len(block) + len(line) > MAX_HEAD_BYTES:
            raise RequestRejected(431, f"the {kind}s are larger than {MAX_HEAD_BYTES} bytes")
        if _FIELD_LINE.fullmatch(line) is None:
            raise RequestRejected(400, f"malformed {kind} line")
        block += line


def check_host(headers: Message, *, http_1_0: bool) -> None:
    """RFC 9112 section 3.2: one Host header (HTTP/1.0 may omit it), never two."""
    hosts = len(headers.get_all("Host") or [])
    if hosts > 1 or (hosts == 0 and not http_1_0):
        raise RequestRejected(400, "a request needs exactly one Host header")


class Framing(NamedTuple):
    """How the body is delimited: chunked, or `length` bytes (0: no body)."""

    chunked: bool
    length: int


def body_framing(headers: Message, *, http_1_0: bool) -> Framing:
    """The framing the request's headers declare (RFC 9112 section 6), strictly checked.

    Both Transfer-Encoding and Content-Length is the classic smuggling shape: refused, not
    resolved. Content-Length must be one plain decimal number (no sign, list or repeat); one
    too long to fit any limit is 413 at once.
    """
    coding_fields = headers.get_all("Transfer-Encoding") or []
    length_fields = headers.get_all("Content-Length") or []
    if coding_fields:
        if length_fields:
            raise RequestRejected(400, "Transfer-Encoding and Content-Length must not be combined")
        if http_1_0:
            raise RequestRejected(400, "Transfer-Encoding is not defined for HTTP/1.0")
        codings = [
            coding.strip(" \t").lower() for field in coding_fields for coding in field.split(",")
        ]
        codings = [coding for coding in codings if coding]
        if not codings or codings[-1] != "chunked":
            raise RequestRejected(400, "chunked must be the final transfer coding")
        if "chunked" in codings[:-1]:
            raise RequestRejected(400, "chunked must be applied only once")
        if len(codings) > 1:
            raise RequestRejected(501, f"unsupported transfer coding {codings[0]!r}")
        return Framing(chunked=True, length=0)
    if not length_fields:
        return Framing(chunked=False, length=0)
    if len(length_fields) > 1:
        raise RequestRejected(400, "Content-Length must be given once")
    text = length_fields[0].strip(" \t")
    if _DECIMAL.fullmatch(text) is None:
        raise RequestRejected(400, "Content-Length must be a decimal number")
    significant = text.lstrip("0")
    if len(significant) > _MAX_DECIMAL_DIGITS:
        raise RequestRejected(413, "Request body too large")
    return Framing(chunked=False, length=int(significant or "0"))


class BodyReader:
    """Reads one request body from `stream`: kept (uploads) or dropped, never more than
    `limit` bytes held. `size` counts the body bytes declared or received so far."""

    def __init__(self, stream: Stream, *, limit: int, keep: bool) -> None:
        self._stream = stream
        self._limit = limit
        self._keep = keep
        self.size = 0

    def read_length(self, length: int) -> bytearray:
        """A body of exactly `length` bytes (413 over the limit, before a byte is read)."""
        self.size = length
        if length > self._limit:
            raise RequestRejected(413, "Request body too large")
        if not self._keep:
            self._drop(length)
            return bytearray()
        body = bytearray(length)
        view = memoryview(body)
        got = 0
        while got < length:
            count = self._stream.readinto(view[got:])
            if not count:
                raise _ended_early("body")
            got += count
        return body

    def read_chunked(self) -> bytearray:
        """A chunked body (RFC 9112 section 7.1), trailers checked and dropped.

        Strict: chunk sizes are hex digits only (no sign, prefix or space), every framing line
        ends with CRLF, extensions follow the grammar and are capped in total; a chunk that
        would pass the limit is 413 before its data is read.
        """
        body = bytearray()
        extension_bytes = 0
        self.size = 0
        while True:
            line = self._stream.readline(MAX_CHUNK_LINE + 1)
            if len(line) > MAX_CHUNK_LINE:
                raise RequestRejected(
                    400, f"a chunk-size line is longer than {MAX_CHUNK_LINE} bytes"
                )
            if not line.endswith(b"\n"):
                raise _ended_early("chunked body")
            match = _CHUNK_SIZE_LINE.fullmatch(line)
            if match is None:
                raise RequestRejected(400, "malformed chunk-size line")
            digits, extensions = match.groups()
            extension_bytes += len(extensions)
            if extension_bytes > MAX_CHUNK_EXTENSIONS:
                raise RequestRejected(400, f"chunk extensions exceed {MAX_CHUNK_EXTENSIONS} bytes")
            significant = digits.lstrip(b"0")
            if not significant:
                read_fields(self._stream, trailer=True)
                return body
            if len(significant) > _MAX_HEX_DIGITS or self.size + int(significant, 16) > self._limit:
                raise RequestRejected(413, "Request body too large")
            size = int(significant, 16)
            if self._keep:
                self._copy(size, body)
            else:
                self._drop(size)
            self.size += size
            if self._stream.read(2) != b"\r\n":
                raise RequestRejected(400, "chunk data must be followed by CRLF")

    def _copy(self, count: int, body: bytearray) -> None:
        while count:
            piece = self._stream.read(min(count, READ_PIECE))
            if not piece:
                raise _ended_early("body")
            body += piece
            count -= len(piece)

    def _drop(self, count: int) -> None:
        scratch = bytearray(min(count, READ_PIECE))
        while count:
            got = self._stream.readinto(memoryview(scratch)[: min(count, len(scratch))])
            if not got:
                raise _ended_early("body")
            count -= got
