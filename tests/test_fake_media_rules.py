"""WhatsApp's supported media, pinned to the published numbers: the client's table and the fake
server's own table separately, so that a wrong limit on one side cannot pass on both."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from dialog360._media_types import MEDIA_TYPES
from dialog360.testing import FakeServer
from dialog360.testing._media_rules import MEDIA_RULES, STATIC_STICKER_MAX_BYTES, guess_type
from shared_tls import TLS

# Meta's "Supported media types" table (Cloud API reference, media): MB = 1024 * 1024 bytes.
PUBLISHED: dict[str, tuple[str, int]] = {
    "audio/aac": ("audio", 16_777_216),
    "audio/amr": ("audio", 16_777_216),
    "audio/mpeg": ("audio", 16_777_216),
    "audio/mp4": ("audio", 16_777_216),
    "audio/ogg": ("audio", 16_777_216),
    "text/plain": ("document", 104_857_600),
    "application/pdf": ("document", 104_857_600),
    "application/vnd.ms-powerpoint": ("document", 104_857_600),
    "application/msword": ("document", 104_857_600),
    "application/vnd.ms-excel": ("document", 104_857_600),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "document",
        104_857_600,
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "document",
        104_857_600,
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "document",
        104_857_600,
    ),
    "image/jpeg": ("image", 5_242_880),
    "image/png": ("image", 5_242_880),
    "video/mp4": ("video", 16_777_216),
    "video/3gpp": ("video", 16_777_216),
    "image/webp": ("sticker", 512_000),  # animated; a static sticker: 100 KB
}
PUBLISHED_STATIC_STICKER = 102_400

KEY = "test-key"
ANIMATED_WEBP_HEAD = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\x02"
STATIC_WEBP_HEAD = b"RIFF\0\0\0\0WEBPVP8 "


def test_the_clients_table_is_the_published_one() -> None:
    assert {mime: (t.kind, t.max_bytes) for mime, t in MEDIA_TYPES.items()} == PUBLISHED


def test_the_fakes_table_is_the_published_one() -> None:
    assert {mime: (rule.kind, rule.max_bytes) for mime, rule in MEDIA_RULES.items()} == PUBLISHED
    assert STATIC_STICKER_MAX_BYTES == PUBLISHED_STATIC_STICKER


@pytest.mark.parametrize(
    ("name", "mime_type"),
    [
        ("a.JPG", "image/jpeg"),
        ("a.jpeg", "image/jpeg"),
        ("voice.opus", "audio/ogg"),
        ("clip.3gp", "video/3gpp"),
        ("sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("archive.zip", "application/zip"),
        ("no-extension", None),
    ],
)
def test_the_fake_guesses_types_by_extension(name: str, mime_type: str | None) -> None:
    assert guess_type(name) == mime_type


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with (
        FakeServer(api_key=KEY) as server,
        httpx.Client(
            verify=TLS, base_url=server.base_url, headers={"D360-API-KEY": KEY}, timeout=30
        ) as c,
    ):
        yield c


def upload(client: httpx.Client, data: bytes, mime_type: str) -> httpx.Response:
    return client.post(
        "/media",
        data={"messaging_product": "whatsapp", "type": mime_type},
        files={"file": ("f", data, mime_type)},
    )


@pytest.mark.parametrize(
    ("head", "mime_type", "limit"),
    [
        (b"\xff\xd8\xff", "image/jpeg", 5_242_880),
        (STATIC_WEBP_HEAD, "image/webp", PUBLISHED_STATIC_STICKER),
        (ANIMATED_WEBP_HEAD, "image/webp", 512_000),
    ],
)
def test_uploads_are_refused_one_byte_past_the_limit(
    client: httpx.Client, head: bytes, mime_type: str, limit: int
) -> None:
    at_limit = head + bytes(limit - len(head))
    assert upload(client, at_limit, mime_type).status_code == 200
    refused = upload(client, at_limit + b"\0", mime_type)
    assert refused.status_code == 400
    assert f"limited to {limit} bytes" in refused.json()["error"]


@pytest.mark.parametrize(
    ("data", "mime_type", "problem"),
    [
        (b"x", "application/zip", "unsupported media type"),
        (b"", "image/png", "the file is empty"),
    ],
)
def test_uploads_of_other_types_or_nothing_are_refused(
    client: httpx.Client, data: bytes, mime_type: str, problem: str
) -> None:
    refused = upload(client, data, mime_type)
    assert refused.status_code == 400 and problem in refused.json()["error"]
