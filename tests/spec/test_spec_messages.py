"""POST /messages (send-message): the spec's constraints, and the generated models and call."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dialog360_api.api.messages import send_message
from dialog360_api.client import AuthenticatedClient
from dialog360_api.models import (
    CaptionedMediaObject,
    DocumentObject,
    MediaObject,
    MessageContext,
    MessageRecipient,
    MetaError,
    MetaErrorData,
    SendMessageRequest,
    SendMessageResponse,
    SentMessage,
    TextObject,
)
from jsonschema import Draft202012Validator
from pytest_httpx import HTTPXMock
from spec_helpers import SPEC

BASE = "https://waba-v2.360dialog.io"
KEY = "k"
ANSWER: dict[str, Any] = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "4915112345678", "wa_id": "4915112345678"}],
    "messages": [{"id": "wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjQ5QkE1QjNGRDQ0QjY2QjI0OAA="}],
}
META_ERROR = {
    "error": {
        "message": "(#131009) Parameter value is not valid",
        "type": "OAuthException",
        "code": 131009,
        "error_data": {"messaging_product": "whatsapp", "details": "Unknown media id"},
        "fbtrace_id": "AbCdEfGhIjKlMnOpQrStUv",
    }
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SPEC / "openapi.json").read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def request_validator(spec: dict[str, Any]) -> Draft202012Validator:
    root = {"$ref": "#/components/schemas/messages.SendMessageRequest", **spec}
    return Draft202012Validator(root)


def _message(kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "4915112345678",
        "type": kind,
        **fields,
    }


# --- the operation in the spec ---------------------------------------------------------------


def test_send_message_operation(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/messages"]["post"]

    assert operation["operationId"] == "send-message"
    assert operation["security"] == [{"D360-API-KEY": []}]
    assert operation["externalDocs"]["url"] == (
        "https://docs.360dialog.com/docs/messaging-api/api-reference/messages"
    )
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/messages.SendMessageRequest"}
    assert operation["requestBody"]["required"] is True
    responses = operation["responses"]
    assert responses["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/messages.SendMessageResponse"
    }
    for status in ("400", "401", "429", "500"):
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/messages.MetaError"
        }
    assert {"name": "Messages", "description": "Endpoints for sending and managing messages"} in (
        spec["tags"]
    )


@pytest.mark.parametrize(
    "message",
    [
        _message("text", text={"body": "hello", "preview_url": True}),
        _message("text", text={"body": "x" * 4096}),
        _message("image", image={"id": "1234567890123456", "caption": "c" * 1024}),
        _message("video", video={"link": "https://cdn.example.com/v.mp4"}),
        _message("audio", audio={"id": "1"}),
        _message("sticker", sticker={"link": "https://cdn.example.com/s.webp"}),
        _message(
            "document",
            document={"id": "12", "caption": "invoice", "filename": "invoice.pdf"},
            context={"message_id": "wamid.HBgLMTIzNDU2Nzg5MBUCABIYFDNBMjQ1"},
        ),
        _message("text", text={"body": "hi"}, to="1234567"),
        _message("text", text={"body": "hi"}, to="123456789012345"),
    ],
)
def test_messages_the_api_takes_are_valid(
    request_validator: Draft202012Validator, message: dict[str, Any]
) -> None:
    assert list(request_validator.iter_errors(message)) == []


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (_message("text", text={"body": "hi"}, to="+4915112345678"), "to: a leading +"),
        (_message("text", text={"body": "hi"}, to="49 151 1234"), "to: spaces"),
        (_message("text", text={"body": "hi"}, to="123456"), "to: 6 digits"),
        (_message("text", text={"body": "hi"}, to="1234567890123456"), "to: 16 digits"),
        (_message("text", text={"body": "x" * 4097}), "body over 4096"),
        (_message("text", text={"body": ""}), "empty body"),
        (_message("text", text={"preview_url": True}), "no body"),
        (_message("image", image={"id": "1", "caption": "c" * 1025}), "caption over 1024"),
        (_message("audio", audio={"id": "1", "caption": "c"}), "caption on audio"),
        (_message("sticker", sticker={"id": "1", "caption": "c"}), "caption on sticker"),
        (_message("image", image={"id": "1", "filename": "a.jpg"}), "filename on image"),
        (_message("image", image={"id": "1", "link": "https://x.example/a"}), "id and link"),
        (_message("image", image={"caption": "c"}), "neither id nor link"),
        (_message("audio", audio={}), "empty media object"),
        (_message("video", video={"link": "http://x.example/v.mp4"}), "http link"),
        (_message("video", video={"link": "https://"}), "link without host"),
        (_message("image", image={"id": "abc"}), "non-numeric media id"),
        (_message("template", template={}), "unsupported type"),
        (_message("text", text={"body": "hi"}, context={}), "context without message_id"),
        ({**_message("text", text={"body": "hi"}), "messaging_product": "sms"}, "product"),
        ({**_message("text", text={"body": "hi"}), "recipient_type": "group"}, "recipient"),
    ],
)
def test_messages_the_api_refuses_are_invalid(
    request_validator: Draft202012Validator, message: dict[str, Any], reason: str
) -> None:
    assert list(request_validator.iter_errors(message)), reason


# --- the generated models ----------------------------------------------------------------------


def test_a_request_model_builds_the_wire_json(request_validator: Draft202012Validator) -> None:
    request = SendMessageRequest(
        messaging_product="whatsapp",
        recipient_type="individual",
        to="4915112345678",
        type_="document",
        document=DocumentObject(id="1234567890123456", caption="Invoice", filename="invoice.pdf"),
        context=MessageContext(message_id="wamid.ABC"),
    )

    wire = request.to_dict()

    assert wire == _message(
        "document",
        document={"id": "1234567890123456", "caption": "Invoice", "filename": "invoice.pdf"},
        context={"message_id": "wamid.ABC"},
    )
    assert list(request_validator.iter_errors(wire)) == []
    assert SendMessageRequest.from_dict(wire) == request


def test_recipient_type_may_be_left_out_and_is_sent_as_individual(
    request_validator: Draft202012Validator,
) -> None:
    """The Cloud API takes a message without `recipient_type` as "individual"."""
    without = _message("text", text={"body": "hi"})
    del without["recipient_type"]
    assert list(request_validator.iter_errors(without)) == []

    request = SendMessageRequest(
        messaging_product="whatsapp", to="4915112345678", type_="text", text=TextObject(body="hi")
    )

    assert request.to_dict() == _message("text", text={"body": "hi"})
    assert SendMessageRequest.from_dict(without).to_dict() == without  # parsed as it came


def test_every_media_type_has_its_model() -> None:
    request = SendMessageRequest(
        messaging_product="whatsapp",
        recipient_type="individual",
        to="4915112345678",
        type_="image",
        text=TextObject(body="hi", preview_url=False),
        image=CaptionedMediaObject(link="https://cdn.example.com/a.jpg", caption="c"),
        video=CaptionedMediaObject(id="1"),
        audio=MediaObject(id="2"),
        sticker=MediaObject(link="https://cdn.example.com/s.webp"),
    )

    wire = request.to_dict()

    assert wire["text"] == {"body": "hi", "preview_url": False}
    assert wire["image"] == {"link": "https://cdn.example.com/a.jpg", "caption": "c"}
    assert wire["audio"] == {"id": "2"}
    assert wire["sticker"] == {"link": "https://cdn.example.com/s.webp"}
    assert "document" not in wire and "context" not in wire


def test_answer_and_meta_error_parse() -> None:
    answer = SendMessageResponse.from_dict({**ANSWER, "extra": 1})
    assert answer.contacts == [MessageRecipient(input_="4915112345678", wa_id="4915112345678")]
    assert answer.messages[0].id.startswith("wamid.")
    assert isinstance(answer.messages[0], SentMessage)
    assert answer.additional_properties == {"extra": 1}
    held = SentMessage.from_dict({"id": "wamid.X", "message_status": "held_for_quality_assessment"})
    assert held.message_status == "held_for_quality_assessment"

    error = MetaError.from_dict(META_ERROR)
    assert error.error.code == 131009
    assert error.error.message == "(#131009) Parameter value is not valid"
    assert error.error.type_ == "OAuthException"
    assert error.error.fbtrace_id == "AbCdEfGhIjKlMnOpQrStUv"
    assert isinstance(error.error.error_data, MetaErrorData)
    assert error.error.error_data.details == "Unknown media id"


def test_send_message_posts_json_with_the_key_and_parses_both_answers(
    httpx_mock: HTTPXMock,
) -> None:
    client = AuthenticatedClient(
        base_url=BASE, token=KEY, prefix="", auth_header_name="D360-API-KEY"
    )
    body = SendMessageRequest(
        messaging_product="whatsapp",
        recipient_type="individual",
        to="4915112345678",
        type_="text",
        text=TextObject(body="hello"),
    )
    httpx_mock.add_response(method="POST", url=f"{BASE}/messages", json=ANSWER)
    httpx_mock.add_response(method="POST", url=f"{BASE}/messages", status_code=400, json=META_ERROR)

    sent = send_message.sync_detailed(client=client, body=body)
    refused = send_message.sync_detailed(client=client, body=body)

    first = httpx_mock.get_requests()[0]
    assert first.headers["D360-API-KEY"] == KEY
    assert first.headers["Content-Type"] == "application/json"
    assert json.loads(first.content) == _message("text", text={"body": "hello"})
    assert isinstance(sent.parsed, SendMessageResponse)
    assert sent.parsed.messages[0].id == ANSWER["messages"][0]["id"]
    assert isinstance(refused.parsed, MetaError)
    assert isinstance(refused.parsed.error.error_data, MetaErrorData)
    assert refused.parsed.error.error_data.details == "Unknown media id"
