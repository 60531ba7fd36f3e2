"""The fake server delivers webhooks: inbound media and message statuses, signed, to a loopback
receiver written here, re-delivered until it answers 200, every attempt recorded."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from dialog360.testing import FakeServer
from shared_tls import TLS

KEY = "test-key"
SECRET = "webhook-secret-7f3a"
SPEC = json.loads((Path(__file__).resolve().parents[1] / "spec" / "openapi.json").read_text())
PAYLOAD_SCHEMA = {"$ref": "#/components/schemas/webhooks.Payload", "components": SPEC["components"]}
JPEG = bytes(range(256)) * 8
FAST = (0.0, 0.01, 0.02)


class Receiver:
    """A webhook receiver on 127.0.0.1: records every POST, answers the scripted statuses in
    turn (then 200)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.script: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.received.append((dict(self.headers.items()), body))
                    status = receiver.script.pop(0) if receiver.script else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/whatsapp?x=1"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def payloads(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(body) for _, body in self.received]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.close()


@pytest.fixture
def server(receiver: Receiver) -> Iterator[FakeServer]:
    with FakeServer(
        api_key=KEY, webhook_url=receiver.url, webhook_secret=SECRET, webhook_retry_delays=FAST
    ) as fake:
        yield fake


def client(server: FakeServer) -> httpx.Client:
    return httpx.Client(
        verify=TLS, base_url=server.base_url, headers={"D360-API-KEY": KEY}, timeout=5
    )


def the_message(payload: dict[str, Any]) -> dict[str, Any]:
    [entry] = payload["entry"]
    [change] = entry["changes"]
    assert change["field"] == "messages"
    [message] = change["value"]["messages"]
    return dict(message)


# -- inbound media --


def test_inbound_media_is_delivered_signed_and_downloadable(
    server: FakeServer, receiver: Receiver
) -> None:
    inbound = server.send_inbound_media(JPEG, "image/jpeg", caption="Invoice", sender="4915100")
    [delivery] = server.wait_for_deliveries()
    assert (delivery.kind, delivery.message_id, delivery.state) == (
        "message",
        inbound.message_id,
        "delivered",
    )
    assert [attempt.status_code for attempt in delivery.attempts] == [200]
    [(headers, body)] = receiver.received
    assert body == delivery.body
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-360Dialog-Signature"] == expected
    assert headers["X-Hub-Signature-256"] == f"sha256={expected}"
    assert headers["Content-Type"] == "application/json"

    payload = json.loads(body)
    assert payload == inbound.payload == delivery.payload
    jsonschema.validate(payload, PAYLOAD_SCHEMA)
    assert payload["object"] == "whatsapp_business_account"
    value = payload["entry"][0]["changes"][0]["value"]
    assert value["messaging_product"] == "whatsapp"
    assert set(value["metadata"]) == {"display_phone_number", "phone_number_id"}
    assert value["contacts"] == [{"profile": {"name": "Fake Sender"}, "wa_id": "4915100"}]
    message = the_message(payload)
    assert message["from"] == "4915100"
    assert message["id"] == inbound.message_id and message["id"].startswith("wamid.")
    assert message["type"] == inbound.type == "image"
    assert message["timestamp"].isdigit()
    assert abs(int(message["timestamp"]) - server.now()) < 120  # unix seconds, not millis
    image = message["image"]
    assert image["id"] == inbound.media_id
    assert image["mime_type"] == "image/jpeg"
    assert image["caption"] == "Invoice"
    assert base64.b64decode(image["sha256"]) == hashlib.sha256(JPEG).digest()

    with client(server) as c:
        metadata = c.get(f"/{inbound.media_id}").json()
        assert metadata["sha256"] == hashlib.sha256(JPEG).hexdigest()
        url = server.base_url + httpx.URL(metadata["url"]).raw_path.decode()
        assert c.get(url).content == JPEG


