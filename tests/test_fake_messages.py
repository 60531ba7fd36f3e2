"""POST /messages on the fake server: checked like the Cloud API, answered and recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from dialog360.testing import FakeServer, Fault
from shared_tls import TLS

KEY = "test-key"
TO = "4915112345678"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)
PDF = b"%PDF-1.4\n" + bytes(200)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def client(server: FakeServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        verify=TLS, base_url=server.base_url, headers={"D360-API-KEY": KEY}, timeout=5
    ) as c:
        yield c


def message(kind: str = "text", content: object = None, **top: object) -> dict[str, Any]:
    body: dict[str, Any] = {"messaging_product": "whatsapp", "to": TO, "type": kind}
    body[kind] = {"body": "hello"} if content is None else content
    return body | top


def refusal(response: httpx.Response, code: int) -> str:
    """Asserts Meta's 400 error shape with `code`; returns the details."""
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "OAuthException"
    assert error["code"] == code
    assert error["message"].startswith(f"(#{code}) ")
    assert error["error_data"]["messaging_product"] == "whatsapp"
    assert error["fbtrace_id"]
    details: str = error["error_data"]["details"]
    return details


# -- accepted --


def test_text_message_is_answered_and_recorded(server: FakeServer, client: httpx.Client) -> None:
    body = message(text={"body": "hi there", "preview_url": True}, recipient_type="individual")
    response = client.post("/messages", json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["messaging_product"] == "whatsapp"
    assert answer["contacts"] == [{"input": TO, "wa_id": TO}]
    [sent_id] = [item["id"] for item in answer["messages"]]
    assert sent_id.startswith("wamid.") and len(sent_id) > 20
    [sent] = server.sent_messages
    assert (sent.message_id, sent.to, sent.wa_id, sent.type) == (sent_id, TO, TO, "text")
    assert sent.body == body
    assert sent.time == pytest.approx(server.now(), abs=5)


def test_every_message_gets_its_own_id(server: FakeServer, client: httpx.Client) -> None:
    ids = {client.post("/messages", json=message()).json()["messages"][0]["id"] for _ in range(5)}
    assert len(ids) == 5
    assert {sent.message_id for sent in server.sent_messages} == ids


@pytest.mark.parametrize(
    ("kind", "mime_type", "data", "extra"),
    [
        ("image", "image/png", PNG, {"caption": "a" * 1024}),
        ("video", "video/mp4", b"mp4" * 10, {"caption": "v"}),
        ("audio", "audio/ogg", b"ogg" * 10, {}),
        ("document", "application/pdf", PDF, {"caption": "c", "filename": "f" * 240}),
        ("document", "image/png", PNG, {"filename": "photo.png"}),  # anything goes as a document
        ("sticker", "image/webp", b"RIFF" + bytes(30), {}),
    ],
)
def test_media_message_by_uploaded_id(
    server: FakeServer,
    client: httpx.Client,
    kind: str,
    mime_type: str,
    data: bytes,
    extra: dict[str, str],
) -> None:
    upload = client.post(
        "/media",
        data={"messaging_product": "whatsapp", "type": mime_type},
        files={"file": ("f", data, mime_type)},
    )
    assert upload.status_code == 200, upload.text
    media_id = upload.json()["id"]
    body = message(kind, {"id": media_id} | extra, context={"message_id": "wamid.earlier"})
    response = client.post("/messages", json=body)
    assert response.status_code == 200, response.text
    assert server.sent_messages[-1].body == body


def test_media_message_by_link(server: FakeServer, client: httpx.Client) -> None:
    body = message("image", {"link": "https://example.com/a.jpg?x=1", "caption": "linked"})
    assert client.post("/messages", json=body).status_code == 200
    assert server.sent_messages[-1].type == "image"


def test_content_type_with_charset_is_json(client: httpx.Client) -> None:
    response = client.post(
        "/messages",
        content=json.dumps(message()).encode(),
        headers={"Content-Type": "Application/JSON; charset=utf-8"},
    )
    assert response.status_code == 200, response.text


# -- refused --


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"not json", "application/json"),
        (b'{"messaging_product": NaN}', "application/json"),
        (b"\xff\xfe{}", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'"text"', "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (json.dumps(message()).encode(), "text/plain"),
        (json.dumps(message()).encode(), "application/x-www-form-urlencoded"),
        (b"", "application/json"),
    ],
)
def test_bodies_that_are_not_a_json_object(
    server: FakeServer, client: httpx.Client, content: bytes, content_type: str
) -> None:
    response = client.post("/messages", content=content, headers={"Content-Type": content_type})
    refusal(response, 100)
    assert server.sent_messages == []


