"""client.messages over real sockets against the fake API: upload-then-send, by id, by link,
replies, Meta's rejections, and a message never sent twice."""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path
from typing import Any

import httpx
import pytest
from dialog360 import (
    APIConnectionError,
    AsyncDialog360,
    BadRequestError,
    InvalidMessageError,
    RateLimitError,
    ServerError,
)
from dialog360.testing import FakeServer, Fault
from messages_twin import MessagesTwin

TO = "4915112345678"


def media_bytes(size: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(size)


JPEG = media_bytes(200_000, seed=3)


@pytest.fixture
def messages(d360: Any) -> MessagesTwin:
    return MessagesTwin(d360.client)


def _last_sent(server: FakeServer) -> dict[str, Any]:
    return dict(server.sent_messages[-1].body)


async def test_upload_then_send(
    messages: MessagesTwin, d360: Any, server: FakeServer, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(JPEG)
    progress: list[int] = []
    answer = await messages.send_media(
        "+49 151 1234 5678",
        file=photo,
        caption="Your receipt",
        on_progress=lambda done, total: progress.append(done),
    )
    assert d360.routes() == ["upload_media", "send_message"]
    (sent,) = server.sent_messages
    uploaded = sent.body["image"]["id"]
    assert server.media[uploaded].data == JPEG
    assert server.media[uploaded].mime_type == "image/jpeg"
    assert sent.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": "image",
        "image": {"id": uploaded, "caption": "Your receipt"},
    }
    assert answer.messages[0].id == sent.message_id
    assert answer.contacts[0].wa_id == TO
    assert progress[-1] == len(JPEG)


async def test_a_document_file_keeps_its_name(
    messages: MessagesTwin, server: FakeServer, tmp_path: Path
) -> None:
    pdf = tmp_path / "Invoice 2024-03.pdf"
    pdf.write_bytes(b"%PDF-1.7 " + media_bytes(5000))
    await messages.send_media(TO, file=pdf)
    body = _last_sent(server)
    assert body["type"] == "document"
    assert body["document"]["filename"] == "Invoice 2024-03.pdf"
    assert server.media[body["document"]["id"]].data == pdf.read_bytes()


@pytest.mark.parametrize(
    ("mime_type", "kind"),
    [
        ("image/png", "image"),
        ("video/mp4", "video"),
        ("audio/ogg", "audio"),
        ("image/webp", "sticker"),
        ("application/pdf", "document"),
    ],
)
async def test_send_by_id(
    messages: MessagesTwin, server: FakeServer, mime_type: str, kind: str
) -> None:
    media_id = server.add_media(media_bytes(3000), mime_type=mime_type)
    await messages.send_media(TO, media_id=media_id, mime_type=mime_type)
    body = _last_sent(server)
    assert body["type"] == kind
    assert body[kind] == {"id": media_id}


async def test_any_media_may_go_as_a_document(messages: MessagesTwin, server: FakeServer) -> None:
    media_id = server.add_media(JPEG, mime_type="image/jpeg")
    await messages.send_media(TO, media_id=media_id, type="document", filename="full.jpg")
    assert _last_sent(server)["document"] == {"id": media_id, "filename": "full.jpg"}


async def test_send_by_link(messages: MessagesTwin, d360: Any, server: FakeServer) -> None:
    link = "https://cdn.example.com/v/clip.mp4?sig=a%2Fb"
    await messages.send_media(TO, link=link, caption="watch")
    assert _last_sent(server)["video"] == {"link": link, "caption": "watch"}
    assert d360.routes() == ["send_message"]


async def test_reply(messages: MessagesTwin, server: FakeServer) -> None:
    first = await messages.send_text(TO, "Which size?")
    question = first.messages[0].id
    await messages.send_text(TO, "Medium", reply_to=question)
    media_id = server.add_media(JPEG, mime_type="image/jpeg")
    await messages.send_media(TO, media_id=media_id, type="image", reply_to=question)
    replies = [sent.body for sent in server.sent_messages[1:]]
    assert [reply["context"] for reply in replies] == [{"message_id": question}] * 2
    assert replies[0]["text"] == {"body": "Medium", "preview_url": False}


async def test_unknown_media_id_is_metas_400(
    messages: MessagesTwin, d360: Any, server: FakeServer
) -> None:
    with pytest.raises(BadRequestError) as info:
        await messages.send_media(TO, media_id="123456789", type="image")
    assert info.value.status_code == 400
    assert str(info.value) == (
        "HTTP 400 from POST /messages: (#131009) Parameter value is not valid "
        "(Unknown media id 123456789) [code 131009]"
    )
    assert info.value.response is not None
    assert info.value.response.json()["error"]["code"] == 131009
    assert server.sent_messages == []
    assert d360.routes() == ["send_message"]  # a 400 is never retried


async def test_media_of_another_kind_is_metas_400(
    messages: MessagesTwin, server: FakeServer
) -> None:
    # Without a mime type the client cannot know the stored media is a pdf: the API refuses.
    media_id = server.add_media(b"%PDF-1.7", mime_type="application/pdf")
    with pytest.raises(
        BadRequestError, match=r"of type application/pdf cannot be sent as image\) \[code 131053\]"
    ):
        await messages.send_media(TO, media_id=media_id, type="image")
    assert server.sent_messages == []


# Messages the client refuses before sending: sent raw, the fake (like Meta) refuses them too.
def _image(**fields: Any) -> dict[str, Any]:
    return {"type": "image", "image": fields}


REFUSED = [
    pytest.param(
        {"to": "12345", **_image(id="1")},
        {"to": "12345", "media_id": "1", "type": "image"},
        131009,
        id="short-number",
    ),
    pytest.param(
        {"to": TO, "type": "audio", "audio": {"id": "1", "caption": "x"}},
        {"to": TO, "media_id": "1", "type": "audio", "caption": "x"},
        100,
        id="caption-on-audio",
    ),
    pytest.param(
        {"to": TO, **_image(id="1", filename="a.jpg")},
        {"to": TO, "media_id": "1", "type": "image", "filename": "a.jpg"},
        100,
        id="filename-on-image",
    ),
    pytest.param(
        {"to": TO, **_image(link="http://e.com/a.jpg")},
        {"to": TO, "link": "http://e.com/a.jpg", "type": "image"},
        131009,
        id="http-link",
    ),
    pytest.param(
        {"to": TO, **_image(id="1", link="https://e.com/a.jpg")},
        {"to": TO, "media_id": "1", "link": "https://e.com/a.jpg", "type": "image"},
        100,
        id="id-and-link",
    ),
    pytest.param(
        {"to": TO, **_image(id="1", caption="c" * 1025)},
        {"to": TO, "media_id": "1", "type": "image", "caption": "c" * 1025},
        100,
        id="long-caption",
    ),
]


async def _post_raw(client: Any, body: dict[str, Any]) -> httpx.Response:
    """POST /messages through the generated client's own httpx client (our transport)."""
    if isinstance(client, AsyncDialog360):
        return await client.api.get_async_httpx_client().post("/messages", json=body)
    response: httpx.Response = client.api.get_httpx_client().post("/messages", json=body)
    return response


@pytest.mark.parametrize(("raw", "call", "code"), REFUSED)
async def test_what_the_client_refuses_the_api_refuses_too(
    messages: MessagesTwin,
    server: FakeServer,
    raw: dict[str, Any],
    call: dict[str, Any],
    code: int,
) -> None:
    body = {"messaging_product": "whatsapp", "recipient_type": "individual", **raw}
    with pytest.raises(BadRequestError, match=rf"\[code {code}\]$"):
        await _post_raw(messages.client, body)
    assert len(server.requests) == 1
    with pytest.raises(InvalidMessageError):
        await messages.send_media(**call)
    assert len(server.requests) == 1  # the client sent nothing
    assert server.sent_messages == []


async def test_an_empty_text_is_refused_by_both(messages: MessagesTwin, server: FakeServer) -> None:
    body = {"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": ""}}
    with pytest.raises(BadRequestError, match="must be 1 to 4096 characters long"):
        await _post_raw(messages.client, body)
    with pytest.raises(InvalidMessageError, match="empty"):
        await messages.send_text(TO, "")
    assert len(server.requests) == 1