@pytest.mark.parametrize(
    ("data", "mime_type", "options", "kind", "fields"),
    [
        (b"mp4" * 9, "video/mp4", {"caption": "c"}, "video", {"caption": "c"}),
        (b"ogg" * 9, "audio/ogg; codecs=opus", {"voice": True}, "audio", {"voice": True}),
        (b"mp3" * 9, "audio/mpeg", {}, "audio", {"voice": False}),
        (b"%PDF" * 9, "application/pdf", {"filename": "../../etc/passwd", "caption": "x"},
         "document", {"filename": "../../etc/passwd", "caption": "x"}),
        (b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\x02" + bytes(20), "image/webp", {}, "sticker",
         {"animated": True}),
        (b"RIFF\0\0\0\0WEBPVP8 " + bytes(20), "image/webp", {}, "sticker", {"animated": False}),
        (b"zip" * 9, "application/zip", {"filename": "a.zip"}, "document", {"filename": "a.zip"}),
        (JPEG, "image/jpeg", {"message_type": "document", "filename": "scan.jpg"}, "document",
         {"filename": "scan.jpg"}),
    ],
)  # fmt: skip
def test_every_media_type_is_shaped_like_whatsapps(
    server: FakeServer,
    data: bytes,
    mime_type: str,
    options: dict[str, Any],
    kind: str,
    fields: dict[str, object],
) -> None:
    inbound = server.send_inbound_media(data, mime_type, sha256_encoding="hex", **options)
    server.wait_for_deliveries()
    jsonschema.validate(inbound.payload, PAYLOAD_SCHEMA)
    message = the_message(dict(inbound.payload))
    assert message["type"] == kind
    media = message[kind]
    assert media == {
        "id": inbound.media_id,
        "mime_type": mime_type,
        "sha256": hashlib.sha256(data).hexdigest(),
        **fields,
    }
    assert server.media[inbound.media_id].read_bytes() == data


