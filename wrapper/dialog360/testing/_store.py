"""The fake server's media: bytes in memory or files on disk, with their metadata."""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from dialog360.testing._limits import MEDIA_ID_MAX_DIGITS

# Ids handed out for added media: 16 digits, like real WhatsApp media ids. Ids derived from a
# seed file's name are 15 digits, so the two kinds never collide.
_FIRST_ALLOCATED_ID = 1_000_000_000_000_001
_SEED_ID_BASE = 100_000_000_000_000
_SEED_ID_SPAN = 900_000_000_000_000
_HASH_CHUNK = 1024 * 1024


def is_media_id(value: str) -> bool:
    """True for 1..64 ASCII digits (`str.isdigit()` also accepts other scripts' digits)."""
    return 0 < len(value) <= MEDIA_ID_MAX_DIGITS and value.isascii() and value.isdigit()


def seed_id_for(name: str) -> str:
    """The stable media id of a seed file: its stem when that is a valid id, else a number
    derived from the name, so the same folder gives the same ids run after run."""
    stem = name.split(".", 1)[0]
    if is_media_id(stem):
        return stem
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).digest()
    return str(_SEED_ID_BASE + int.from_bytes(digest[:8], "big") % _SEED_ID_SPAN)


@dataclass(frozen=True)
class StoredMedia:
    """One media item. Exactly one of `data` (in memory) and `path` (served from disk) is set."""

    media_id: str
    mime_type: str
    sha256: str
    file_size: int
    filename: str | None = None
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)

    def read_bytes(self) -> bytes:
        """The media's bytes (read from disk for file-backed media)."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


class MediaStore:
    """Thread-safe media by id, in insertion order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, StoredMedia] = {}
        self._next_id = _FIRST_ALLOCATED_ID

    def add_bytes(
        self,
        data: bytes,
        mime_type: str,
        *,
        media_id: str | None = None,
        filename: str | None = None,
    ) -> StoredMedia:
        """Store `data`; a new id is allocated unless `media_id` is given."""
        data = bytes(data)
        sha256 = hashlib.sha256(data).hexdigest()
        with self._lock:
            chosen = self._claim_id(media_id)
            item = StoredMedia(chosen, mime_type, sha256, len(data), filename, data=data)
            self._items[chosen] = item
        return item

    def add_file(
        self, path: Path, mime_type: str, *, media_id: str | None = None, bump: bool = False
    ) -> StoredMedia:
        """Register `path`, hashed now in chunks and served from disk later.

        With `bump`, an id already taken is replaced by the next free number instead of raising.
        """
        resolved = path.resolve()
        digest = hashlib.sha256()
        size = 0
        with open(resolved, "rb") as stream:
            while chunk := stream.read(_HASH_CHUNK):
                digest.update(chunk)
                size += len(chunk)
        with self._lock:
            if bump and media_id is not None:
                while media_id in self._items:
                    media_id = str(int(media_id) + 1)
            chosen = self._claim_id(media_id)
            item = StoredMedia(
                chosen, mime_type, digest.hexdigest(), size, os.path.basename(resolved), resolved
            )
            self._items[chosen] = item
        return item

    def _claim_id(self, media_id: str | None) -> str:
        # Caller holds the lock.
        if media_id is None:
            while str(self._next_id) in self._items:
                self._next_id += 1
            media_id = str(self._next_id)
            self._next_id += 1
            return media_id
        if not is_media_id(media_id):
            raise ValueError("a media id is 1..64 ASCII digits")
        if media_id in self._items:
            raise ValueError(f"media id {media_id} is already taken")
        return media_id

    def get(self, media_id: str) -> StoredMedia | None:
        """The media with this id, or None."""
        with self._lock:
            return self._items.get(media_id)

    def remove(self, media_id: str) -> bool:
        """Forget the media; False when it was not there."""
        with self._lock:
            return self._items.pop(media_id, None) is not None

    def snapshot(self) -> dict[str, StoredMedia]:
        """A copy of everything, in insertion order."""
        with self._lock:
            return dict(self._items)
