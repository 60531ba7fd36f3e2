"""POST /messages: a message checked the way the Cloud API checks it, and its record.

Rejections carry Meta's error codes: 100 for a malformed request, 131008 for a missing
parameter, 131009 for a value that is not valid (a bad number, an unknown media id), 131053
for media that cannot be sent as the message's type.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from dialog360.testing._media_rules import MEDIA_RULES, bare_mime_type

MESSAGE_TYPES: Final = ("text", "image", "video", "audio", "document", "sticker")
_CAPTIONED: Final = frozenset({"image", "video", "document"})
# Every other top-level key Meta's send-message request knows (types the fake does not send).
_OTHER_MESSAGE_OBJECTS: Final = frozenset(
    {"location", "contacts", "interactive", "template", "reaction"}
)
_TOP_LEVEL: Final = frozenset({"messaging_product", "recipient_type", "to", "type", "context"})
_PHONE_NUMBER = re.compile(r"[0-9]{7,15}")
_MEDIA_ID = re.compile(r"[0-9]{1,64}")
_HTTPS_LINK = re.compile(r"https://[^\s/?#]+[^\s]*")
MAX_TEXT_CHARS: Final = 4096
MAX_CAPTION_CHARS: Final = 1024
MAX_FILENAME_CHARS: Final = 240

INVALID_PARAMETER: Final = (100, "(#100) Invalid parameter")
MISSING_PARAMETER: Final = (131008, "(#131008) Required parameter is missing")
INVALID_VALUE: Final = (131009, "(#131009) Parameter value is not valid")
MEDIA_ERROR: Final = (131053, "(#131053) Media upload error")


def meta_error(code: int, message: str, details: str) -> dict[str, Any]:
    """An error document in Meta's shape."""
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details},
            "fbtrace_id": secrets.token_urlsafe(16),
        }
    }


class MessageRejected(Exception):
    """The message is refused (400): `document()` is Meta's error answer."""

    def __init__(self, details: str, error: tuple[int, str] = INVALID_PARAMETER) -> None:
        super().__init__(details)
        self.details = details
        self.code, self.message = error

    def document(self) -> dict[str, Any]:
        """Meta's error answer for this rejection."""
        return meta_error(self.code, self.message, self.details)


@dataclass(frozen=True)
class SentMessage:
    """A message the fake accepted on POST /messages.

    `body` is the request as parsed JSON; `time` the server's clock (unix seconds) when it was
    accepted. `message_id` (wamid....) is what the answer and its status webhooks carry.
    """

    message_id: str
    to: str
    wa_id: str
    type: str
    body: Mapping[str, Any]
    time: float

    def answer(self) -> dict[str, Any]:
        """The 200 answer of POST /messages."""
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": self.to, "wa_id": self.wa_id}],
            "messages": [{"id": self.message_id}],
        }