@pytest.mark.parametrize(
    ("mime_type", "options", "problem"),
    [
        ("audio/ogg", {"caption": "c"}, "caption goes only with"),
        ("image/webp", {"caption": "c"}, "caption goes only with"),
        ("image/jpeg", {"filename": "a.jpg"}, "filename goes only with a document"),
        ("image/jpeg", {"message_type": "text"}, "must be a media message type"),
        ("image/jpeg", {"sha256_encoding": "base32"}, "sha256_encoding"),
    ],
)
def test_inbound_media_misuse_is_a_value_error(
    server: FakeServer, mime_type: str, options: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        server.send_inbound_media(b"x", mime_type, **options)
    assert server.webhook_deliveries == []
    assert server.media_ids() == []


# -- re-delivery --


def test_non_200_answers_are_redelivered_until_200(server: FakeServer, receiver: Receiver) -> None:
    receiver.script = [500, 404, 204]
    inbound = server.send_inbound_media(JPEG, "image/jpeg")
    [delivery] = server.wait_for_deliveries()
    assert delivery.state == "delivered"
    assert [attempt.status_code for attempt in delivery.attempts] == [500, 404, 204, 200]
    assert all(attempt.error is None for attempt in delivery.attempts)
    times = [attempt.time for attempt in delivery.attempts]
    assert times == sorted(times)
    bodies = {body for _, body in receiver.received}
    assert bodies == {delivery.body}  # the same bytes every time
    assert [the_message(p)["id"] for p in receiver.payloads()] == [inbound.message_id] * 4


def test_delivery_gives_up_after_the_last_delay(server: FakeServer, receiver: Receiver) -> None:
    receiver.script = [503] * 10
    server.send_inbound_media(JPEG, "image/jpeg")
    [delivery] = server.wait_for_deliveries()
    assert delivery.state == "failed"
    assert [attempt.status_code for attempt in delivery.attempts] == [503] * (len(FAST) + 1)
    assert len(receiver.received) == len(FAST) + 1


def test_connection_errors_are_retried_and_recorded() -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
        # Bound but not listening: connecting is refused.
        with FakeServer(
            webhook_url=f"http://127.0.0.1:{port}/", webhook_retry_delays=(0.0, 0.0)
        ) as server:
            server.send_inbound_media(JPEG, "image/jpeg")
            [delivery] = server.wait_for_deliveries()
    assert delivery.state == "failed"
    assert len(delivery.attempts) == 3
    for attempt in delivery.attempts:
        assert attempt.status_code is None
        assert attempt.error is not None and "ConnectionRefused" in attempt.error


def test_a_receiver_that_hangs_up_is_an_error_then_retried(receiver: Receiver) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def hang_up_once() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.close()

    hanger = threading.Thread(target=hang_up_once, daemon=True)
    hanger.start()
    with FakeServer(webhook_url=f"http://127.0.0.1:{port}/", webhook_retry_delays=()) as server:
        server.send_inbound_media(JPEG, "image/jpeg")
        [delivery] = server.wait_for_deliveries()
    hanger.join()
    listener.close()
    [attempt] = delivery.attempts
    assert attempt.status_code is None and attempt.error
    assert delivery.state == "failed"


def test_redeliver_posts_the_same_bytes_again(server: FakeServer, receiver: Receiver) -> None:
    inbound = server.send_inbound_media(JPEG, "image/jpeg")
    [original] = server.wait_for_deliveries()
    [copy] = server.redeliver(inbound.message_id)
    assert copy.redelivery and copy.state == "pending" and copy.attempts == ()
    deliveries = server.wait_for_deliveries()
    assert [(item.redelivery, item.state) for item in deliveries] == [
        (False, "delivered"),
        (True, "delivered"),
    ]
    assert deliveries[1].body == original.body
    first, second = receiver.received
    assert first == second  # same body, same signature
    with pytest.raises(KeyError):
        server.redeliver("wamid.unknown")


# -- statuses of sent messages --


def test_sent_messages_get_sent_and_delivered_statuses(
    server: FakeServer, receiver: Receiver
) -> None:
    with client(server) as c:
        answer = c.post(
            "/messages",
            json={"messaging_product": "whatsapp", "to": "4915112345678", "type": "text",
                  "text": {"body": "hi"}},
        )  # fmt: skip
        refused = c.post("/messages", json={"messaging_product": "whatsapp"})
    assert answer.status_code == 200 and refused.status_code == 400
    wamid = answer.json()["messages"][0]["id"]
    deliveries = server.wait_for_deliveries()
    assert [(item.kind, item.message_id, item.state) for item in deliveries] == [
        ("status", wamid, "delivered"),
        ("status", wamid, "delivered"),
    ]
    statuses = []
    for payload in receiver.payloads():
        jsonschema.validate(payload, PAYLOAD_SCHEMA)
        [status] = payload["entry"][0]["changes"][0]["value"]["statuses"]
        statuses.append(status)
    assert [status["status"] for status in statuses] == ["sent", "delivered"]
    for status in statuses:
        assert status["id"] == wamid
        assert status["recipient_id"] == "4915112345678"
        assert status["timestamp"].isdigit()
    assert statuses[0]["conversation"]["id"] == statuses[1]["conversation"]["id"]


def test_without_a_webhook_url_messages_send_no_webhooks() -> None:
    with FakeServer(api_key=KEY) as server, client(server) as c:
        body = {"messaging_product": "whatsapp", "to": "4915112345678", "type": "text",
                "text": {"body": "hi"}}  # fmt: skip
        assert c.post("/messages", json=body).status_code == 200
        assert server.webhook_deliveries == []
        assert server.webhook_url is None
        with pytest.raises(RuntimeError, match="no webhook_url"):
            server.send_inbound_media(JPEG, "image/jpeg")
        with pytest.raises(RuntimeError, match="no webhook_url"):
            server.wait_for_deliveries()


def test_unsigned_without_a_secret(receiver: Receiver) -> None:
    with FakeServer(webhook_url=receiver.url) as server:
        server.send_inbound_media(JPEG, "image/jpeg")
        server.wait_for_deliveries()
    [(headers, _)] = receiver.received
    assert "X-360Dialog-Signature" not in headers and "X-Hub-Signature-256" not in headers


# -- lifecycle and limits --


def test_wait_times_out_while_a_delivery_is_pending(receiver: Receiver) -> None:
    receiver.script = [500]
    with FakeServer(webhook_url=receiver.url, webhook_retry_delays=(3600.0,)) as server:
        server.send_inbound_media(JPEG, "image/jpeg")
        with pytest.raises(TimeoutError, match="1 webhook deliveries still pending"):
            server.wait_for_deliveries(timeout=0.2)
    # stop() gave it up.
    [delivery] = server.webhook_deliveries
    assert delivery.state == "failed"
    assert [attempt.status_code for attempt in delivery.attempts] == [500]


def test_delivery_restarts_with_the_server(receiver: Receiver) -> None:
    server = FakeServer(webhook_url=receiver.url)
    with server:
        server.send_inbound_media(JPEG, "image/jpeg")
        server.wait_for_deliveries()
    with server:
        server.send_inbound_media(JPEG, "image/png")
        assert [item.state for item in server.wait_for_deliveries()] == ["delivered"] * 2
    assert len(receiver.received) == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",
        "http://10.0.0.1/hook",
        "http://192.168.1.1:8080/",
        "http://0.0.0.0:8080/",
        "https://127.0.0.1/hook",
        "ftp://127.0.0.1/",
        "http:///hook",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1.nip.io/",
    ],
)
def test_only_loopback_receivers(url: str) -> None:
    with pytest.raises(ValueError, match="webhook URL"):
        FakeServer(webhook_url=url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:1/", "http://127.9.9.9/x", "http://[::1]:8080/", "http://localhost/"]
)
def test_loopback_receivers_are_accepted(url: str) -> None:
    assert FakeServer(webhook_url=url).webhook_url == url


