"""Webhooks over real sockets: the fake server posts signed deliveries to a plain http.server
receiver in this test, which parses them with dialog360.webhooks; both clients then download
the announced media from the fake, verified against the webhook's sha256."""

from __future__ import annotations

import hashlib
import http.server
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from dialog360 import IntegrityError, WebhookSignatureError, webhooks
from dialog360.testing import FakeServer, Fault

SECRET = "integration-webhook-secret-7f3a"
TIMEOUT = 60.0

MEDIA: list[tuple[str, dict[str, Any]]] = [
    ("image/jpeg", {"caption": "a photo"}),
    ("video/mp4", {"caption": "a clip"}),
    ("audio/ogg", {}),
    ("image/webp", {}),
    ("application/pdf", {"filename": "../../.ssh/Quarterly report.pdf.exe", "caption": "Q3"}),
]


@dataclass
class Captured:
    """What arrived at the receiver: each body exactly as sent, with its headers."""

    deliveries: list[tuple[bytes, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def receiver() -> Iterator[tuple[str, Captured]]:
    captured = Captured()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with captured.lock:
                captured.deliveries.append((body, self.headers))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/webhook", captured
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(receiver: tuple[str, Captured]) -> Iterator[FakeServer]:
    """The fake API, posting its webhooks to `receiver` (overrides the plain one)."""
    url, _ = receiver
    with FakeServer(
        api_key="itest-webhooks-key-4b1c", webhook_url=url, webhook_secret=SECRET
    ) as fake:
        yield fake


def send_all(server: FakeServer, captured: Captured) -> list[tuple[Any, bytes]]:
    """Every kind of media sent by a user; returns (InboundMedia, bytes) per delivery."""
    rng = random.Random(5)
    sent = {}
    for n, (mime_type, options) in enumerate(MEDIA):
        data = rng.randbytes(rng.randint(2_000, 300_000))
        encoding: Literal["hex", "base64"] = "hex" if n % 2 else "base64"
        inbound = server.send_inbound_media(data, mime_type, sha256_encoding=encoding, **options)
        sent[inbound.message_id] = data
    assert {d.state for d in server.wait_for_deliveries(TIMEOUT)} == {"delivered"}
    found = []
    for body, headers in captured.deliveries:
        # http.server's headers object, as a receiver built on it would pass it.
        payload = webhooks.parse(body, headers=headers, secret=SECRET)
        (item,) = webhooks.media_items(payload)
        found.append((item, sent[item.message_id]))
    assert len(found) == len(MEDIA)
    return found


async def test_every_media_type_from_a_delivery_downloads_verified(
    make_d360: Any, server: FakeServer, receiver: tuple[str, Captured], tmp_path: Path
) -> None:
    d360 = make_d360(api_key=server.api_key)
    items = send_all(server, receiver[1])
    assert sorted(i.type for i, _ in items) == ["audio", "document", "image", "sticker", "video"]
    for item, data in items:
        assert item.sha256 == hashlib.sha256(data).hexdigest()
        assert await d360.read(item) == data
        assert await d360.read(item.media) == data
        path = await d360.download(item, f"{tmp_path}/inbox/", use_filename=True)
        assert path.read_bytes() == data
        if item.type == "document":
            assert item.filename == "../../.ssh/Quarterly report.pdf.exe"
            assert path == tmp_path / "inbox" / "Quarterly report.pdf.pdf"
        else:
            assert path.name.startswith(item.media_id)
    assert len(list((tmp_path / "inbox").iterdir())) == len(MEDIA)


async def test_tampered_bytes_are_caught_and_leave_nothing(
    make_d360: Any, server: FakeServer, receiver: tuple[str, Captured], tmp_path: Path
) -> None:
    d360 = make_d360(api_key=server.api_key, max_retries=0)
    item, _ = send_all(server, receiver[1])[0]
    server.inject("attachments", Fault.corrupt())
    with pytest.raises(IntegrityError):
        await d360.download(item, f"{tmp_path}/inbox/")
    assert list((tmp_path / "inbox").iterdir()) == []


def test_the_fakes_signatures_verify_each_header_alone(
    server: FakeServer, receiver: tuple[str, Captured]
) -> None:
    server.send_inbound_media(b"\xff\xd8 photo", "image/jpeg")
    server.wait_for_deliveries(TIMEOUT)
    ((body, headers),) = receiver[1].deliveries
    assert "X-360Dialog-Signature" in headers and "X-Hub-Signature-256" in headers
    for name in ("X-360Dialog-Signature", "X-Hub-Signature-256"):
        webhooks.verify_signature(body, [(name, headers[name])], SECRET)
    with pytest.raises(WebhookSignatureError):
        webhooks.verify_signature(body, headers, "another secret")
    with pytest.raises(WebhookSignatureError):
        webhooks.verify_signature(body.replace(b"image", b"video"), headers, SECRET)
