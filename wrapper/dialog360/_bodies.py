"""Reading an API answer's body within one byte limit, decoding its Content-Encoding as it comes.

The decompressors never produce more than a small step at a time and stop as soon as the
decoded body passes the limit, so a gzip bomb costs the limit, not its inflated size. Stacked
encodings ("gzip, gzip") are decoded stage by stage, each stage pulling only what the next
needs. Nothing here does I/O: the transports feed the chunks they receive.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from . import _constants as C

_GZIP_WBITS = zlib.MAX_WBITS | 16
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


class _Inflater:
    """One gzip or deflate stage, yielding at most DECODE_STEP_BYTES per piece."""

    def __init__(self, coding: str):
        self.coding = coding
        self._gzip = coding in ("gzip", "x-gzip")
        self._inflater = zlib.decompressobj(_GZIP_WBITS if self._gzip else _ZLIB_WBITS)
        self._started = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        while True:
            if self._inflater.eof and data:
                if not self._gzip:
                    raise ValueError(f"data after the end of the {self.coding} stream")
                # RFC 1952: a gzip body may be several members one after the other.
                self._inflater = zlib.decompressobj(_GZIP_WBITS)
            try:
                piece = self._inflater.decompress(data, C.DECODE_STEP_BYTES)
            except zlib.error as exc:
                if self._started or self._gzip:
                    raise ValueError(f"the body is not valid {self.coding} data ({exc})") from exc
                # "deflate" should be zlib-wrapped; some servers send the raw stream.
                self._inflater = zlib.decompressobj(_RAW_DEFLATE_WBITS)
                self._started = True
                continue
            self._started = self._started or bool(data)
            data = (
                self._inflater.unused_data if self._inflater.eof else self._inflater.unconsumed_tail
            )
            if piece:
                yield piece
            # A full step may leave output pending inside zlib even when all input is taken.
            if not data and len(piece) < C.DECODE_STEP_BYTES:
                return

    def end(self) -> None:
        if self._started and not self._inflater.eof:
            raise ValueError(f"the body ends before the end of its {self.coding} data")


def _stages(content_encoding: str | None) -> list[_Inflater]:
    codings = [
        coding.strip().lower()
        for coding in (content_encoding or "").split(",")
        if coding.strip() and coding.strip().lower() != "identity"
    ]
    if len(codings) > C.MAX_CONTENT_CODINGS:
        raise ValueError(f"the body stacks {len(codings)} content encodings")
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise ValueError(f"the body uses Content-Encoding {coding!r}, which was not asked for")
    # Encodings are listed in the order they were applied: the last one is undone first.
    return [_Inflater(coding) for coding in reversed(codings)]


class BoundedBody:
    """A body read up to `limit` bytes on the wire and `limit` bytes decoded.

    Feed it chunks until `done`; `data` holds the decoded bytes (at most `limit`), `too_large`
    tells whether more came, and `problem` why the body could not be decoded, if it could not.
    """

    def __init__(self, content_encoding: str | None, limit: int = C.MAX_API_BODY_BYTES):
        self.limit = limit
        self.data = bytearray()
        self.too_large = False
        self.problem: str | None = None
        self._wire = 0
        try:
            self._stages = _stages(content_encoding)
        except ValueError as exc:
            self._stages = []
            self.problem = str(exc)

    @property
    def done(self) -> bool:
        """Whether reading on is pointless: over the limit, or undecodable."""
        return self.too_large or self.problem is not None

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        room = self.limit - self._wire
        self._wire += len(chunk)
        if len(chunk) > room:
            chunk = chunk[:room]
            self.too_large = True
        try:
            self._push(0, chunk)
        except ValueError as exc:
            self.problem = str(exc)

    def finish(self) -> None:
        """The whole body was fed: a compressed body must have ended properly."""
        if self.done:
            return
        try:
            for stage in self._stages:
                stage.end()
        except ValueError as exc:
            self.problem = str(exc)

    def _push(self, level: int, data: bytes) -> None:
        if level == len(self._stages):
            self._keep(data)
            return
        for piece in self._stages[level].decode(data):
            self._push(level + 1, piece)
            if self.too_large:
                return

    def _keep(self, data: bytes) -> None:
        room = self.limit - len(self.data)
        if len(data) > room:
            self.too_large = True
            data = data[:room]
        self.data += data
