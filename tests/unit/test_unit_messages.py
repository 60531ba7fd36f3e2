"""client.messages on both clients: what is sent, every check before sending, retries, answers."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from dialog360 import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    BadRequestError,
    InvalidMediaIdError,
    InvalidMessageError,
    RateLimitError,
    ServerError,
    UnsupportedMediaError,
)
from dialog360_api.models import SendMessageResponse
from messages_twin import MessagesTwin

TO = "4915112345678"
WAMID = "wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjQ5QkE1QjNGRDQ0QjY2QjI0OAA="
UPLOADED = "4490709327384033"
JPEG = b"\xff\xd8\xff\xe0" + b"fake jpeg body " * 200
SPEC = json.loads((Path(__file__).parents[2] / "spec" / "openapi.json").read_text())


@pytest.fixture
def messages(d360: Any) -> MessagesTwin:
    return MessagesTwin(d360.client)


def answer(to: str = TO, message_id: str = WAMID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": message_id, "message_status": "accepted"}],
    }
    body.update(overrides)
    return body


def add_sent(server: Any, **kwargs: Any) -> None:
    kwargs.setdefault("json", answer())
    server.mock.add_response(method="POST", url=f"{server.base}/messages", **kwargs)


def add_uploaded(server: Any, media_id: str = UPLOADED) -> None:
    server.mock.add_response(method="POST", url=f"{server.base}/media", json={"id": media_id})


def sent(server: Any) -> list[dict[str, Any]]:
    """The JSON bodies of every POST /messages, in order."""
    requests = server.mock.get_requests(method="POST", url=f"{server.base}/messages")
    return [json.loads(request.content) for request in requests]


def uploads(server: Any) -> list[httpx.Request]:
    return list(server.mock.get_requests(method="POST", url=f"{server.base}/media"))


def envelope(kind: str, **objects: Any) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": kind,
        **objects,
    }


# -- what is sent ---------------------------------------------------------------------------


async def test_send_text_posts_the_message_and_returns_the_answer(
    messages: MessagesTwin, server: Any
) -> None:
    add_sent(server)
    result = await messages.send_text(TO, "Hello")
    assert isinstance(result, SendMessageResponse)
    assert result.messages[0].id == WAMID
    assert result.messages[0].message_status == "accepted"
    assert result.contacts[0].wa_id == TO
    (request,) = server.requests()
    assert request.method == "POST"
    assert request.url == f"{server.base}/messages"
    assert request.headers["D360-API-KEY"] == server.key
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == envelope(
        "text", text={"body": "Hello", "preview_url": False}
    )


async def test_send_text_with_preview_and_reply(messages: MessagesTwin, server: Any) -> None:
    add_sent(server)
    await messages.send_text(TO, "see https://example.com", preview_url=True, reply_to=WAMID)
    assert sent(server) == [
        envelope(
            "text",
            text={"body": "see https://example.com", "preview_url": True},
            context={"message_id": WAMID},
        )
    ]


@pytest.mark.parametrize(
    "written",
    [
        "+49 151 12345678",
        "49-151-123-456-78",
        "+49 (151) 123.456.78",
        "  4915112345678\n",
        "(49)15112345678",
    ],
)
async def test_numbers_are_normalised_to_digits(
    messages: MessagesTwin, server: Any, written: str
) -> None:
    add_sent(server)
    await messages.send_text(written, "hi")
    assert sent(server)[0]["to"] == TO


@pytest.mark.parametrize("digits", ["1234567", "123456789012345"])
async def test_seven_and_fifteen_digits_are_accepted(
    messages: MessagesTwin, server: Any, digits: str
) -> None:
    add_sent(server)
    await messages.send_text(digits, "hi")
    assert sent(server)[0]["to"] == digits


async def test_longest_text_and_caption_are_accepted(messages: MessagesTwin, server: Any) -> None:
    add_sent(server)
    add_sent(server)
    await messages.send_text(TO, "é" * 4096)
    await messages.send_media(TO, media_id="1", type="image", caption="ü" * 1024)
    first, second = sent(server)
    assert len(first["text"]["body"]) == 4096
    assert len(second["image"]["caption"]) == 1024


@pytest.mark.parametrize("kind", ["image", "video", "audio", "document", "sticker"])
async def test_send_media_by_id(messages: MessagesTwin, server: Any, kind: str) -> None:
    add_sent(server)
    await messages.send_media(TO, media_id="1234567890", type=kind)
    assert sent(server) == [envelope(kind, **{kind: {"id": "1234567890"}})]


async def test_send_media_by_link_with_caption_and_reply(
    messages: MessagesTwin, server: Any
) -> None:
    add_sent(server)
    link = "https://cdn.example.com/photos/cat.jpg?sig=a%2Fb&x=1"
    await messages.send_media(TO, link=link, caption="a cat", reply_to=WAMID)
    assert sent(server) == [
        envelope("image", image={"link": link, "caption": "a cat"}, context={"message_id": WAMID})
    ]


async def test_a_link_scheme_in_capitals_is_sent_in_lower_case(
    messages: MessagesTwin, server: Any
) -> None:
    add_sent(server)
    await messages.send_media(TO, link="HTTPS://example.com/a.pdf")
    assert sent(server)[0]["document"] == {"link": "https://example.com/a.pdf"}


@pytest.mark.parametrize(
    ("mime_type", "kind"),
    [
        ("image/jpeg", "image"),
        ("image/png", "image"),
        ("image/webp", "sticker"),
        ("audio/ogg; codecs=opus", "audio"),
        ("video/mp4", "video"),
        ("application/pdf", "document"),
        ("text/plain", "document"),
    ],
)
async def test_type_derived_from_mime_type(
    messages: MessagesTwin, server: Any, mime_type: str, kind: str
) -> None:
    add_sent(server)
    await messages.send_media(TO, media_id="42", mime_type=mime_type)
    assert sent(server)[0]["type"] == kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [("clip.mp4", "video"), ("voice.opus", "audio"), ("s.webp", "sticker"), ("x.PNG", "image")],
)
async def test_type_derived_from_the_link_name(
    messages: MessagesTwin, server: Any, name: str, kind: str
) -> None:
    add_sent(server)
    await messages.send_media(TO, link=f"https://example.com/media/{name}?token=1.2")
    assert sent(server)[0]["type"] == kind


async def test_document_with_caption_and_filename(messages: MessagesTwin, server: Any) -> None:
    add_sent(server)
    await messages.send_media(
        TO, media_id="77", type="document", caption="March", filename="Invoice März.pdf"
    )
    assert sent(server)[0]["document"] == {
        "id": "77",
        "caption": "March",
        "filename": "Invoice März.pdf",
    }


# -- upload, then send ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind", "mime_type"),
    [
        ("photo.jpg", JPEG, "image", "image/jpeg"),
        ("sticker.webp", b"RIFF....WEBPVP8 ", "sticker", "image/webp"),
        ("voice.ogg", b"OggS voice", "audio", "audio/ogg"),
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42", "video", "video/mp4"),
    ],
)
async def test_file_is_uploaded_then_sent_by_its_new_id(
    messages: MessagesTwin,
    server: Any,
    tmp_path: Path,
    name: str,
    content: bytes,
    kind: str,
    mime_type: str,
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    add_uploaded(server)
    add_sent(server)
    await messages.send_media(TO, file=source)
    upload, send = server.requests()
    assert upload.url.path == "/media"
    parts = server.multipart(upload)
    assert parts["file"]["data"] == content
    assert parts["file"]["filename"] == name
    assert parts["type"]["data"] == mime_type.encode()
    assert send.url.path == "/messages"
    assert json.loads(send.content) == envelope(kind, **{kind: {"id": UPLOADED}})


async def test_a_document_file_is_shown_with_its_own_name(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    source = tmp_path / "report-2024.pdf"
    source.write_bytes(b"%PDF-1.7 report")
    add_uploaded(server)
    add_sent(server)
    await messages.send_media(TO, file=str(source), caption="the report")
    assert sent(server)[0]["document"] == {
        "id": UPLOADED,
        "caption": "the report",
        "filename": "report-2024.pdf",
    }


async def test_filename_renames_the_document_but_not_the_upload(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    source = tmp_path / "scan0001.pdf"
    source.write_bytes(b"%PDF-1.7 scan")
    add_uploaded(server)
    add_sent(server)
    await messages.send_media(TO, file=source, filename="Contract")
    upload = server.multipart(uploads(server)[0])
    assert upload["file"]["filename"] == "scan0001.pdf"
    assert upload["type"]["data"] == b"application/pdf"
    assert sent(server)[0]["document"] == {"id": UPLOADED, "filename": "Contract"}


async def test_bytes_are_uploaded_under_the_filename(messages: MessagesTwin, server: Any) -> None:
    add_uploaded(server)
    add_sent(server)
    await messages.send_media(TO, file=b"%PDF-1.7", filename="invoice.pdf")
    assert server.multipart(uploads(server)[0])["file"]["filename"] == "invoice.pdf"
    assert sent(server)[0] == envelope(
        "document", document={"id": UPLOADED, "filename": "invoice.pdf"}
    )


async def test_bytes_with_mime_type_and_an_open_file(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    add_uploaded(server, "1")
    add_sent(server)
    add_uploaded(server, "2")
    add_sent(server)
    await messages.send_media(TO, file=JPEG, mime_type="image/jpeg")
    source = tmp_path / "doc.txt"
    source.write_bytes(b"plain text")
    with open(source, "rb") as handle:
        await messages.send_media(TO, file=handle)
    first, second = sent(server)
    assert first == envelope("image", image={"id": "1"})
    # An unnamed source (bytes) gets no made-up file name; an open file keeps its own.
    assert second == envelope("document", document={"id": "2", "filename": "doc.txt"})


async def test_an_image_may_go_as_a_document(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    source = tmp_path / "full-resolution.jpg"
    source.write_bytes(JPEG)
    add_uploaded(server)
    add_sent(server)
    await messages.send_media(TO, file=source, type="document")
    assert server.multipart(uploads(server)[0])["type"]["data"] == b"image/jpeg"
    assert sent(server)[0]["document"] == {"id": UPLOADED, "filename": "full-resolution.jpg"}


async def test_upload_progress_is_reported(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(JPEG)
    add_uploaded(server)
    add_sent(server)
    progress: list[tuple[int, int | None]] = []
    await messages.send_media(TO, file=source, on_progress=lambda *p: progress.append(p))
    assert progress[-1] == (len(JPEG), len(JPEG))


async def test_the_callers_progress_error_passes_through_and_nothing_is_sent(
    messages: MessagesTwin, server: Any
) -> None:
    class Stop(Exception):
        pass

    def on_progress(done: int, total: int | None) -> None:
        raise Stop

    # The upload breaks off inside its body, when the mock reads it.
    server.mock.add_response(
        method="POST", url=f"{server.base}/media", json={"id": "1"}, is_optional=True
    )
    with pytest.raises(Stop):
        await messages.send_media(TO, file=JPEG, mime_type="image/jpeg", on_progress=on_progress)
    assert sent(server) == []


# -- checks before anything is sent ---------------------------------------------------------


async def _refused(call: Any, server: Any, error: type[Exception] = InvalidMessageError) -> str:
    """Awaits `call`, which must raise `error` (a ValueError) with no request sent."""
    with pytest.raises(error) as info:
        await call
    assert isinstance(info.value, ValueError)
    assert server.requests() == []
    return str(info.value)


@pytest.mark.parametrize(
    "to",
    [
        "123456",  # 6 digits
        "1234567890123456",  # 16 digits
        "+49 151 abc 45678",
        "49+15112345678",
        "++4915112345678",
        "49/151/12345678",
        "4915112345678 ext 5",
        "\u0664\u0669\u0661\u0665\u0661\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",
        "49\u00a0151\u00a012345678",  # non-breaking spaces
        "49151\n12345678",
        "",
        "+",
        " - ",
    ],
)
async def test_bad_numbers_are_refused(messages: MessagesTwin, server: Any, to: str) -> None:
    message = await _refused(messages.send_text(to, "hi"), server)
    assert "recipient" in message


@pytest.mark.parametrize("to", [4915112345678, None, b"4915112345678", ["4915112345678"]])
async def test_a_number_that_is_not_a_str_is_refused(
    messages: MessagesTwin, server: Any, to: Any
) -> None:
    assert "str" in await _refused(messages.send_text(to, "hi"), server)
    assert "str" in await _refused(messages.send_media(to, media_id="1", type="image"), server)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "empty"),
        ("x" * 4097, "4097 characters"),
        (None, "str"),
        (b"bytes", "str"),
        ("half a pair \ud83d", "Unicode"),
    ],
)
async def test_bad_text_is_refused(
    messages: MessagesTwin, server: Any, body: Any, expected: str
) -> None:
    assert expected in await _refused(messages.send_text(TO, body), server)


async def test_preview_url_must_be_a_bool(messages: MessagesTwin, server: Any) -> None:
    assert "preview_url" in await _refused(messages.send_text(TO, "x", preview_url="no"), server)


@pytest.mark.parametrize(
    "reply_to",
    [
        "",
        "abc",
        "wamid.",
        "wamid.has space",
        "wamid.\x1b[2J",
        "wamid.ünicode",
        "WAMID.abc",
        "wamid." + "A" * 513,
        1234,
    ],
)
async def test_bad_reply_ids_are_refused(
    messages: MessagesTwin, server: Any, reply_to: Any
) -> None:
    assert "reply_to" in await _refused(messages.send_text(TO, "x", reply_to=reply_to), server)
    message = await _refused(
        messages.send_media(TO, media_id="1", type="audio", reply_to=reply_to), server
    )
    assert "reply_to" in message


@pytest.mark.parametrize(
    "link",
    [
        "http://example.com/a.jpg",
        "ftp://example.com/a.jpg",
        "//example.com/a.jpg",
        "example.com/a.jpg",
        "https://",
        "https:///a.jpg",
        "https://exa mple.com/a.jpg",
        "https://example.com/a.jpg\n",
        "https://example.com/\x1b.jpg",
        "https://xn--a.com/a.jpg",
        "https://[::1/a.jpg",
        "javascript:alert(1)",
        "",
    ],
)
async def test_bad_links_are_refused(messages: MessagesTwin, server: Any, link: str) -> None:
    message = await _refused(messages.send_media(TO, link=link, type="image"), server)
    assert "link" in message


async def test_a_link_that_is_not_a_str_is_refused(messages: MessagesTwin, server: Any) -> None:
    url = httpx.URL("https://example.com/a.jpg")
    assert "str" in await _refused(messages.send_media(TO, link=url, type="image"), server)


@pytest.mark.parametrize("media_id", ["abc", "12a", "", "\u0661\u0662", "1" * 65, 12])
async def test_bad_media_ids_are_refused(
    messages: MessagesTwin, server: Any, media_id: Any
) -> None:
    await _refused(
        messages.send_media(TO, media_id=media_id, type="image"), server, InvalidMediaIdError
    )


@pytest.mark.parametrize(
    "sources",
    [
        {},
        {"media_id": "1", "link": "https://example.com/a.jpg"},
        {"media_id": "1", "file": JPEG},
        {"link": "https://example.com/a.jpg", "file": JPEG},
        {"media_id": "1", "link": "https://example.com/a.jpg", "file": JPEG},
    ],
)
async def test_exactly_one_source(
    messages: MessagesTwin, server: Any, sources: dict[str, Any]
) -> None:
    message = await _refused(messages.send_media(TO, type="image", **sources), server)
    assert "exactly one of media_id, link or file" in message


@pytest.mark.parametrize("kind", ["text", "gif", "IMAGE", "", 1])
async def test_unknown_types_are_refused(messages: MessagesTwin, server: Any, kind: Any) -> None:
    assert "type" in await _refused(messages.send_media(TO, media_id="1", type=kind), server)


@pytest.mark.parametrize(
    "sources",
    [
        {"media_id": "1"},
        {"media_id": "1", "mime_type": "application/zip"},
        {"link": "https://example.com/download?id=7"},
        {"link": "https://example.com/archive.zip"},
    ],
)
async def test_a_type_that_cannot_be_told_must_be_given(
    messages: MessagesTwin, server: Any, sources: dict[str, Any]
) -> None:
    assert "give its type" in await _refused(messages.send_media(TO, **sources), server)


async def test_a_type_contradicting_the_mime_type_is_refused(
    messages: MessagesTwin, server: Any
) -> None:
    message = await _refused(
        messages.send_media(TO, media_id="1", type="video", mime_type="image/jpeg"), server
    )
    assert "contradicts" in message
    message = await _refused(
        messages.send_media(TO, link="https://example.com/a.pdf", type="image"), server
    )
    assert "contradicts" in message


@pytest.mark.parametrize(
    ("name", "kind"),
    [("invoice.pdf", "image"), ("photo.jpg", "sticker"), ("s.webp", "image"), ("v.ogg", "video")],
)
async def test_a_type_contradicting_the_file_is_refused_before_the_upload(
    messages: MessagesTwin, server: Any, tmp_path: Path, name: str, kind: str
) -> None:
    source = tmp_path / name
    source.write_bytes(b"content")
    message = await _refused(messages.send_media(TO, file=source, type=kind), server)
    assert "contradicts" in message
    assert name in message


@pytest.mark.parametrize("kind", ["audio", "sticker"])
async def test_caption_only_for_image_video_document(
    messages: MessagesTwin, server: Any, kind: str
) -> None:
    message = await _refused(messages.send_media(TO, media_id="1", type=kind, caption="no"), server)
    assert "caption" in message


async def test_caption_on_a_file_that_turns_out_a_sticker_is_refused_before_the_upload(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    source = tmp_path / "smile.webp"
    source.write_bytes(b"RIFF webp")
    assert "caption" in await _refused(messages.send_media(TO, file=source, caption="x"), server)


@pytest.mark.parametrize(
    ("caption", "expected"),
    [("", "empty"), ("c" * 1025, "1025 characters"), (b"x", "str"), ("\udc80", "Unicode")],
)
async def test_bad_captions_are_refused(
    messages: MessagesTwin, server: Any, caption: Any, expected: str
) -> None:
    message = await _refused(
        messages.send_media(TO, media_id="1", type="image", caption=caption), server
    )
    assert expected in message


@pytest.mark.parametrize("kind", ["image", "video", "audio", "sticker"])
async def test_filename_only_for_documents(messages: MessagesTwin, server: Any, kind: str) -> None:
    message = await _refused(
        messages.send_media(TO, media_id="1", type=kind, filename="a.pdf"), server
    )
    assert "filename" in message


async def test_filename_on_a_file_that_turns_out_an_image_is_refused_before_the_upload(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(JPEG)
    message = await _refused(messages.send_media(TO, file=source, filename="x.jpg"), server)
    assert "filename" in message


@pytest.mark.parametrize(
    "filename",
    [
        "",
        "../etc/passwd",
        "a/b.pdf",
        "a\\b.pdf",
        "..",
        ".",
        "bad\x00.pdf",
        "bell\x07.pdf",
        "n" * 241,
        "\u202etxt.exe",
    ],
)
async def test_bad_filenames_are_refused(
    messages: MessagesTwin, server: Any, filename: str
) -> None:
    message = await _refused(
        messages.send_media(TO, media_id="1", type="document", filename=filename), server
    )
    assert "filename" in message


async def test_unsupported_or_unreadable_files_are_refused_before_the_upload(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(b"PK")
    await _refused(messages.send_media(TO, file=archive), server, UnsupportedMediaError)
    await _refused(messages.send_media(TO, file=tmp_path), server, UnsupportedMediaError)
    text_mode = io.StringIO("text")
    await _refused(messages.send_media(TO, file=text_mode), server, UnsupportedMediaError)
    with pytest.raises(FileNotFoundError):
        await messages.send_media(TO, file=tmp_path / "missing.jpg")
    assert server.requests() == []


async def test_a_bad_number_is_refused_before_the_file_is_opened(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    await _refused(messages.send_media("12", file=tmp_path / "missing.jpg"), server)


async def test_mime_type_must_be_a_str(messages: MessagesTwin, server: Any) -> None:
    assert "mime_type" in await _refused(
        messages.send_media(TO, media_id="1", mime_type=b"image/jpeg"), server
    )


# -- retries: never sent twice ----------------------------------------------------------------


async def test_a_500_after_sending_is_not_retried(messages: MessagesTwin, server: Any) -> None:
    server.add_status(500, method="POST", url=f"{server.base}/messages")
    with pytest.raises(ServerError):
        await messages.send_text(TO, "once")
    assert len(sent(server)) == 1


async def test_a_503_without_retry_after_is_not_retried(
    messages: MessagesTwin, server: Any
) -> None:
    server.add_status(503, method="POST", url=f"{server.base}/messages")
    with pytest.raises(ServerError):
        await messages.send_text(TO, "once")
    assert len(sent(server)) == 1


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (httpx.ReadTimeout("timed out"), APITimeoutError),
        (httpx.RemoteProtocolError("server disconnected"), APIConnectionError),
        (httpx.WriteError("broken pipe"), APIConnectionError),
    ],
    ids=["read-timeout", "remote-protocol", "write-error"],
)
async def test_not_retried_once_it_may_have_arrived(
    messages: MessagesTwin, server: Any, error: Exception, raised: type[Exception]
) -> None:
    server.mock.add_exception(error, method="POST")
    with pytest.raises(raised):
        await messages.send_text(TO, "once")
    assert len(server.requests()) == 1


async def test_retried_when_it_surely_never_arrived(messages: MessagesTwin, server: Any) -> None:
    server.mock.add_exception(httpx.ConnectError("connection refused"), method="POST")
    server.mock.add_exception(httpx.ConnectTimeout("connect timed out"), method="POST")
    add_sent(server)
    result = await messages.send_text(TO, "hi")
    assert result.messages[0].id == WAMID
    first, second, third = sent(server)
    assert first == second == third


@pytest.mark.parametrize("status", [429, 503])
async def test_retried_on_429_and_503_with_retry_after(
    messages: MessagesTwin, server: Any, status: int
) -> None:
    server.add_status(
        status, method="POST", url=f"{server.base}/messages", headers={"Retry-After": "1"}
    )
    add_sent(server)
    await messages.send_media(TO, media_id="1", type="image")
    first, second = sent(server)
    assert first == second


async def test_429_without_retry_after_raises_at_once(messages: MessagesTwin, server: Any) -> None:
    server.add_status(429, method="POST", url=f"{server.base}/messages")
    with pytest.raises(RateLimitError):
        await messages.send_text(TO, "x")
    assert len(sent(server)) == 1


async def test_metas_error_shape_becomes_bad_request_error(
    messages: MessagesTwin, server: Any
) -> None:
    server.add_status(
        400,
        method="POST",
        url=f"{server.base}/messages",
        json={
            "error": {
                "message": "(#131009) Parameter value is not valid",
                "type": "OAuthException",
                "code": 131009,
                "error_data": {"messaging_product": "whatsapp", "details": "Unknown media id"},
                "fbtrace_id": "AbC",
            }
        },
    )
    with pytest.raises(BadRequestError) as info:
        await messages.send_media(TO, media_id="999", type="image")
    assert "Parameter value is not valid (Unknown media id) [code 131009]" in str(info.value)
    assert info.value.status_code == 400
    server.assert_no_secret(info.value)


async def test_a_failed_send_after_an_upload_tells_the_media_id(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(JPEG)
    add_uploaded(server)
    server.add_status(500, method="POST", url=f"{server.base}/messages")
    with pytest.raises(ServerError) as info:
        await messages.send_media(TO, file=source)
    assert info.value.uploaded_media_id == UPLOADED  # type: ignore[attr-defined]
    assert any(f"media_id='{UPLOADED}'" in note for note in info.value.__notes__)
    assert len(uploads(server)) == 1
    assert len(sent(server)) == 1
    # Sending again by that id needs no second upload.
    add_sent(server)
    media_id = info.value.uploaded_media_id  # type: ignore[attr-defined]
    await messages.send_media(TO, media_id=media_id, type="image")
    assert len(uploads(server)) == 1


async def test_a_failed_upload_sends_nothing(messages: MessagesTwin, server: Any) -> None:
    server.add_status(500, method="POST", url=f"{server.base}/media")
    with pytest.raises(ServerError) as info:
        await messages.send_media(TO, file=JPEG, mime_type="image/jpeg")
    assert not hasattr(info.value, "uploaded_media_id")
    assert sent(server) == []


# -- answers that cannot be used ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (answer(messages=[]), "'messages'"),
        (answer(messages=None), "'messages'"),
        (answer(messages="wamid.x"), "'messages'"),
        (answer(messages=["wamid.x"]), "'messages[0]'"),
        (answer(messages=[{}]), "'messages[0].id'"),
        (answer(messages=[{"id": 5}]), "'messages[0].id'"),
        (answer(messages=[{"id": ""}]), "'messages[0].id'"),
        (answer(messages=[{"id": WAMID, "message_status": 1}]), "'messages[0].message_status'"),
        (answer(contacts=None), "'contacts'"),
        (answer(contacts=[{"input": TO}]), "'contacts[0].wa_id'"),
        (answer(contacts=[{"input": None, "wa_id": TO}]), "'contacts[0].input'"),
        (answer(contacts=[7]), "'contacts[0]'"),
        (answer(messaging_product=None), "'messaging_product'"),
        ({"id": "1"}, "'messaging_product'"),
    ],
)
async def test_unusable_answers_raise_api_error_naming_the_field(
    messages: MessagesTwin, server: Any, body: dict[str, Any], field: str
) -> None:
    add_sent(server, json=body)
    with pytest.raises(APIError) as info:
        await messages.send_text(TO, "x")
    assert field in str(info.value)
    assert info.value.status_code == 200
    assert info.value.response is not None
    assert len(sent(server)) == 1


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"text": "<html>ok</html>"}, "not JSON"),
        ({"json": [answer()]}, "JSON list"),
        ({"content": b"\xff\xfe{"}, "not JSON"),
        ({"json": answer(), "status_code": 201}, "HTTP 201"),
    ],
)
async def test_answers_that_are_not_a_json_object(
    messages: MessagesTwin, server: Any, kwargs: dict[str, Any], expected: str
) -> None:
    add_sent(server, **kwargs)
    with pytest.raises(APIError, match=expected):
        await messages.send_text(TO, "x")


async def test_extra_fields_in_an_answer_are_kept(messages: MessagesTwin, server: Any) -> None:
    add_sent(server, json=answer(messages=[{"id": WAMID, "new": 1}], extra={"a": 1}))
    result = await messages.send_text(TO, "x")
    assert result["extra"] == {"a": 1}
    assert result.messages[0]["new"] == 1


# -- conformance to the spec ----------------------------------------------------------------


def _request_validator() -> jsonschema.protocols.Validator:
    operation = SPEC["paths"]["/messages"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    document = {**schema, "components": SPEC["components"]}
    validator = jsonschema.Draft202012Validator(
        document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validator


async def test_every_kind_of_request_matches_the_spec(
    messages: MessagesTwin, server: Any, tmp_path: Path
) -> None:
    validator = _request_validator()
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF")
    calls: list[tuple[str, dict[str, Any]]] = [
        ("send_text", {"body": "hi"}),
        ("send_text", {"body": "x" * 4096, "preview_url": True, "reply_to": WAMID}),
        ("send_media", {"media_id": "1", "type": "image", "caption": "c" * 1024}),
        ("send_media", {"link": "https://e.com/v.mp4", "caption": "v", "reply_to": WAMID}),
        ("send_media", {"media_id": "2", "type": "audio"}),
        ("send_media", {"link": "https://e.com/s.webp"}),
        ("send_media", {"media_id": "3", "type": "document", "filename": "n" * 240}),
        ("send_media", {"link": "https://e.com/a.pdf", "caption": "c", "filename": "f.pdf"}),
        ("send_media", {"file": pdf, "caption": "doc"}),
        ("send_media", {"file": JPEG, "mime_type": "image/jpeg"}),
    ]
    for name, kwargs in calls:
        if "file" in kwargs:
            add_uploaded(server)
        add_sent(server)
        if name == "send_text":
            await messages.send_text("+49 151 1234 5678", kwargs.pop("body"), **kwargs)
        else:
            await messages.send_media("+49 151 1234 5678", **kwargs)
    bodies = sent(server)
    assert {body["type"] for body in bodies} == {
        "text",
        "image",
        "video",
        "audio",
        "sticker",
        "document",
    }
    for body in bodies:
        errors = [error.message for error in validator.iter_errors(body)]
        assert errors == [], body


def test_the_conformance_check_can_fail() -> None:
    validator = _request_validator()
    good = envelope("image", image={"id": "1"})
    assert validator.is_valid(good)
    for bad in (
        envelope("image", image={"id": "1", "link": "https://e.com/a.jpg"}),
        envelope("image", image={}),
        envelope("image", image={"link": "http://e.com/a.jpg"}),
        envelope("text", text={"body": ""}),
        {**good, "to": "+4915112345678"},
        envelope("audio", audio={"id": "1", "caption": "x"}),
    ):
        assert not validator.is_valid(bad), bad
