"""A small multipart/form-data parser (the stdlib's `cgi` is deprecated and gone in 3.13)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import Parser
from email.utils import collapse_rfc2231_value

from dialog360.testing._limits import MAX_FORM_PARTS

_CRLF = b"\r\n"
_MAX_HEADER_BLOCK = 16 * 1024


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


@dataclass(frozen=True)
class Part:
    """One form field; `filename` is None for plain fields."""

    name: str
    filename: str | None
    content_type: str | None
    data: memoryview

    def text(self) -> str:
        """The field's value as text (UTF-8, undecodable bytes replaced)."""
        return bytes(self.data).decode("utf-8", "replace")


def _param(message: Message, name: str, header: str) -> str | None:
    value = message.get_param(name, header=header)
    if value is None or isinstance(value, str):
        return value
    # An RFC 2231 (`filename*=utf-8''...`) value comes back as a tuple.
    return collapse_rfc2231_value(value)


def boundary_of(content_type: str | None) -> bytes:
    """The boundary of a `multipart/form-data` Content-Type header, or MultipartError."""
    message = Message()
    message["Content-Type"] = content_type or ""
    if message.get_content_type() != "multipart/form-data":
        raise MultipartError("Content-Type must be multipart/form-data")
    boundary = _param(message, "boundary", "content-type")
    if not boundary or len(boundary) > 70 or not boundary.isascii():
        raise MultipartError("multipart/form-data needs a boundary of 1..70 ASCII characters")
    return boundary.encode("ascii")


def parse_multipart(body: bytes | bytearray, boundary: bytes) -> list[Part]:
    """The parts of a multipart body, in order. Part data are views into `body` (no copies)."""
    view = memoryview(body)
    delimiter = b"--" + boundary
    position = body.find(delimiter)
    if position < 0:
        raise MultipartError("multipart boundary not found")
    # The first delimiter may start the body; every later one follows a CRLF.
    position += len(delimiter)
    parts: list[Part] = []
    while True:
        if body[position : position + 2] == b"--":
            return parts
        # Transport padding (spaces/tabs) may precede the delimiter line's CRLF.
        line_end = body.find(_CRLF, position)
        if line_end < 0 or body[position:line_end].strip(b" \t"):
            raise MultipartError("malformed multipart delimiter line")
        headers_start = line_end + 2
        header_block: bytes | bytearray = b""
        if body[headers_start : headers_start + 2] == _CRLF:
            content_start = headers_start + 2
        else:
            headers_end = body.find(_CRLF + _CRLF, headers_start, headers_start + _MAX_HEADER_BLOCK)
            if headers_end < 0:
                raise MultipartError("multipart part headers are not terminated")
            header_block = body[headers_start:headers_end]
            content_start = headers_end + 4
        content_end = body.find(_CRLF + delimiter, content_start)
        if content_end < 0:
            raise MultipartError("multipart body is truncated (closing boundary missing)")
        if len(parts) == MAX_FORM_PARTS:
            raise MultipartError(f"more than {MAX_FORM_PARTS} multipart parts")
        parts.append(_make_part(header_block, view[content_start:content_end]))
        position = content_end + 2 + len(delimiter)


def _make_part(header_block: bytes | bytearray, data: memoryview) -> Part:
    headers = Parser().parsestr(bytes(header_block).decode("utf-8", "replace"), headersonly=True)
    if headers.get_content_disposition() != "form-data":
        raise MultipartError("every part needs Content-Disposition: form-data")
    name = _param(headers, "name", "content-disposition")
    if name is None:
        raise MultipartError("a multipart part has no name")
    filename = _param(headers, "filename", "content-disposition")
    content_type = headers.get("Content-Type")
    return Part(name, filename, content_type, data)
