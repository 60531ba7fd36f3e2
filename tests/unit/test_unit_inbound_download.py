"""Downloading what a webhook announced: InboundMedia and webhook media objects as the source,
the webhook's sha256 checked first, and the sender's file name kept only made safe."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
import webhook_payloads as wp
from dialog360 import IntegrityError, InvalidMediaIdError, WebhookError, webhooks
from dialog360 import _constants as C
from dialog360._media_source import normalize_sha256, safe_filename
from dialog360._media_types import MEDIA_TYPES, guess_mime_type
from dialog360_api.models import InboundMediaObject
from hypothesis import given, settings
from hypothesis import strategies as st

PDF = b"%PDF-1.7\n" + b"inbound document " * 200
MEDIA_ID = "1234567890"


def inbound(content: bytes, *, mime_type: str = "application/pdf", **fields: Any) -> Any:
    """The InboundMedia of a document webhook announcing `content`."""
    obj = {"id": MEDIA_ID, "mime_type": mime_type, "sha256": sha256_hex(content), **fields}
    document = wp.envelope(wp.change([wp.message("document", obj)]))
    (item,) = webhooks.media_items(webhooks.parse(wp.body(document)))
    return item


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- the source ------------------------------------------------------------------------------


async def test_download_an_inbound_media_by_its_id(d360: Any, server: Any, tmp_path: Path) -> None:
    server.add_media(PDF, mime_type="application/pdf")
    item = inbound(PDF, filename="contract.pdf")
    path = await d360.download(item, tmp_path)
    assert path == tmp_path / f"{MEDIA_ID}.pdf"  # the sender's name is not used by default
    assert path.read_bytes() == PDF
    assert len(server.meta_requests()) == 1 and len(server.bytes_requests()) == 1


async def test_read_and_stream_a_webhook_media_object(d360: Any, server: Any) -> None:
    server.add_media(PDF, mime_type="application/pdf")
    server.add_media(PDF, mime_type="application/pdf")
    item = inbound(PDF)
    assert isinstance(item.media, InboundMediaObject)
    assert await d360.read(item.media) == PDF
    info, data = await d360.stream(item)
    assert data == PDF and info.id == MEDIA_ID


@pytest.mark.parametrize(
    "announced",
    [
        lambda h: h.upper(),
        lambda h: base64.b64encode(bytes.fromhex(h)).decode(),
        lambda h: base64.urlsafe_b64encode(bytes.fromhex(h)).decode().rstrip("="),
    ],
    ids=["uppercase hex", "base64", "url-safe base64 unpadded"],
)
async def test_the_webhook_sha256_may_be_hex_or_base64(
    d360: Any, server: Any, announced: Any
) -> None:
    server.add_media(PDF, mime_type="application/pdf")
    item = inbound(PDF, sha256=announced(sha256_hex(PDF)))
    assert await d360.read(item) == PDF


@pytest.mark.parametrize("operation", ["download", "read", "stream"])
@pytest.mark.parametrize("source", ["inbound", "object"])
async def test_a_sha256_that_differs_from_the_metadata_fetches_no_byte(
    d360: Any, server: Any, tmp_path: Path, operation: str, source: str
) -> None:
    server.add_meta(server.meta(PDF, mime_type="application/pdf"))
    item = inbound(b"other bytes than the API has")
    given_source = item if source == "inbound" else item.media
    with pytest.raises(IntegrityError, match="differs from the webhook") as info:
        if operation == "download":
            await d360.download(given_source, tmp_path / "in")
        elif operation == "read":
            await d360.read(given_source)
        else:
            await d360.stream(given_source)
    assert info.value.expected == item.sha256
    assert info.value.actual == server.sha256_hex(PDF)
    assert server.bytes_requests() == []
    assert files_in(tmp_path / "in") == []


async def test_without_a_webhook_sha256_the_metadata_still_verifies(d360: Any, server: Any) -> None:
    server.add_media(PDF, mime_type="application/pdf")
    obj = InboundMediaObject(id=MEDIA_ID, mime_type="application/pdf")
    assert await d360.read(obj) == PDF


@pytest.mark.parametrize(
    ("obj", "error"),
    [
        (InboundMediaObject(id="../1234"), InvalidMediaIdError),
        (InboundMediaObject(id=MEDIA_ID, sha256="not a hash"), WebhookError),
        (InboundMediaObject(id=MEDIA_ID, sha256="ab" * 31), WebhookError),
        ({"id": MEDIA_ID}, InvalidMediaIdError),
        (1234567890, InvalidMediaIdError),
        (None, InvalidMediaIdError),
    ],
    ids=["bad id", "bad sha256", "short sha256", "a dict", "an int", "None"],
)
async def test_an_unusable_source_is_refused_before_any_request(
    d360: Any, server: Any, obj: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await d360.read(obj)
    assert server.requests() == []


# -- the sender's file name ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "mime_type", "expected"),
    [
        ("contract.pdf", "application/pdf", "contract.pdf"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini", "text/plain", "win.ini.txt"),  # an unknown extension stays
        ("..\\..\\Windows\\win.ini", "application/pdf", "win.ini.pdf"),
        ("/absolute/path/x.PDF", "application/pdf", "x.PDF"),
        (".bashrc", "text/plain", "bashrc.txt"),
        ("...", "application/pdf", None),
        ("..", "application/pdf", None),
        ("", "application/pdf", None),
        ("   ", "application/pdf", None),
        ("report.pdf.exe", "application/pdf", "report.pdf.pdf"),
        ("invoice.exe", "application/pdf", "invoice.pdf"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("photo.png", "image/jpeg", "photo.jpg"),
        ("notes v1.2 final", "text/plain", "notes v1.2 final.txt"),
        ("archive.zip", "application/zip", "archive.zip"),
        ("tool.sh", "application/x-unknown", "tool.bin"),
        ("evil\u202egpj.exe", "image/jpeg", "evilgpj.jpg"),  # right-to-left override dropped
        ("bell\x07\x1b[31mred\r\n.pdf", "application/pdf", "bell[31mred.pdf"),
        ("nul\x00byte.pdf", "application/pdf", "nulbyte.pdf"),
        ('a<b>c:d"e|f?g*h.pdf', "application/pdf", "a_b_c_d_e_f_g_h.pdf"),
        ("CON.pdf", "application/pdf", "_CON.pdf"),
        ("lpt1.txt", "text/plain", "_lpt1.txt"),
        ("trailing dots. . .", "application/pdf", "trailing dots.pdf"),
        ("Cafe\u0301.pdf", "application/pdf", "Caf\u00e9.pdf"),  # NFC
        ("surrogate\ud800.pdf", "application/pdf", "surrogate.pdf"),
    ],
)
def test_safe_filename(filename: str, mime_type: str, expected: str | None) -> None:
    assert safe_filename(filename, mime_type) == expected


def test_a_long_name_is_cut_to_the_byte_limit_on_a_character_boundary() -> None:
    name = "\u00e9" * 300 + ".pdf"
    safe = safe_filename(name, "application/pdf")
    assert safe is not None and safe.endswith("\u00e9.pdf")
    assert len(safe.encode()) <= C.INBOUND_FILENAME_MAX_BYTES
    assert len(safe.encode()) > C.INBOUND_FILENAME_MAX_BYTES - 2


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(
    name=st.text(
        st.characters(codec=None, exclude_categories=()) | st.sampled_from("./\\. "),
        max_size=300,
    ),
    mime_type=st.sampled_from(sorted(MEDIA_TYPES)),
)
def test_any_name_becomes_one_harmless_component(name: str, mime_type: str) -> None:
    safe = safe_filename(name, mime_type)
    if safe is None:
        return
    assert os.sep not in safe and "/" not in safe and "\\" not in safe
    assert safe not in {".", ".."} and not safe.startswith((".", " "))
    assert safe.isprintable()
    assert len(safe.encode()) <= C.INBOUND_FILENAME_MAX_BYTES
    assert guess_mime_type(safe) == mime_type


async def test_use_filename_keeps_the_safe_name_in_a_folder(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_media(PDF, mime_type="application/pdf")
    item = inbound(PDF, filename="../../../home/user/.ssh/authorized_keys")
    path = await d360.download(item, f"{tmp_path}/inbox/", use_filename=True)
    assert path == tmp_path / "inbox" / "authorized_keys.pdf"
    assert path.read_bytes() == PDF
    assert files_in(tmp_path) == ["inbox"]


async def test_use_filename_with_a_file_path_or_no_usable_name_keeps_the_usual_name(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_media(PDF, mime_type="application/pdf")
    server.add_media(PDF, mime_type="application/pdf")
    named = await d360.download(
        inbound(PDF, filename="x.pdf"), tmp_path / "chosen.pdf", use_filename=True
    )
    assert named == tmp_path / "chosen.pdf"
    unnamed = await d360.download(inbound(PDF, filename="..."), tmp_path, use_filename=True)
    assert unnamed == tmp_path / f"{MEDIA_ID}.pdf"


async def test_use_filename_never_replaces_an_existing_file(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    (tmp_path / "report.pdf").write_bytes(b"mine")
    server.add_meta(server.meta(PDF, mime_type="application/pdf"))
    with pytest.raises(FileExistsError):
        await d360.download(inbound(PDF, filename="report.pdf"), tmp_path, use_filename=True)
    assert (tmp_path / "report.pdf").read_bytes() == b"mine"
    assert files_in(tmp_path) == ["report.pdf"]


# -- sha256 spellings ------------------------------------------------------------------------


@given(digest=st.binary(min_size=32, max_size=32))
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
def test_every_spelling_of_a_sha256_normalises_to_lowercase_hex(digest: bytes) -> None:
    spellings = [
        digest.hex(),
        digest.hex().upper(),
        base64.b64encode(digest).decode(),
        base64.b64encode(digest).decode().rstrip("="),
        base64.urlsafe_b64encode(digest).decode(),
    ]
    assert {normalize_sha256(s) for s in spellings} == {digest.hex()}


@pytest.mark.parametrize(
    "value",
    [
        "",
        "ab" * 31,
        "ab" * 33,
        base64.b64encode(bytes(31)).decode(),
        base64.b64encode(bytes(33)).decode(),
        "@" * 43 + "=",
        "\u0661" * 64,
        "A" * 43 + "==",
    ],
)
def test_what_is_not_a_sha256_normalises_to_none(value: str) -> None:
    assert normalize_sha256(value) is None
