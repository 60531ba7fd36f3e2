"""Realistic 360dialog (Cloud API) webhook bodies, as Meta's webhook reference shows them.

Shared by the unit, CLI and integration tests of dialog360.webhooks.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from typing import Any

SECRET = "whsec-test-4c1f9e2b7a"
WABA_ID = "102290129340398"
PHONE_NUMBER_ID = "106540352242922"
SENDER = "16505551234"
TIMESTAMP = "1749416383"
SHA_HEX = hashlib.sha256(b"media").hexdigest()
SHA_BASE64 = base64.b64encode(bytes.fromhex(SHA_HEX)).decode()


def sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def message(
    type_: str, obj: Any, *, id: str = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz"
) -> dict[str, Any]:
    """An inbound message of `type_` carrying `obj` under its type's name."""
    return {"from": SENDER, "id": id, "timestamp": TIMESTAMP, "type": type_, type_: obj}


def media_object(media_id: str = "1003383421387256", **fields: Any) -> dict[str, Any]:
    return {"id": media_id, "mime_type": "image/jpeg", "sha256": SHA_HEX, **fields}


def change(
    messages: list[dict[str, Any]] | None = None,
    *,
    statuses: list[dict[str, Any]] | None = None,
    phone_number_id: str = PHONE_NUMBER_ID,
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": phone_number_id},
    }
    if messages is not None:
        value["contacts"] = [{"profile": {"name": "Sheena Nelson"}, "wa_id": SENDER}]
        value["messages"] = messages
    if statuses is not None:
        value["statuses"] = statuses
    return {"field": "messages", "value": value}


def envelope(*changes: dict[str, Any], entries: int = 1) -> dict[str, Any]:
    """A delivery of `changes` (copied: a test may change its document freely)."""
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": copy.deepcopy(list(changes))} for _ in range(entries)],
    }


def body(document: Any) -> bytes:
    return json.dumps(document).encode()


# One realistic message of every type the reference names, and one from the future.
MEDIA_MESSAGES: dict[str, dict[str, Any]] = {
    "image": message("image", media_object("1001", caption="Invoice"), id="wamid.image"),
    "video": message(
        "video", media_object("1002", mime_type="video/mp4", caption="clip"), id="wamid.video"
    ),
    "audio": message(
        "audio",
        media_object("1003", mime_type="audio/ogg; codecs=opus", voice=True),
        id="wamid.audio",
    ),
    "document": message(
        "document",
        media_object(
            "1004", mime_type="application/pdf", filename="../../etc/passwd", caption="contract"
        ),
        id="wamid.document",
    ),
    "sticker": message(
        "sticker",
        media_object("1005", mime_type="image/webp", sha256=SHA_BASE64, animated=False),
        id="wamid.sticker",
    ),
}
OTHER_MESSAGES: dict[str, dict[str, Any]] = {
    "text": message("text", {"body": "hello"}),
    "location": message(
        "location",
        {"latitude": 52.52, "longitude": 13.405, "name": "Office", "address": "Main St 1"},
    ),
    "contacts": message(
        "contacts",
        [
            {
                "name": {"formatted_name": "Ada L", "first_name": "Ada"},
                "phones": [{"phone": "+1 555", "type": "CELL", "wa_id": "1555"}],
                "emails": [{"email": "ada@example.com", "type": "WORK"}],
            }
        ],
    ),
    "interactive": message(
        "interactive", {"type": "button_reply", "button_reply": {"id": "b1", "title": "Yes"}}
    ),
    "list_reply": message(
        "interactive",
        {"type": "list_reply", "list_reply": {"id": "r1", "title": "Row", "description": "d"}},
    ),
    "reaction": message("reaction", {"message_id": "wamid.x", "emoji": "\U0001f44d"}),
    "button": message("button", {"payload": "STOP", "text": "Stop promotions"}),
    "order": message(
        "order",
        {
            "catalog_id": "c1",
            "text": "thanks",
            "product_items": [
                {
                    "product_retailer_id": "sku",
                    "quantity": 2,
                    "item_price": 9.99,
                    "currency": "EUR",
                }
            ],
        },
    ),
    "system": message(
        "system", {"body": "changed number", "type": "user_changed_number", "new_wa_id": "1777"}
    ),
    "unsupported": {
        **message("unsupported", {"type": "poll"}),
        "errors": [
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }
        ],
    },
    "future": message("hologram", {"id": "9", "depth": [1, 2, {"x": None}]}),
    "reply_context": {
        **message("text", {"body": "re"}),
        "context": {"from": SENDER, "id": "wamid.orig", "forwarded": True},
    },
}
STATUSES: list[dict[str, Any]] = [
    {
        "id": "wamid.sent",
        "status": "delivered",
        "timestamp": TIMESTAMP,
        "recipient_id": SENDER,
        "conversation": {
            "id": "c1",
            "expiration_timestamp": TIMESTAMP,
            "origin": {"type": "service"},
        },
        "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
    },
    {
        "id": "wamid.failed",
        "status": "failed",
        "timestamp": TIMESTAMP,
        "recipient_id": SENDER,
        "errors": [{"code": 131047, "title": "Re-engagement message"}],
    },
]


def every_type() -> dict[str, Any]:
    """One delivery with every message type, statuses, and a change of another field."""
    return envelope(
        change([*MEDIA_MESSAGES.values(), *OTHER_MESSAGES.values()]),
        change(statuses=STATUSES),
        {"field": "account_update", "value": {"event": "VERIFIED_ACCOUNT", "ban_info": {}}},
    )
