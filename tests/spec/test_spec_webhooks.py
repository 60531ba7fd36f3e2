"""The webhook models: the spec's `webhooks` event, and the generated models parsing a realistic
delivery with every message type, a status, errors, and types and fields not known today."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from dialog360_api.models import (
    InboundButton,
    InboundContactCard,
    InboundContext,
    InboundInteractive,
    InboundLocation,
    InboundMediaObject,
    InboundMessage,
    InboundOrder,
    InboundReaction,
    InboundSystem,
    InboundText,
    InboundUnsupported,
    MessageStatus,
    WebhookChange,
    WebhookEntry,
    WebhookErrorInfo,
    WebhookPayload,
    WebhookValue,
)
from dialog360_api.types import Unset
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from spec_helpers import SPEC

SHA_HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SHA_B64 = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="
SENDER = "16505551234"


def _message(kind: str, index: int, body: Any, **extra: Any) -> dict[str, Any]:
    return {
        "from": SENDER,
        "id": f"wamid.{kind.upper()}{index}",
        "timestamp": str(1749416383 + index),
        "type": kind,
        kind: body,
        **extra,
    }


MESSAGES = [
    _message("text", 1, {"body": "hello"}),
    _message(
        "image", 2, {"caption": "Invoice", "mime_type": "image/jpeg", "sha256": SHA_HEX, "id": "11"}
    ),
    _message("video", 3, {"mime_type": "video/mp4", "sha256": SHA_B64, "id": "12"}),
    _message(
        "audio",
        4,
        {"mime_type": "audio/ogg; codecs=opus", "sha256": SHA_HEX, "id": "13", "voice": True},
    ),
    _message(
        "document",
        5,
        {
            "caption": "contract",
            "filename": "../../etc/passwd",
            "mime_type": "application/pdf",
            "sha256": SHA_HEX,
            "id": "14",
            "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=14",
        },
    ),
    _message(
        "sticker", 6, {"mime_type": "image/webp", "sha256": SHA_HEX, "id": "15", "animated": False}
    ),
    _message(
        "location",
        7,
        {"latitude": 52.52, "longitude": 13.405, "name": "Office", "address": "Berlin"},
    ),
    {
        "from": SENDER,
        "id": "wamid.CONTACTS8",
        "timestamp": "1749416391",
        "type": "contacts",
        "contacts": [
            {
                "name": {"formatted_name": "Ada Lovelace", "first_name": "Ada"},
                "phones": [{"phone": "+44 20 7946 0000", "type": "WORK", "wa_id": "442079460000"}],
                "org": {"company": "Analytical Engines"},
            }
        ],
    },
    _message(
        "interactive",
        9,
        {"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}},
        context={"from": "15550783881", "id": "wamid.SENT1"},
    ),
    _message("reaction", 10, {"message_id": "wamid.SENT1", "emoji": "\U0001f44d"}),
    _message("button", 11, {"payload": "STOP", "text": "Stop promotions"}),
    _message(
        "order",
        12,
        {
            "catalog_id": "c1",
            "text": "please",
            "product_items": [
                {
                    "product_retailer_id": "sku-1",
                    "quantity": 2,
                    "item_price": 9.5,
                    "currency": "EUR",
                }
            ],
        },
    ),
    _message(
        "system",
        13,
        {"body": "User changed number", "type": "user_changed_number", "new_wa_id": "16505550000"},
    ),
    _message(
        "unsupported",
        14,
        {"type": "edit"},
        errors=[
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }
        ],
    ),
    # A type nobody knows today, with fields nobody knows either.
    _message("poll", 15, {"question": "Lunch?", "options": ["yes", "no"]}, brand_new={"a": 1}),
]

PAYLOAD: dict[str, Any] = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": SENDER}],
                        "messages": MESSAGES,
                    },
                },
                {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "statuses": [
                            {
                                "id": "wamid.SENT1",
                                "status": "delivered",
                                "timestamp": "1749416400",
                                "recipient_id": SENDER,
                                "conversation": {
                                    "id": "c0ffee",
                                    "expiration_timestamp": "1749502800",
                                    "origin": {"type": "service"},
                                },
                                "pricing": {
                                    "billable": True,
                                    "pricing_model": "CBP",
                                    "category": "service",
                                },
                            },
                            {
                                "id": "wamid.SENT2",
                                "status": "failed",
                                "timestamp": "1749416401",
                                "recipient_id": SENDER,
                                "errors": [{"code": 131026, "title": "Message undeliverable"}],
                            },
                            {"id": "wamid.SENT3", "status": "played", "timestamp": "1749416402"},
                        ],
                    },
                },
                {"field": "account_update", "value": {"event": "VERIFIED_ACCOUNT"}},
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SPEC / "openapi.json").read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def parsed() -> WebhookPayload:
    return WebhookPayload.from_dict(copy.deepcopy(PAYLOAD))


def _messages(payload: WebhookPayload) -> list[InboundMessage]:
    value = payload.entry[0].changes[0].value
    assert not isinstance(value.messages, Unset)
    return value.messages


# --- the spec ------------------------------------------------------------------------------


def test_the_event_is_an_openapi_3_1_webhook(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.1.")
    hook = spec["webhooks"]["messages"]["post"]
    assert hook["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/webhooks.Payload"
    }
    headers = {p["name"] for p in hook["parameters"] if p["in"] == "header"}
    assert headers == {"X-360Dialog-Signature", "X-Hub-Signature-256"}
    assert "security" not in hook  # the API key is never sent to the application


def test_the_realistic_payload_is_valid_against_the_schema(spec: dict[str, Any]) -> None:
    validator = Draft202012Validator({"$ref": "#/components/schemas/webhooks.Payload", **spec})

    assert list(validator.iter_errors(PAYLOAD)) == []


def test_no_webhook_field_is_a_closed_enum(spec: dict[str, Any]) -> None:
    # A closed enum makes the generated model reject a value Meta adds later.
    schemas = {k: v for k, v in spec["components"]["schemas"].items() if k.startswith("webhooks.")}
    text = json.dumps(schemas)

    assert len(schemas) >= 20
    assert '"enum"' not in text and '"const"' not in text
    assert '"additionalProperties": false' not in text


# --- the generated models ---------------------------------------------------------------------


def test_the_envelope_parses(parsed: WebhookPayload) -> None:
    assert parsed.object_ == "whatsapp_business_account"
    (entry,) = parsed.entry
    assert isinstance(entry, WebhookEntry)
    assert entry.id == "102290129340398"
    assert [change.field for change in entry.changes] == ["messages", "messages", "account_update"]
    change = entry.changes[0]
    assert isinstance(change, WebhookChange) and isinstance(change.value, WebhookValue)
    value = change.value
    assert not isinstance(value.metadata, Unset)
    assert value.metadata.phone_number_id == "106540352242922"
    assert value.metadata.display_phone_number == "15550783881"
    assert not isinstance(value.contacts, Unset)
    assert value.contacts[0].wa_id == SENDER
    assert not isinstance(value.contacts[0].profile, Unset)
    assert value.contacts[0].profile.name == "Sheena Nelson"


def test_every_message_type_parses_into_its_model(parsed: WebhookPayload) -> None:
    by_type = {message.type_: message for message in _messages(parsed)}

    assert list(by_type) == [m["type"] for m in MESSAGES]
    for message in by_type.values():
        assert message.from_ == SENDER
        assert message.id.startswith("wamid.")
        assert message.timestamp.isdigit()
    assert isinstance(by_type["text"].text, InboundText)
    assert by_type["text"].text.body == "hello"
    for kind in ("image", "video", "audio", "document", "sticker"):
        media = getattr(by_type[kind], kind)
        assert isinstance(media, InboundMediaObject), kind
        assert media.id.isdigit() and media.mime_type and media.sha256
    image, document = by_type["image"].image, by_type["document"].document
    assert isinstance(image, InboundMediaObject) and image.caption == "Invoice"
    assert isinstance(document, InboundMediaObject)
    assert document.filename == "../../etc/passwd"  # data only: the wrapper decides on paths
    assert document.url == "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=14"
    audio, sticker = by_type["audio"].audio, by_type["sticker"].sticker
    assert isinstance(audio, InboundMediaObject) and audio.voice is True
    assert isinstance(sticker, InboundMediaObject) and sticker.animated is False
    video = by_type["video"].video
    assert isinstance(video, InboundMediaObject) and video.sha256 == SHA_B64
    assert isinstance(by_type["location"].location, InboundLocation)
    assert by_type["location"].location.latitude == 52.52
    cards = by_type["contacts"].contacts
    assert not isinstance(cards, Unset) and isinstance(cards[0], InboundContactCard)
    assert cards[0].additional_properties == {"org": {"company": "Analytical Engines"}}
    interactive = by_type["interactive"]
    assert isinstance(interactive.interactive, InboundInteractive)
    assert not isinstance(interactive.interactive.button_reply, Unset)
    assert interactive.interactive.button_reply.id == "yes"
    assert isinstance(interactive.context, InboundContext)
    assert interactive.context.id == "wamid.SENT1"
    assert isinstance(by_type["reaction"].reaction, InboundReaction)
    assert by_type["reaction"].reaction.emoji == "\U0001f44d"
    assert isinstance(by_type["button"].button, InboundButton)
    order = by_type["order"].order
    assert isinstance(order, InboundOrder) and not isinstance(order.product_items, Unset)
    assert order.product_items[0].quantity == 2
    assert isinstance(by_type["system"].system, InboundSystem)
    assert by_type["system"].system.new_wa_id == "16505550000"
    unsupported = by_type["unsupported"]
    assert isinstance(unsupported.unsupported, InboundUnsupported)
    assert not isinstance(unsupported.errors, Unset)
    assert isinstance(unsupported.errors[0], WebhookErrorInfo)
    assert unsupported.errors[0].code == 131051
    assert not isinstance(unsupported.errors[0].error_data, Unset)
    assert unsupported.errors[0].error_data.details == "Message type is currently not supported."


def test_an_unknown_message_type_and_unknown_fields_are_kept(parsed: WebhookPayload) -> None:
    poll = _messages(parsed)[-1]

    assert poll.type_ == "poll"
    assert poll.additional_properties == {
        "poll": {"question": "Lunch?", "options": ["yes", "no"]},
        "brand_new": {"a": 1},
    }
    assert isinstance(poll.text, Unset) and isinstance(poll.image, Unset)


def test_statuses_and_other_fields_parse(parsed: WebhookPayload) -> None:
    statuses = parsed.entry[0].changes[1].value.statuses
    assert not isinstance(statuses, Unset)
    assert [s.status for s in statuses] == ["delivered", "failed", "played"]
    assert all(isinstance(s, MessageStatus) for s in statuses)
    delivered, failed, _ = statuses
    assert not isinstance(delivered.conversation, Unset)
    assert not isinstance(delivered.conversation.origin, Unset)
    assert delivered.conversation.origin.type_ == "service"
    assert not isinstance(delivered.pricing, Unset) and delivered.pricing.billable is True
    assert not isinstance(failed.errors, Unset) and failed.errors[0].code == 131026
    other = parsed.entry[0].changes[2].value
    assert other.additional_properties == {"event": "VERIFIED_ACCOUNT"}
    assert isinstance(other.messages, Unset)


def test_the_payload_round_trips(parsed: WebhookPayload) -> None:
    assert parsed.to_dict() == PAYLOAD
    assert WebhookPayload.from_dict(parsed.to_dict()) == parsed


def test_from_dict_does_not_change_its_input() -> None:
    data = copy.deepcopy(PAYLOAD)

    WebhookPayload.from_dict(data)

    assert data == PAYLOAD
