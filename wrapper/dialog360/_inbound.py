"""Inbound media: the media messages of a webhook payload, and downloading from them."""

from __future__ import annotations

import datetime as dt
import re

import attrs
from dialog360_api.models import InboundMediaObject, InboundMessage, WebhookPayload
from dialog360_api.types import Unset

from ._errors import WebhookError
from ._media_source import MediaSource, normalize_sha256
from ._media_url import validate_media_id

MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")
_UNIX_SECONDS = re.compile(r"[0-9]{1,11}")  # up to the year 5138
_MEDIA_ID = re.compile(r"[0-9]{1,64}")


@attrs.frozen
class InboundMedia:
    """One media message of a webhook: what to download, and from whom it came.

    Pass it to `client.media.download / read / stream`: the media id comes from it, and the
    sha256 it announces must match the API's metadata before any byte is fetched.

    Attributes:
        message_id: the message id (`wamid....`); a re-delivery repeats it, so it is the key
            to handle each message once.
        sender: the sender's WhatsApp id (`wa_id`, the message's `from`).
        phone_number_id: the business number the message was sent to (None if the change
            carries no metadata).
        timestamp: when WhatsApp received the message, timezone-aware UTC (the webhook's
            unix seconds).
        type: image, video, audio, document or sticker.
        media: the generated webhook media object, unknown fields included.
        media_id: the media id (digits), valid for 7 days.
        mime_type: as the webhook announced it (None if absent).
        sha256: lowercase hex, whether the webhook sent hex or base64 (None if absent).
        caption: the caption of an image, video or document (None if none).
        filename: a document's file name as the sender chose it. Never use it as a path:
            `download(..., use_filename=True)` keeps it only made safe.
    """

    message_id: str
    sender: str
    phone_number_id: str | None
    timestamp: dt.datetime
    type: str
    media: InboundMediaObject = attrs.field(eq=False, repr=False)
    media_id: str
    mime_type: str | None
    sha256: str | None
    caption: str | None
    filename: str | None


def inbound_media(payload: WebhookPayload) -> list[InboundMedia]:
    """Every media message of every entry and change, in the order of the payload."""
    if not isinstance(payload, WebhookPayload):
        raise WebhookError(
            f"expected the WebhookPayload from webhooks.parse(), got a {type(payload).__name__}"
        )
    found = []
    for e, entry in enumerate(payload.entry):
        for c, change in enumerate(entry.changes):
            value = change.value
            metadata = value.metadata
            number = None if isinstance(metadata, Unset) else metadata.phone_number_id
            messages = [] if isinstance(value.messages, Unset) else value.messages
            for m, message in enumerate(messages):
                if message.type_ in MEDIA_TYPES:
                    where = f"the webhook's entry[{e}].changes[{c}].value.messages[{m}]"
                    found.append(_item(message, number, where))
    return found


def _item(message: InboundMessage, phone_number_id: str | None, where: str) -> InboundMedia:
    media = getattr(message, message.type_)
    if not isinstance(media, InboundMediaObject):
        raise WebhookError(f"{where}: a {message.type_} message without its {message.type_!r}")
    if not _MEDIA_ID.fullmatch(media.id):
        raise WebhookError(f"{where}.{message.type_}.id: expected a media id (digits)")
    if not _UNIX_SECONDS.fullmatch(message.timestamp):
        raise WebhookError(f"{where}.timestamp: expected unix seconds")
    sha256 = None
    if isinstance(media.sha256, str):
        sha256 = normalize_sha256(media.sha256)
        if sha256 is None:
            raise WebhookError(
                f"{where}.{message.type_}.sha256: expected 64 hex digits or the base64 of 32 bytes"
            )
    return InboundMedia(
        message_id=message.id,
        sender=message.from_,
        phone_number_id=phone_number_id,
        timestamp=dt.datetime.fromtimestamp(int(message.timestamp), tz=dt.UTC),
        type=message.type_,
        media=media,
        media_id=media.id,
        mime_type=_given(media.mime_type),
        sha256=sha256,
        caption=_given(media.caption),
        filename=_given(media.filename),
    )


def _given(value: str | Unset) -> str | None:
    return None if isinstance(value, Unset) else value


def webhook_source(media: object) -> MediaSource:
    """The download source of an InboundMedia or a webhook media object (else the id check's
    error for whatever `media` is)."""
    if isinstance(media, InboundMedia):
        return MediaSource(media.media_id, sha256=media.sha256, filename=media.filename)
    if isinstance(media, InboundMediaObject):
        media_id = validate_media_id(media.id)
        sha256 = None
        if isinstance(media.sha256, str):
            sha256 = normalize_sha256(media.sha256)
            if sha256 is None:
                raise WebhookError(
                    f"media {media_id}: the webhook's sha256 is neither 64 hex digits nor the "
                    "base64 of 32 bytes"
                )
        return MediaSource(media_id, sha256=sha256, filename=_given(media.filename))
    return MediaSource(validate_media_id(media))
