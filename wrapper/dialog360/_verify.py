"""Checking media bytes as they stream: size bound, sha256, and what a resumed answer means."""

from __future__ import annotations

import re

from ._errors import IntegrityError, MediaDownloadError

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_SHOWN_SIZE_LIMIT = 10**18  # an absurd announced size is not printed digit by digit


class MediaVerifier:
    """Counts the bytes of one media file as they arrive (raising as soon as there are too
    many) and judges the whole at the end against the sha256 computed beside the receive."""

    def __init__(self, *, expected_size: int, expected_sha256: str, max_bytes: int):
        # The metadata is checked already (an int >= 0, 64 hex digits); only the cap is ours.
        if expected_size > max_bytes:
            shown = f"{expected_size} bytes" if expected_size < _SHOWN_SIZE_LIMIT else "larger"
            raise MediaDownloadError(
                f"the media is {shown}, more than the limit of {max_bytes} bytes"
            )
        self.expected_size = expected_size
        self.expected_sha256 = expected_sha256.lower()
        self.received = 0

    def update(self, chunk: bytes) -> None:
        """Take the next chunk; IntegrityError once the bytes exceed the announced size."""
        self.received += len(chunk)
        if self.received > self.expected_size:
            raise IntegrityError(
                f"the server sent more than the announced {self.expected_size} bytes",
                expected=self.expected_size,
                actual=self.received,
            )

    def finish(self, actual: str) -> None:
        """IntegrityError unless every byte arrived and their sha256 (`actual`) matches."""
        if self.received != self.expected_size:
            raise IntegrityError(
                f"size mismatch: expected {self.expected_size} bytes, received {self.received}",
                expected=self.expected_size,
                actual=self.received,
            )
        if actual != self.expected_sha256:
            raise IntegrityError(
                f"sha256 mismatch: expected {self.expected_sha256}, got {actual}",
                expected=self.expected_sha256,
                actual=actual,
            )


def bytes_to_skip(status: int, content_range: str | None, have: int) -> int:
    """How many leading body bytes to drop when asking for the rest from byte `have` on.

    206 starting at `have`: none. 200 (the server ignored Range): `have`, we already hold them.
    Anything else cannot continue the same file.
    """
    if status == 200:
        return have
    if status == 206 and content_range:
        match = _CONTENT_RANGE.fullmatch(content_range.strip())
        if match and int(match.group(1)) == have:
            return 0
    raise MediaDownloadError(
        f"cannot resume at byte {have}: the server answered {status} {content_range or ''}".strip()
    )