# -- never sent twice ---------------------------------------------------------------------------


async def test_a_500_is_not_retried(messages: MessagesTwin, d360: Any, server: FakeServer) -> None:
    server.inject("send_message", Fault.status(500))
    with pytest.raises(ServerError):
        await messages.send_text(TO, "once")
    assert d360.count("send_message") == 1


async def test_an_answer_lost_after_the_send_is_not_retried(
    messages: MessagesTwin, d360: Any, server: FakeServer
) -> None:
    # The fake accepts the message, then the connection breaks mid-answer: resending would
    # deliver it twice.
    server.inject("send_message", Fault.close_mid_body())
    with pytest.raises(APIConnectionError):
        await messages.send_text(TO, "exactly once")
    assert d360.count("send_message") == 1
    assert len(server.sent_messages) == 1


async def test_a_connection_closed_before_the_answer_is_not_retried(
    messages: MessagesTwin, d360: Any, server: FakeServer
) -> None:
    server.inject("send_message", Fault.close_before())
    with pytest.raises(APIConnectionError):
        await messages.send_text(TO, "once")
    assert d360.count("send_message") == 1


@pytest.mark.parametrize("status", [429, 503])
async def test_retried_when_the_server_says_when(
    messages: MessagesTwin, d360: Any, server: FakeServer, status: int
) -> None:
    server.inject("send_message", Fault.status(status, retry_after="1"))
    answer = await messages.send_text(TO, "later")
    assert d360.count("send_message") == 2
    (sent,) = server.sent_messages
    assert answer.messages[0].id == sent.message_id


