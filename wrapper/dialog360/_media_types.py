"""The WhatsApp media types and their size limits (Meta's supported-media table)."""

from __future__ import annotations

import mimetypes
from typing import Final

_KB: Final = 1024
_MB: Final = 1024 * 1024

# mime type -> (category, max bytes). Stickers: 100 KB static; animated webp may reach 500 KB,
# and a client cannot tell the two apart cheaply, so the larger bound is applied.
MEDIA_LIMITS: Final[dict[str, tuple[str, int]]] = {
    "audio/aac": ("audio", 16 * _MB),
    "audio/amr": ("audio", 16 * _MB),
    "audio/mpeg": ("audio", 16 * _MB),
    "audio/mp4": ("audio", 16 * _MB),
    "audio/ogg": ("audio", 16 * _MB),
    "text/plain": ("document", 100 * _MB),
    "application/pdf": ("document", 100 * _MB),
    "application/vnd.ms-powerpoint": ("document", 100 * _MB),
    "application/msword": ("document", 100 * _MB),
    "application/vnd.ms-excel": ("document", 100 * _MB),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "document",
        100 * _MB,
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "document",
        100 * _MB,
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "document",
        100 * _MB,
    ),
    "image/jpeg": ("image", 5 * _MB),
    "image/png": ("image", 5 * _MB),
    "video/mp4": ("video", 16 * _MB),
    "video/3gpp": ("video", 16 * _MB),
    "image/webp": ("sticker", 500 * _KB),
}

# Extensions for file names we create; never derived from anything the server sends but the type.
_EXTENSIONS: Final[dict[str, str]] = {
    "audio/aac": ".aac",
    "audio/amr": ".amr",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/ogg": ".ogg",
    "text/plain": ".txt",
    "application/pdf": ".pdf",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "video/mp4": ".mp4",
    "video/3gpp": ".3gp",
    "image/webp": ".webp",
}
_GUESS_BY_SUFFIX: Final[dict[str, str]] = {ext: mime for mime, ext in _EXTENSIONS.items()} | {
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
    return _EXTENSIONS.get(normalize_mime_type(mime_type), ".bin")


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
    limit = MEDIA_LIMITS.get(normalize_mime_type(mime_type))
    if limit is None:
        return f"unsupported media type {mime_type!r}"
    category, max_bytes = limit
    if size > max_bytes:
        return f"{category} of type {mime_type} is limited to {max_bytes} bytes, got {size}"
    if size == 0:
        return "the file is empty"
    return None
