"""The WhatsApp media types and their size limits (Meta's supported-media table)."""

from __future__ import annotations

import mimetypes
from typing import Final, NamedTuple

_KB: Final = 1024
_MB: Final = 1024 * 1024


class MediaType(NamedTuple):
    """What WhatsApp does with one mime type: the message kind, the largest file, and the
    extension of the files we name (never derived from anything the server sends)."""

    kind: str
    max_bytes: int
    extension: str


_DOC: Final = 100 * _MB
# Meta's supported-media table. Stickers: 100 KB static; animated webp may reach 500 KB, and a
# client cannot tell the two apart cheaply, so the larger bound is applied.
MEDIA_TYPES: Final[dict[str, MediaType]] = {
    "audio/aac": MediaType("audio", 16 * _MB, ".aac"),
    "audio/amr": MediaType("audio", 16 * _MB, ".amr"),
    "audio/mpeg": MediaType("audio", 16 * _MB, ".mp3"),
    "audio/mp4": MediaType("audio", 16 * _MB, ".m4a"),
    "audio/ogg": MediaType("audio", 16 * _MB, ".ogg"),
    "text/plain": MediaType("document", _DOC, ".txt"),
    "application/pdf": MediaType("document", _DOC, ".pdf"),
    "application/vnd.ms-powerpoint": MediaType("document", _DOC, ".ppt"),
    "application/msword": MediaType("document", _DOC, ".doc"),
    "application/vnd.ms-excel": MediaType("document", _DOC, ".xls"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": MediaType(
        "document", _DOC, ".docx"
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": MediaType(
        "document", _DOC, ".pptx"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": MediaType(
        "document", _DOC, ".xlsx"
    ),
    "image/jpeg": MediaType("image", 5 * _MB, ".jpg"),
    "image/png": MediaType("image", 5 * _MB, ".png"),
    "video/mp4": MediaType("video", 16 * _MB, ".mp4"),
    "video/3gpp": MediaType("video", 16 * _MB, ".3gp"),
    "image/webp": MediaType("sticker", 500 * _KB, ".webp"),
}
_GUESS_BY_SUFFIX: Final[dict[str, str]] = {
    media.extension: mime for mime, media in MEDIA_TYPES.items()
} | {
    ".jpeg": "image/jpeg",
    ".opus": "audio/ogg",
    ".oga": "audio/ogg",
    ".3gpp": "video/3gpp",
}


def normalize_mime_type(mime_type: str) -> str:
    """`Image/JPEG; charset=x` -> `image/jpeg` (parameters such as `codecs=opus` dropped)."""
    return mime_type.split(";", 1)[0].strip().lower()


def extension_for(mime_type: str | None) -> str:
    """A safe file extension for a mime type: `.jpg` for image/jpeg, `.bin` when unknown."""
    if not mime_type:
        return ".bin"
    media = MEDIA_TYPES.get(normalize_mime_type(mime_type))
    return media.extension if media is not None else ".bin"


def guess_mime_type(filename: str) -> str | None:
    """The WhatsApp mime type for a file name, by its suffix; None when it is not one we know."""
    dot = filename.rfind(".")
    if dot < 0:
        return None
    suffix = filename[dot:].lower()
    known = _GUESS_BY_SUFFIX.get(suffix)
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return normalize_mime_type(guessed) if guessed else None


def check_media(mime_type: str, size: int) -> str | None:
    """None when WhatsApp accepts `size` bytes of `mime_type`, else the reason it does not."""
    media = MEDIA_TYPES.get(normalize_mime_type(mime_type))
    if media is None:
        return f"unsupported media type {mime_type!r}"
    if size > media.max_bytes:
        return f"{media.kind} of type {mime_type} is limited to {media.max_bytes} bytes, got {size}"
    if size == 0:
        return "the file is empty"
    return None