async def test_429_without_retry_after_is_raised(
    messages: MessagesTwin, d360: Any, server: FakeServer
) -> None:
    server.inject("send_message", Fault.status(429))
    with pytest.raises(RateLimitError):
        await messages.send_text(TO, "x")
    assert d360.count("send_message") == 1


async def test_retried_when_nothing_listens(
    make_d360: Any, listener: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # A port nobody accepts on: every attempt is a connect error, surely never delivered.
    closed = listener()
    closed.close()
    messages = MessagesTwin(make_d360(base_url=closed.origin, max_retries=2).client)
    with (
        caplog.at_level(logging.DEBUG, logger="dialog360"),
        pytest.raises(APIConnectionError, match="POST /messages failed"),
    ):
        await messages.send_text(TO, "x")
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retry ")]
    assert len(retries) == 2
    assert all("of POST /messages" in line and "ConnectError" in line for line in retries)


async def test_a_failed_send_after_the_upload_tells_the_media_id(
    messages: MessagesTwin, d360: Any, server: FakeServer, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(JPEG)
    server.inject("send_message", Fault.status(500))
    with pytest.raises(ServerError) as info:
        await messages.send_media(TO, file=photo)
    media_id = info.value.uploaded_media_id  # type: ignore[attr-defined]
    assert server.media[media_id].data == JPEG
    await messages.send_media(TO, media_id=media_id, type="image")
    assert d360.routes() == ["upload_media", "send_message", "send_message"]
    assert _last_sent(server)["image"] == {"id": media_id}


async def test_an_echoed_key_shows_in_no_error(messages: MessagesTwin, server: FakeServer) -> None:
    key = server.api_key
    server.inject("send_message", Fault.status(400, body=json.dumps({"error": f"bad {key}"})))
    with pytest.raises(BadRequestError) as info:
        await messages.send_text(TO, "x")
    assert key not in str(info.value)
    assert info.value.response is not None
    assert key not in info.value.response.text
