"""What the HTTP side of the fake server needs from the rest of it: `Backend`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol

from dialog360.testing._faults import Fault, Route
from dialog360.testing._media_rules import MediaKind
from dialog360.testing._messages import SentMessage
from dialog360.testing._records import RecordedRequest
from dialog360.testing._store import StoredMedia
from dialog360.testing._webhooks import InboundMessage


class Backend(Protocol):
    """The fake API behind the request handler: its settings, its faults and records, and the
    operations the routes perform. The handler knows the server only through this."""

    @property
    def api_key(self) -> str:
        """The only key accepted."""

    @property
    def client_timeout(self) -> float:
        """Seconds a client may take (see FakeServer)."""

    @property
    def max_upload_bytes(self) -> int:
        """The largest upload body."""

    @property
    def webhook_url(self) -> str | None:
        """Where webhooks go; None when there are none."""

    def take_fault(self, route: Route) -> Fault | None:
        """The fault the current request of `route` suffers (one use consumed), if any."""

    def latency(self, route: Route) -> float:
        """The constant delay of `route` in seconds."""

    def record(self, request: RecordedRequest) -> None:
        """Remember a request (before it is answered)."""

    def find_media(self, media_id: str) -> StoredMedia | None:
        """The stored media with this id, or None."""

    def store_media(self, data: bytes, mime_type: str, filename: str | None) -> StoredMedia:
        """Store an upload under a new id."""

    def delete_media(self, media_id: str) -> bool:
        """Forget the media; False when it was not there."""

    def media_url(self, media_id: str) -> str:
        """A freshly signed download url."""

    def download_refusal(self, mid: str, ext: str, given_hash: str) -> str | None:
        """Why a download url with these query values is refused (403), or None."""

    def accept_message(self, message: Mapping[str, Any]) -> SentMessage:
        """Record a message already checked, and queue its status webhooks."""

    def send_inbound_media(
        self,
        data: bytes,
        mime_type: str,
        *,
        caption: str | None = None,
        filename: str | None = None,
        sender: str = ...,
        sender_name: str = ...,
        message_type: MediaKind | None = None,
        voice: bool = False,
        sha256_encoding: Literal["hex", "base64"] = "base64",
    ) -> InboundMessage:
        """Store a media a user sends and post its webhook (ValueError on bad options)."""
