"""What a download starts from: the media id, plus what the caller already knows about it.

A plain id knows nothing more; metadata from get() saves a request; a webhook's media object
announces the sha256 the bytes must have (checked against the metadata before any byte is
fetched) and, for a document, the sender's file name (kept only on request, made safe).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from dialog360_api.models import MediaUrlResponse

from . import _constants as C
from ._errors import IntegrityError
from ._files import destination_path
from ._media_types import extension_for, guess_mime_type, normalize_mime_type

_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")
_SHA256_BASE64 = re.compile(r"[A-Za-z0-9+/\-_]{43}=?")
# A name ending like this has an extension to judge; anything else gets the right one added.
_EXTENSION = re.compile(r"(.+)(\.[A-Za-z0-9]{1,10})")
# Characters Windows and SMB shares refuse in names: replaced, so a file can be copied there.
_RESERVED = str.maketrans(dict.fromkeys('<>:"|?*', "_"))
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)}
)


def normalize_sha256(value: str) -> str | None:
    """A sha256 as lowercase hex, from hex (either case) or base64 (standard or url-safe, with
    or without padding) of the 32 bytes; None when it is neither."""
    if _SHA256_HEX.fullmatch(value):
        return value.lower()
    if not _SHA256_BASE64.fullmatch(value):
        return None
    text = value.rstrip("=").replace("-", "+").replace("_", "/") + "="
    try:
        digest = base64.b64decode(text, validate=True)
    except binascii.Error:
        return None
    return digest.hex() if len(digest) == 32 else None


def safe_filename(name: str, mime_type: str) -> str | None:
    """`name` (chosen by a sender) as one harmless file name, or None if nothing usable is left.

    Only the last path component is kept; control, format (bidi overrides) and other
    unprintable characters are dropped, characters Windows refuses replaced; leading dots and
    spaces (hidden files, `..`) and trailing ones are stripped; the extension must match
    `mime_type`: a known extension of another type is replaced by the right one, which is
    appended to a name without a known extension; at most INBOUND_FILENAME_MAX_BYTES bytes of
    UTF-8.
    """
    name = re.split(r"[/\\]", name)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(char for char in name if char.isprintable()).translate(_RESERVED)
    name = name.strip(" .")
    stem, extension = name, extension_for(mime_type)
    if match := _EXTENSION.fullmatch(name):
        guessed = guess_mime_type(name)
        if guessed is not None and guessed == normalize_mime_type(mime_type):
            extension = match[2]
            stem = match[1]
        elif guessed is not None:  # an extension of another type: replaced, not appended
            stem = match[1]
    room = C.INBOUND_FILENAME_MAX_BYTES - len(extension.encode())
    stem = stem.encode()[:room].decode("utf-8", "ignore").strip(" .")
    if not stem:
        return None
    if stem.split(".")[0].upper() in _DEVICE_NAMES:
        stem = "_" + stem
    return stem + extension


@dataclass(frozen=True)
class MediaSource:
    """A checked media id, and what the caller handed over beside it."""

    media_id: str
    held: MediaUrlResponse | None = None  # metadata from get(): no need to ask again
    sha256: str | None = None  # announced by a webhook, lowercase hex
    filename: str | None = None  # a document's name as the sender chose it: never a path as is

    def checked(self, info: MediaUrlResponse) -> MediaUrlResponse:
        """`info`, once its sha256 agrees with the one the webhook announced."""
        if self.sha256 is not None and info.sha256.lower() != self.sha256:
            raise IntegrityError(
                f"media {self.media_id}: the API's sha256 differs from the webhook's; "
                "nothing was downloaded",
                expected=self.sha256,
                actual=info.sha256.lower(),
            )
        return info

    def target(
        self,
        destination: str | os.PathLike[str],
        mime_type: str,
        *,
        use_filename: bool,
        folder: bool,
    ) -> Path:
        """Where the download goes: in a `folder`, `<media_id><ext>`, or with `use_filename`
        the sender's document name made safe; a file path is used as it is."""
        if use_filename and self.filename is not None and folder:
            name = safe_filename(self.filename, mime_type)
            if name is not None:
                return Path(destination) / name
        return destination_path(destination, self.media_id, mime_type, folder=folder)