def test_webhook_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="needs a webhook_url"):
        FakeServer(webhook_secret="s")
    with pytest.raises(ValueError, match="must not be empty"):
        FakeServer(webhook_url="http://127.0.0.1/", webhook_secret="")
    with pytest.raises(ValueError, match="delays"):
        FakeServer(webhook_url="http://127.0.0.1/", webhook_retry_delays=(-1.0,))
    with pytest.raises(ValueError, match="timeout"):
        FakeServer(webhook_url="http://127.0.0.1/", webhook_timeout=0)


# -- the control route --


def post_inbound(
    server: FakeServer, data: bytes, mime_type: str, key: str = KEY, **query: str
) -> httpx.Response:
    return httpx.post(
        server.base_url + "/_fake/inbound-media",
        content=data,
        params=query,
        headers={"Content-Type": mime_type, "D360-API-KEY": key},
        verify=TLS,
    )


def test_control_route_sends_an_inbound_media(server: FakeServer, receiver: Receiver) -> None:
    response = post_inbound(
        server, b"%PDF-1.4", "application/pdf", filename="r.pdf", caption="c", sender="49151"
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["type"] == "document"
    server.wait_for_deliveries()
    message = the_message(receiver.payloads()[0])
    assert message["id"] == answer["message_id"]
    assert message["from"] == "49151"
    assert message["document"]["id"] == answer["media_id"]
    assert message["document"]["filename"] == "r.pdf"
    assert server.media[answer["media_id"]].read_bytes() == b"%PDF-1.4"
    assert server.requests[0].route == "inbound_media"


@pytest.mark.parametrize(
    ("key", "data", "mime_type", "query", "status"),
    [
        ("wrong-key", b"x", "image/jpeg", {}, 401),
        (KEY, b"", "image/jpeg", {}, 400),
        (KEY, b"x", "image/jpeg", {"colour": "red"}, 400),
        (KEY, b"x", "image/jpeg", {"voice": "maybe"}, 400),
        (KEY, b"x", "image/jpeg", {"type": "text"}, 400),
        (KEY, b"x", "image/jpeg", {"sha256_encoding": "b32"}, 400),
        (KEY, b"x", "image/jpeg", {"filename": "a.jpg"}, 400),
    ],
)
def test_control_route_refusals(
    server: FakeServer, key: str, data: bytes, mime_type: str, query: dict[str, str], status: int
) -> None:
    response = post_inbound(server, data, mime_type, key=key, **query)
    assert response.status_code == status, response.text
    assert isinstance(response.json()["error"], str)
    assert server.webhook_deliveries == []
    assert server.media_ids() == []


def test_control_route_without_a_webhook_is_409() -> None:
    with FakeServer(api_key=KEY) as server:
        response = post_inbound(server, b"x", "image/jpeg")
    assert response.status_code == 409
    assert "no webhook URL" in response.json()["error"]


def test_control_route_other_methods_are_405(server: FakeServer) -> None:
    response = httpx.get(
        server.base_url + "/_fake/inbound-media", headers={"D360-API-KEY": KEY}, verify=TLS
    )
    assert (response.status_code, response.headers["allow"]) == (405, "POST")


# -- the pytest fixture factory --


def test_fixture_factory(
    make_fake_360dialog: Callable[..., FakeServer], receiver: Receiver
) -> None:
    server = make_fake_360dialog(webhook_url=receiver.url, webhook_secret=SECRET)
    assert server.running and server.api_key == "test-key"
    inbound = server.send_inbound_media(JPEG, "image/jpeg")
    [delivery] = server.wait_for_deliveries()
    assert delivery.state == "delivered" and delivery.message_id == inbound.message_id
    other = make_fake_360dialog(api_key="other-key")
    assert other.running and other.port != server.port
