"""Uploads whose bytes hold the multipart boundary the generator used to hard-code (`+++`).

With a fixed boundary, a file containing `\\r\\n--+++` ends its part early: a conforming server
stores the bytes before it (and may read the rest as forged fields) and still answers 200.
Every upload must use a fresh random boundary, so any file content arrives unchanged.
"""

from __future__ import annotations

import hashlib
import random
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from dialog360.testing import FakeServer

OLD_BOUNDARY = "+++"

# Shaped like the document that was stored as its first 18 bytes ("first line of text"): the
# old delimiter line, a forged `type` part, and the old closing delimiter, amid ordinary text.
HOSTILE_DOCUMENT = (
    b"first line of text\r\n--+++\r\n"
    b'Content-Disposition: form-data; name="type"\r\n\r\nimage/png\r\n'
    b"--+++--\r\n" + b"padding after the closing delimiter. " * 7 + b"\r\n--+++--"
)


def _uploads(server: FakeServer) -> list[Any]:
    return [request for request in server.requests if request.route == "upload_media"]


def _boundary(content_type: str) -> str:
    message = Message()
    message["Content-Type"] = content_type
    assert message.get_content_type() == "multipart/form-data"
    boundary = message.get_param("boundary")
    assert isinstance(boundary, str)
    return boundary


def test_the_hostile_document_holds_the_old_delimiters() -> None:
    assert b"\r\n--+++\r\n" in HOSTILE_DOCUMENT
    assert b"--+++--" in HOSTILE_DOCUMENT


async def test_a_file_holding_the_old_boundary_is_stored_unchanged(
    server: FakeServer, d360: Any, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(HOSTILE_DOCUMENT)

    uploaded = await d360.upload(path)

    stored = server.media[uploaded.id]
    assert stored.sha256 == hashlib.sha256(HOSTILE_DOCUMENT).hexdigest()
    assert stored.read_bytes() == HOSTILE_DOCUMENT
    assert stored.file_size == len(HOSTILE_DOCUMENT)
    # The forged `type` part stayed inside the file: the type sent is the real one.
    assert stored.mime_type == "text/plain"
    (request,) = _uploads(server)
    assert _boundary(request.headers["content-type"]) != OLD_BOUNDARY


async def test_bytes_made_of_old_delimiters_are_stored_unchanged(
    server: FakeServer, d360: Any
) -> None:
    data = b"\r\n--+++\r\n" * 50 + random.Random(3).randbytes(5_000) + b"\r\n--+++--\r\n"

    uploaded = await d360.upload(data, mime_type="application/pdf", filename="doc.pdf")

    stored = server.media[uploaded.id]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
    assert stored.mime_type == "application/pdf"
    assert stored.filename == "doc.pdf"


async def test_every_upload_uses_a_fresh_random_boundary(server: FakeServer, d360: Any) -> None:
    for _ in range(3):
        await d360.upload(HOSTILE_DOCUMENT, mime_type="text/plain", filename="a.txt")

    boundaries = [_boundary(request.headers["content-type"]) for request in _uploads(server)]
    assert len(boundaries) == 3
    assert len(set(boundaries)) == 3
    for boundary in boundaries:
        assert boundary != OLD_BOUNDARY
        assert boundary.encode() not in HOSTILE_DOCUMENT
        # Random enough that no file can be written to hold it by chance.
        assert len(boundary) >= 16


@pytest.mark.parametrize("size", [1, 64 * 1024 + 7])
async def test_uploads_of_any_size_round_trip_with_the_random_boundary(
    server: FakeServer, d360: Any, size: int
) -> None:
    data = (b"--+++\r\n" * (size // 7 + 1))[:size]

    uploaded = await d360.upload(data, mime_type="text/plain", filename="x.txt")

    assert server.media[uploaded.id].read_bytes() == data