def new_message_id() -> str:
    """A fresh `wamid.` id shaped like WhatsApp's (base64 of opaque bytes)."""
    return "wamid." + base64.b64encode(secrets.token_bytes(30)).decode("ascii")


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def parse_message(raw: bytes | bytearray, content_type: str | None) -> dict[str, Any]:
    """The request body as a JSON object, or MessageRejected."""
    if bare_mime_type(content_type or "") != "application/json":
        raise MessageRejected("Content-Type must be application/json")
    try:
        document = json.loads(bytes(raw).decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MessageRejected("the request body is not valid JSON") from None
    if not isinstance(document, dict):
        raise MessageRejected("the request body must be a JSON object")
    return document


def check_message(message: Mapping[str, Any], media_type_of: Callable[[str], str | None]) -> None:
    """Raise MessageRejected unless WhatsApp would accept `message`.

    `media_type_of(media_id)` is the mime type of a stored media, or None when unknown.
    """
    _check_string_field(message, "messaging_product", allowed=("whatsapp",))
    if "recipient_type" in message:
        _check_string_field(message, "recipient_type", allowed=("individual",))
    to = _check_string_field(message, "to")
    if _PHONE_NUMBER.fullmatch(to) is None:
        raise MessageRejected(f"to: {to!r} is not a phone number of 7 to 15 digits", INVALID_VALUE)
    kind = _check_string_field(message, "type", allowed=MESSAGE_TYPES)
    for key in message:
        if key == kind or key in _TOP_LEVEL:
            continue
        if key in MESSAGE_TYPES or key in _OTHER_MESSAGE_OBJECTS:
            raise MessageRejected(f'Unexpected key "{key}" on a message of type "{kind}"')
        raise MessageRejected(f'Unexpected key "{key}" on param "<root>"')
    if kind not in message:
        raise MessageRejected(f"The parameter {kind} is required.", MISSING_PARAMETER)
    content = _object(message[kind], kind)
    if kind == "text":
        _check_text(content)
    else:
        _check_media(kind, content, media_type_of)
    if "context" in message:
        context = _object(message["context"], "context")
        _only_keys(context, "context", {"message_id"})
        reply_to = context.get("message_id")
        if not isinstance(reply_to, str) or not reply_to:
            raise MessageRejected("context['message_id'] must be a message id (a string)")


def _check_string_field(
    document: Mapping[str, Any], name: str, *, allowed: tuple[str, ...] = ()
) -> str:
    if name not in document:
        raise MessageRejected(f"The parameter {name} is required.", MISSING_PARAMETER)
    value = document[name]
    if not isinstance(value, str):
        raise MessageRejected(f"Param {name} must be a string")
    if allowed and value not in allowed:
        raise MessageRejected(f"Param {name} must be one of {{{', '.join(allowed)}}}")
    return value


def _object(value: object, name: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise MessageRejected(f"Param {name} must be a JSON object")
    return value


def _only_keys(content: Mapping[str, Any], name: str, allowed: set[str]) -> None:
    for key in content:
        if key not in allowed:
            raise MessageRejected(f'Unexpected key "{key}" on param "{name}"')


def _check_length(content: Mapping[str, Any], where: str, key: str, most: int) -> None:
    value = content[key]
    if not isinstance(value, str):
        raise MessageRejected(f"Param {where}['{key}'] must be a string")
    if not 1 <= len(value) <= most:
        raise MessageRejected(f"Param {where}['{key}'] must be 1 to {most} characters long")


def _check_text(content: Mapping[str, Any]) -> None:
    _only_keys(content, "text", {"body", "preview_url"})
    if "body" not in content:
        raise MessageRejected("The parameter text['body'] is required.", MISSING_PARAMETER)
    _check_length(content, "text", "body", MAX_TEXT_CHARS)
    if "preview_url" in content and not isinstance(content["preview_url"], bool):
        raise MessageRejected("Param text['preview_url'] must be a boolean")


def _check_media(
    kind: str, content: Mapping[str, Any], media_type_of: Callable[[str], str | None]
) -> None:
    allowed = {"id", "link"}
    if kind in _CAPTIONED:
        allowed.add("caption")
    if kind == "document":
        allowed.add("filename")
    _only_keys(content, kind, allowed)
    if ("id" in content) == ("link" in content):
        raise MessageRejected(f"Param {kind} needs exactly one of 'id' and 'link'")
    if "caption" in content:
        _check_length(content, kind, "caption", MAX_CAPTION_CHARS)
    if "filename" in content:
        _check_length(content, kind, "filename", MAX_FILENAME_CHARS)
    if "link" in content:
        link = content["link"]
        if not isinstance(link, str) or _HTTPS_LINK.fullmatch(link) is None:
            raise MessageRejected(f"Param {kind}['link'] must be an https URL", INVALID_VALUE)
        return
    media_id = content["id"]
    if not isinstance(media_id, str) or _MEDIA_ID.fullmatch(media_id) is None:
        raise MessageRejected(f"Param {kind}['id'] must be a media id (digits)")
    mime_type = media_type_of(media_id)
    if mime_type is None:
        raise MessageRejected(f"Unknown media id {media_id}", INVALID_VALUE)
    # Any media goes as a document; the other types need media of their own kind.
    rule = MEDIA_RULES.get(bare_mime_type(mime_type))
    if kind != "document" and (rule is None or rule.kind != kind):
        raise MessageRejected(
            f"media {media_id} of type {mime_type} cannot be sent as {kind}", MEDIA_ERROR
        )