def test_without_content_type(client: httpx.Client) -> None:
    request = client.build_request("POST", "/messages", content=json.dumps(message()).encode())
    assert "Content-Type" not in request.headers
    refusal(client.send(request), 100)


MISSING = object()
FULLWIDTH_TO = "".join(chr(0xFF10 + int(digit)) for digit in TO)  # digits to str.isdigit()


@pytest.mark.parametrize(
    ("change", "code", "details"),
    [
        ({"messaging_product": MISSING}, 131008, "messaging_product is required"),
        ({"messaging_product": "sms"}, 100, "messaging_product must be one of"),
        ({"messaging_product": ["whatsapp"]}, 100, "must be a string"),
        ({"recipient_type": "group"}, 100, "recipient_type must be one of"),
        ({"to": MISSING}, 131008, "to is required"),
        ({"to": 4915112345678}, 100, "to must be a string"),
        ({"to": "+4915112345678"}, 131009, "not a phone number"),
        ({"to": "491 5112345678"}, 131009, "not a phone number"),
        ({"to": "123456"}, 131009, "not a phone number"),
        ({"to": "1234567890123456"}, 131009, "not a phone number"),
        ({"to": FULLWIDTH_TO}, 131009, "not a phone number"),
        ({"type": MISSING}, 131008, "type is required"),
        ({"type": "location"}, 100, "type must be one of"),
        ({"type": "image"}, 100, 'Unexpected key "text"'),
        ({"image": {"id": "1"}}, 100, 'Unexpected key "image"'),
        ({"location": {}}, 100, 'Unexpected key "location"'),
        ({"surprise": 1}, 100, 'Unexpected key "surprise" on param "<root>"'),
        ({"text": MISSING}, 131008, "text is required"),
        ({"text": "hello"}, 100, "text must be a JSON object"),
        ({"text": {}}, 131008, "text['body'] is required"),
        ({"text": {"body": ""}}, 100, "1 to 4096 characters"),
        ({"text": {"body": "é" * 4097}}, 100, "1 to 4096 characters"),
        ({"text": {"body": 5}}, 100, "must be a string"),
        ({"text": {"body": "x", "preview_url": "yes"}}, 100, "preview_url'] must be a boolean"),
        ({"text": {"body": "x", "caption": "no"}}, 100, 'Unexpected key "caption" on param "text"'),
        ({"context": "wamid.x"}, 100, "context must be a JSON object"),
        ({"context": {}}, 100, "message_id'] must be a message id"),
        ({"context": {"message_id": ""}}, 100, "message_id'] must be a message id"),
        ({"context": {"message_id": 7}}, 100, "message_id'] must be a message id"),
        ({"context": {"message_id": "w", "x": 1}}, 100, 'Unexpected key "x" on param "context"'),
    ],
)
def test_message_rules(
    server: FakeServer, client: httpx.Client, change: dict[str, object], code: int, details: str
) -> None:
    body = {key: value for key, value in (message() | change).items() if value is not MISSING}
    assert details in refusal(client.post("/messages", json=body), code)
    assert server.sent_messages == []


