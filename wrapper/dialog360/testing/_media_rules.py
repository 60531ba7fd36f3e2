"""The media WhatsApp accepts: the fake server's own copy of Meta's supported-media table.

Deliberately not shared with the client's table: tests pin each one to the published numbers
separately, so a wrong limit on one side fails a test instead of passing on both.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, get_args

MediaKind = Literal["image", "video", "audio", "document", "sticker"]
MEDIA_KINDS: Final[tuple[MediaKind, ...]] = get_args(MediaKind)

_KB: Final = 1024
_MB: Final = 1024 * 1024


@dataclass(frozen=True)
class MediaRule:
    """What WhatsApp allows for one mime type: the message type it is sent as, its largest
    size, and the file extension it is usually stored under."""

    kind: MediaKind
    max_bytes: int
    extension: str


_AUDIO = 16 * _MB
_DOCUMENT = 100 * _MB
_IMAGE = 5 * _MB
_VIDEO = 16 * _MB
_ANIMATED_STICKER = 500 * _KB

# Stickers: 500 KB animated, 100 KB static; the fake tells the two apart (see sticker_limit).
MEDIA_RULES: Final[Mapping[str, MediaRule]] = MappingProxyType(
    {
        "audio/aac": MediaRule("audio", _AUDIO, ".aac"),
        "audio/amr": MediaRule("audio", _AUDIO, ".amr"),
        "audio/mpeg": MediaRule("audio", _AUDIO, ".mp3"),
        "audio/mp4": MediaRule("audio", _AUDIO, ".m4a"),
        "audio/ogg": MediaRule("audio", _AUDIO, ".ogg"),
        "text/plain": MediaRule("document", _DOCUMENT, ".txt"),
        "application/pdf": MediaRule("document", _DOCUMENT, ".pdf"),
        "application/vnd.ms-powerpoint": MediaRule("document", _DOCUMENT, ".ppt"),
        "application/msword": MediaRule("document", _DOCUMENT, ".doc"),
        "application/vnd.ms-excel": MediaRule("document", _DOCUMENT, ".xls"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": MediaRule(
            "document", _DOCUMENT, ".docx"
        ),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation": MediaRule(
            "document", _DOCUMENT, ".pptx"
        ),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": MediaRule(
            "document", _DOCUMENT, ".xlsx"
        ),
        "image/jpeg": MediaRule("image", _IMAGE, ".jpg"),
        "image/png": MediaRule("image", _IMAGE, ".png"),
        "video/mp4": MediaRule("video", _VIDEO, ".mp4"),
        "video/3gpp": MediaRule("video", _VIDEO, ".3gp"),
        "image/webp": MediaRule("sticker", _ANIMATED_STICKER, ".webp"),
    }
)
STATIC_STICKER_MAX_BYTES: Final = 100 * _KB

_BY_EXTENSION: Final = {rule.extension: mime for mime, rule in MEDIA_RULES.items()} | {
    ".jpeg": "image/jpeg",
    ".opus": "audio/ogg",
}


def media_kind(name: str) -> MediaKind | None:
    """`name` as a media message type, or None when it is not one."""
    for kind in MEDIA_KINDS:
        if name == kind:
            return kind
    return None


def bare_mime_type(mime_type: str) -> str:
    """`Image/JPEG; charset=x` -> `image/jpeg`."""
    return mime_type.split(";", 1)[0].strip().lower()


def is_animated_webp(data: bytes | memoryview) -> bool:
    """True for a WebP whose extended header (VP8X) sets the animation flag."""
    head = bytes(data[:21])
    return (
        head[:4] == b"RIFF" and head[8:16] == b"WEBPVP8X" and len(head) == 21 and bool(head[20] & 2)
    )


def sticker_limit(data: bytes | memoryview) -> int:
    """The size limit of a WebP sticker: larger for an animated one."""
    return (
        MEDIA_RULES["image/webp"].max_bytes if is_animated_webp(data) else STATIC_STICKER_MAX_BYTES
    )


def refusal(mime_type: str, data: bytes | memoryview) -> str | None:
    """Why WhatsApp refuses `data` uploaded as `mime_type`, or None when it accepts it."""
    rule = MEDIA_RULES.get(bare_mime_type(mime_type))
    if rule is None:
        return f"unsupported media type {mime_type!r}"
    size = len(data)
    if size == 0:
        return "the file is empty"
    limit = sticker_limit(data) if rule.kind == "sticker" else rule.max_bytes
    if size > limit:
        return f"{rule.kind} of type {mime_type} is limited to {limit} bytes, got {size}"
    return None


def guess_type(filename: str) -> str | None:
    """The mime type of a file name by its extension (WhatsApp's types first), or None."""
    dot = filename.rfind(".")
    if dot < 0:
        return None
    known = _BY_EXTENSION.get(filename[dot:].lower())
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return bare_mime_type(guessed) if guessed else None