@pytest.mark.parametrize(
    ("kind", "content", "code", "details"),
    [
        ("image", {}, 100, "exactly one of 'id' and 'link'"),
        ("image", {"id": "{id}", "link": "https://a.example/x.png"}, 100, "exactly one of"),
        ("image", {"id": "999999"}, 131009, "Unknown media id 999999"),
        ("image", {"id": 12}, 100, "must be a media id"),
        ("image", {"id": "12a"}, 100, "must be a media id"),
        ("image", {"link": "http://a.example/x.png"}, 131009, "must be an https URL"),
        ("image", {"link": "https://"}, 131009, "must be an https URL"),
        ("image", {"link": "https://a.example/x y.png"}, 131009, "must be an https URL"),
        ("image", {"link": "ftp://a.example/x.png"}, 131009, "must be an https URL"),
        ("image", {"id": "{id}", "caption": ""}, 100, "caption'] must be 1 to 1024"),
        ("image", {"id": "{id}", "caption": "c" * 1025}, 100, "caption'] must be 1 to 1024"),
        ("image", {"id": "{id}", "filename": "a.png"}, 100, 'Unexpected key "filename"'),
        ("audio", {"link": "https://a.example/a.ogg", "caption": "c"}, 100, 'key "caption"'),
        ("sticker", {"link": "https://a.example/s.webp", "caption": "c"}, 100, 'key "caption"'),
        ("document", {"link": "https://a.example/d.pdf", "filename": ""}, 100, "1 to 240"),
        ("document", {"link": "https://a.example/d.pdf", "filename": "f" * 241}, 100, "1 to 240"),
        ("video", {"id": "{id}"}, 131053, "of type image/png cannot be sent as video"),
        ("sticker", {"id": "{id}"}, 131053, "cannot be sent as sticker"),
        ("video", {"link": "https://a.example/v.mp4", "voice": True}, 100, 'key "voice"'),
    ],
)
def test_media_rules(
    server: FakeServer,
    client: httpx.Client,
    kind: str,
    content: dict[str, object],
    code: int,
    details: str,
) -> None:
    media_id = server.add_media(PNG, mime_type="image/png")
    filled = {key: media_id if value == "{id}" else value for key, value in content.items()}
    assert details in refusal(client.post("/messages", json=message(kind, filled)), code)
    assert server.sent_messages == []


def test_media_of_an_unknown_type_goes_only_as_a_document(
    server: FakeServer, client: httpx.Client
) -> None:
    media_id = server.add_media(b"zip" * 10, mime_type="application/zip")
    refusal(client.post("/messages", json=message("image", {"id": media_id})), 131053)
    assert client.post("/messages", json=message("document", {"id": media_id})).status_code == 200


def test_deleted_media_is_unknown(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(PNG, mime_type="image/png")
    assert client.delete(f"/{media_id}").status_code == 200
    refusal(client.post("/messages", json=message("image", {"id": media_id})), 131009)


@pytest.mark.parametrize("key", [None, "wrong-key", ""])
def test_the_key_is_checked_first_in_metas_shape(server: FakeServer, key: str | None) -> None:
    headers = {} if key is None else {"D360-API-KEY": key}
    response = httpx.post(
        server.base_url + "/messages", json={"nonsense": True}, headers=headers, verify=TLS
    )
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == 190 and error["type"] == "OAuthException"
    assert KEY not in response.text
    assert server.sent_messages == []


def test_oversized_body_is_413_in_metas_shape(server: FakeServer, client: httpx.Client) -> None:
    body = message(text={"body": "x" * (1024 * 1024)})
    response = client.post("/messages", json=body)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == 100
    assert server.sent_messages == []


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_other_methods_on_messages_route_like_media(client: httpx.Client, method: str) -> None:
    # Like /media: the router takes "messages" for a media id.
    response = client.request(method, "/messages")
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid media ID: it must be numeric"}


def test_put_on_messages_is_405(client: httpx.Client) -> None:
    response = client.put("/messages", json=message())
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


# -- faults and records --


def test_faults_on_the_send_message_route(server: FakeServer, client: httpx.Client) -> None:
    server.inject("send_message", Fault.status(503, retry_after="1"))
    server.inject("send_message", Fault.close_before())
    first = client.post("/messages", json=message())
    assert (first.status_code, first.headers["retry-after"]) == (503, "1")
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/messages", json=message())
    assert server.sent_messages == []  # a replaced answer sends nothing
    assert client.post("/messages", json=message()).status_code == 200
    routes = [(request.route, request.fault) for request in server.requests]
    assert [route for route, _ in routes] == ["send_message"] * 3
    assert [fault.kind if fault else None for _, fault in routes] == [
        "status",
        "close_before",
        None,
    ]


def test_a_message_cut_mid_answer_was_still_sent(server: FakeServer, client: httpx.Client) -> None:
    # What makes POST /messages unsafe to retry: the server acted, the client saw no answer.
    server.inject("send_message", Fault.close_mid_body(after_bytes=10))
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/messages", json=message())
    assert len(server.sent_messages) == 1


def test_requests_record_the_body_size(server: FakeServer, client: httpx.Client) -> None:
    content = json.dumps(message()).encode()
    client.post("/messages", content=content, headers={"Content-Type": "application/json"})
    [request] = server.requests
    assert (request.method, request.path, request.body_size) == ("POST", "/messages", len(content))
