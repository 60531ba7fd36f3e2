"""`FakeServer`: a faithful fake of the 360dialog media API on a real loopback socket."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import logging
import math
import os
import secrets
import selectors
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any, Literal

from dialog360._constants import (
    ATTACHMENTS_PATH,
    FAKE_CLIENT_TIMEOUT,
    FAKE_JOIN_TIMEOUT,
    FAKE_LISTEN_BACKLOG,
    FAKE_UPLOAD_BODY_LIMIT,
    MEDIA_URL_TTL,
)
from dialog360._media_types import guess_mime_type
from dialog360.testing._faults import Fault, FaultBook, Route
from dialog360.testing._handler import FakeRequestHandler
from dialog360.testing._limits import (
    WEBHOOK_RETRY_DELAYS,
    WEBHOOK_TIMEOUT,
    WEBHOOK_WAIT_TIMEOUT,
)
from dialog360.testing._media_rules import (
    MEDIA_RULES,
    MediaKind,
    bare_mime_type,
    is_animated_webp,
    media_kind,
)
from dialog360.testing._messages import SentMessage, new_message_id
from dialog360.testing._records import RecordedRequest
from dialog360.testing._store import MediaStore, StoredMedia, seed_id_for
from dialog360.testing._webhooks import (
    DEFAULT_SENDER,
    DEFAULT_SENDER_NAME,
    InboundMessage,
    WebhookDelivery,
    WebhookSender,
    inbound_message_payload,
    status_payload,
)

# Tunables of the fake server (candidates for _constants.py).
DEFAULT_MEDIA_URL_ORIGIN = "https://lookaside.fbsbx.com"
DEFAULT_FALLBACK_MIME_TYPE = "application/octet-stream"

logger = logging.getLogger("dialog360.testing")


class FakeHTTPServer(socketserver.TCPServer):
    """The listening socket plus one daemon thread per connection, all tracked so that
    `stop_serving()` can wake and join every one of them promptly."""

    allow_reuse_address = True
    request_queue_size = FAKE_LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], fake: FakeServer) -> None:
        self.fake = fake
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._connection_threads: set[threading.Thread] = set()
        # Writing to this pair wakes the accept loop at once (serve_forever would poll).
        self._wake_reader, self._wake_writer = socket.socketpair()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        try:
            super().__init__(address, FakeRequestHandler)
        except BaseException:
            self._wake_reader.close()
            self._wake_writer.close()
            raise
        self.socket.setblocking(False)

    def serve(self) -> None:
        """Accept connections until `stop_serving()`; each one is served on its own thread."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self.stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self.socket and not self.stopping.is_set():
                        self._accept()

    def _accept(self) -> None:
        try:
            request, client_address = self.socket.accept()
        except OSError:  # the client gave up between select() and accept()
            return
        request.setblocking(True)
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name="dialog360-fake-connection",
            daemon=True,
        )
        with self._lock:
            self._connection_threads.add(thread)
        thread.start()

    def _serve_connection(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self._lock:
                self._connection_threads.discard(threading.current_thread())

    def stop_serving(self, accept_thread: threading.Thread) -> None:
        """Stop accepting, close the listening socket, then wake and join every connection
        thread (idle keep-alive reads, fault waits, blocked writes)."""
        with self._lock:
            self.stopping.set()
            connections = list(self._connections)
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")
        accept_thread.join()
        self.server_close()
        self._wake_reader.close()
        self._wake_writer.close()
        for sock in connections:
            _shutdown(sock)
        deadline = time.monotonic() + FAKE_JOIN_TIMEOUT
        while True:
            with self._lock:
                threads = list(self._connection_threads)
            if not threads:
                return
            for thread in threads:
                thread.join(max(deadline - time.monotonic(), 0.0))
            if time.monotonic() >= deadline:
                logger.warning("fake server: %d connection threads did not stop", len(threads))
                return

    def track_connection(self, sock: socket.socket) -> None:
        """Remember an open connection; shut it at once if the server is already stopping."""
        with self._lock:
            if not self.stopping.is_set():
                self._connections.add(sock)
                return
        _shutdown(sock)

    def untrack_connection(self, sock: socket.socket) -> None:
        """Forget a connection that is closing."""
        with self._lock:
            self._connections.discard(sock)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Client disconnects are routine for a fault-injecting server; anything else is a bug."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            logger.debug("fake server: connection error: %r", error)
        else:
            logger.exception("fake server: error while handling a request")


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class FakeServer:
    """A fake 360dialog media API on a real loopback socket: GET/DELETE `/{media_id}`,
    `POST /media` and the `/whatsapp_business/attachments/` download, with fault injection.

    ```python
    with FakeServer(api_key="test-key") as server:
        media_id = server.add_media(b"...", mime_type="image/jpeg")
        server.inject("attachments", Fault.close_mid_body())
        ...  # point a client at server.base_url with server.api_key
    ```

    `clock` (default `time.time`) plus `advance_clock()` decide when handed-out urls expire
    (`url_ttl` seconds after issue; an expired url answers 403 "URL signature expired").
    `seed_dir` adds every regular, non-hidden file of that folder, in name order, under a stable id
    (see `media_ids()`). Media state survives stop()/start(); the port may change when it is 0.

    Hostile clients get an `{"error": ...}` answer and a closed connection, never more than
    `max_upload_bytes` buffered (413 beyond it). `client_timeout` bounds an idle keep-alive
    connection, the arrival of a whole request head (408), and each stalled write; a body
    must then keep up an average of 64 KiB/s.

    With `webhook_url` (http on a loopback address only), the server posts webhooks there:
    `send_inbound_media()` delivers an inbound media message, and every message accepted by
    POST /messages gets a "sent" and a "delivered" status. Each body is signed with
    `webhook_secret` when given (`X-360Dialog-Signature: <hex>` and
    `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the raw body). A delivery the receiver
    does not answer with 200 is tried again after each of `webhook_retry_delays` (seconds) in
    turn; `webhook_timeout` bounds each attempt. See `webhook_deliveries`, `redeliver()` and
    `wait_for_deliveries()`.
    """

    def __init__(
        self,
        api_key: str = "test-key",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        media_url_origin: str = DEFAULT_MEDIA_URL_ORIGIN,
        clock: Callable[[], float] = time.time,
        url_ttl: int = MEDIA_URL_TTL,
        seed_dir: str | os.PathLike[str] | None = None,
        max_upload_bytes: int = FAKE_UPLOAD_BODY_LIMIT,
        client_timeout: float = FAKE_CLIENT_TIMEOUT,
        webhook_url: str | None = None,
        webhook_secret: str | bytes | None = None,
        webhook_retry_delays: Sequence[float] = WEBHOOK_RETRY_DELAYS,
        webhook_timeout: float = WEBHOOK_TIMEOUT,
    ) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        if not (0 < client_timeout < math.inf):
            raise ValueError("client_timeout must be a positive number of seconds")
        self._api_key = api_key
        self._host = host
        self._requested_port = port
        self.media_url_origin = media_url_origin.rstrip("/")
        self._clock = clock
        self._clock_offset = 0.0
        self.url_ttl = url_ttl
        self.max_upload_bytes = max_upload_bytes
        self.client_timeout = client_timeout
        self._secret = secrets.token_bytes(32)
        self._store = MediaStore()
        self._faults = FaultBook()
        self._requests: list[RecordedRequest] = []
        self._sent_messages: list[SentMessage] = []
        self._lock = threading.Lock()
        self._lifecycle = threading.Lock()
        self._httpd: FakeHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._webhooks: WebhookSender | None = None
        if webhook_url is not None:
            secret = (
                webhook_secret.encode("utf-8")
                if isinstance(webhook_secret, str)
                else webhook_secret
            )
            if secret == b"":
                raise ValueError("webhook_secret must not be empty")
            self._webhooks = WebhookSender(
                webhook_url, secret, webhook_retry_delays, webhook_timeout
            )
        elif webhook_secret is not None:
            raise ValueError("webhook_secret needs a webhook_url")
        if seed_dir is not None:
            self.seed(seed_dir)

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FakeServer:
        """Bind and serve on a background thread; does nothing when already running."""
        with self._lifecycle:
            if self._httpd is not None:
                return self
            httpd = FakeHTTPServer((self._host, self._requested_port), self)
            thread = threading.Thread(
                target=httpd.serve,
                name="dialog360-fake-server",
                daemon=True,
            )
            thread.start()
            self._httpd, self._thread = httpd, thread
            return self

    def stop(self) -> None:
        """Stop serving: close the listening socket and every connection, join all threads.

        Idempotent. Pending delays end early (their connections are closed). Webhooks not yet
        delivered are given up ("failed"); a delivery in flight ends within `webhook_timeout`.
        """
        with self._lifecycle:
            if self._webhooks is not None:
                self._webhooks.close()
            httpd, thread = self._httpd, self._thread
            if httpd is None:
                return
            self._httpd = self._thread = None
            assert thread is not None
            httpd.stop_serving(thread)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._httpd is not None

    @property
    def port(self) -> int:
        """The bound port (RuntimeError before start())."""
        httpd = self._httpd
        if httpd is None:
            raise RuntimeError("the fake server is not running; call start() first")
        return int(httpd.server_address[1])

    @property
    def host(self) -> str:
        """The address the server binds to."""
        return self._host

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`: the base URL to give the client under test."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    @property
    def api_key(self) -> str:
        """The only key the server accepts in the D360-API-KEY header."""
        return self._api_key

    def __repr__(self) -> str:
        where = self.base_url if self.running else "stopped"
        return f"<FakeServer {where} media={len(self._store.snapshot())}>"

    # -- media -----------------------------------------------------------------------------------

    def add_media(
        self, data: bytes, mime_type: str = "image/jpeg", *, media_id: str | None = None
    ) -> str:
        """Store `data` (held in memory) and return its media id (a new numeric one unless
        `media_id` is given). The type is not validated, so unusual types can be served."""
        return self._store.add_bytes(data, mime_type, media_id=media_id).media_id

    def add_media_file(
        self,
        path: str | os.PathLike[str],
        mime_type: str | None = None,
        *,
        media_id: str | None = None,
    ) -> str:
        """Register a file that is served from disk with sendfile (never loaded whole); its
        sha256 is computed now. The type is guessed from the name when not given."""
        file_path = Path(path)
        if mime_type is None:
            mime_type = guess_mime_type(file_path.name) or DEFAULT_FALLBACK_MIME_TYPE
        return self._store.add_file(file_path, mime_type, media_id=media_id).media_id

    def seed(self, folder: str | os.PathLike[str]) -> list[str]:
        """Add every regular, non-hidden file of `folder` (not recursive), in name order.

        The id is the file's stem when that is numeric (`1234.jpg` -> "1234"), else a stable
        15-digit number derived from the name. Returns the new ids in the same order."""
        ids: list[str] = []
        for entry in sorted(Path(folder).iterdir(), key=lambda item: item.name):
            if entry.name.startswith(".") or not entry.is_file():
                continue
            mime_type = guess_mime_type(entry.name) or DEFAULT_FALLBACK_MIME_TYPE
            item = self._store.add_file(
                entry, mime_type, media_id=seed_id_for(entry.name), bump=True
            )
            ids.append(item.media_id)
        return ids

    @property
    def media(self) -> Mapping[str, StoredMedia]:
        """A read-only snapshot of the stored media by id (`.read_bytes()`, `.sha256`, ...)."""
        return MappingProxyType(self._store.snapshot())

    def media_ids(self) -> list[str]:
        """The stored media ids, in the order they were added."""
        return list(self._store.snapshot())

    def remove_media(self, media_id: str) -> bool:
        """Delete media as DELETE would; False when it was not there."""
        return self._store.remove(media_id)

    # -- signed urls and the clock ---------------------------------------------------------------

    def now(self) -> float:
        """The server's current time: `clock()` plus every `advance_clock()`."""
        return self._clock() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the server's clock forward (e.g. 301 s to expire the urls handed out so far)."""
        with self._lock:
            self._clock_offset += seconds

    def _sign(self, mid: str, ext: str) -> str:
        mac = hmac.new(self._secret, f"{mid}:{ext}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")

    def media_url(self, media_id: str, *, origin: str | None = None) -> str:
        """A freshly signed lookaside-style url for `media_id`, valid `url_ttl` seconds."""
        ext = str(math.ceil(self.now() + self.url_ttl))
        query = f"mid={media_id}&ext={ext}&hash={self._sign(media_id, ext)}&source=getMedia"
        return f"{origin or self.media_url_origin}{ATTACHMENTS_PATH}?{query}"

    def signature_valid(self, mid: str, ext: str, given_hash: str) -> bool:
        """Whether `hash` is this server's signature of `mid` and `ext` (expiry not checked)."""
        if not (mid.isascii() and mid.isdigit() and ext.isascii() and ext.isdigit()):
            return False
        expected = self._sign(mid, ext).encode("ascii")
        return hmac.compare_digest(expected, given_hash.encode("utf-8", "replace"))

    # -- faults ----------------------------------------------------------------------------------

    def inject(self, route: Route | str, fault: Fault) -> None:
        """Make the next `fault.times` requests of `route` ("get_media", "attachments",
        "delete_media", "upload_media" or "send_message") suffer `fault`, after the faults
        queued before it. Thread-safe."""
        self._faults.inject(route, fault)

    def clear_faults(self) -> None:
        """Drop every fault not yet used (latencies stay)."""
        self._faults.clear()

    def pending_faults(self, route: Route | str | None = None) -> list[tuple[Route, Fault]]:
        """The faults not used up yet, each with `times` = the uses left."""
        return self._faults.pending(route)

    def set_latency(self, route: Route | str, seconds: float) -> None:
        """Delay every request of `route` by `seconds` before it is answered (0 = off)."""
        self._faults.set_latency(route, seconds)

    # -- recorded requests ---------------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        # Called by the handler before it answers, so a client never sees a response first.
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self._requests.clear()

    # -- sent messages -------------------------------------------------------------------------

    def _accept_message(self, message: Mapping[str, Any]) -> SentMessage:
        # Called by the handler with a message already checked.
        to = str(message["to"])
        sent = SentMessage(
            message_id=new_message_id(),
            to=to,
            wa_id=to,
            type=str(message["type"]),
            body=message,
            time=self.now(),
        )
        with self._lock:
            self._sent_messages.append(sent)
        if self._webhooks is not None:
            conversation_id = secrets.token_hex(16)
            for status in ("sent", "delivered"):
                payload = status_payload(
                    message_id=sent.message_id,
                    recipient=sent.wa_id,
                    status=status,
                    timestamp=sent.time,
                    conversation_id=conversation_id,
                )
                self._webhooks.submit("status", sent.message_id, payload)
        return sent

    @property
    def sent_messages(self) -> list[SentMessage]:
        """A copy of every message accepted by POST /messages so far, in order."""
        with self._lock:
            return list(self._sent_messages)

    # -- webhooks ------------------------------------------------------------------------------

    @property
    def webhook_url(self) -> str | None:
        """Where webhooks are posted (None: no webhooks)."""
        return None if self._webhooks is None else self._webhooks.url

    def _sender(self) -> WebhookSender:
        if self._webhooks is None:
            raise RuntimeError("this FakeServer has no webhook_url")
        return self._webhooks

    def send_inbound_media(
        self,
        data: bytes,
        mime_type: str,
        *,
        caption: str | None = None,
        filename: str | None = None,
        sender: str = DEFAULT_SENDER,
        sender_name: str = DEFAULT_SENDER_NAME,
        message_type: MediaKind | None = None,
        voice: bool = False,
        sha256_encoding: Literal["hex", "base64"] = "base64",
    ) -> InboundMessage:
        """A user sends the business a media message: store `data` (downloadable with the
        returned `media_id` through the normal routes) and post its webhook.

        The message type follows the mime type (image, video, audio, sticker; anything else is
        a document) unless `message_type` says otherwise. `caption` goes with image, video and
        document, `filename` with document only (ValueError otherwise); an audio carries
        `voice`, a sticker `animated` (read from the WebP header). The webhook's `sha256` is
        the digest in base64, as WhatsApp usually sends it, or in hex. Returns at once; the
        delivery happens on a background thread (see `wait_for_deliveries()`).
        """
        webhooks = self._sender()
        if sha256_encoding not in ("hex", "base64"):
            raise ValueError("sha256_encoding must be 'hex' or 'base64'")
        rule = MEDIA_RULES.get(bare_mime_type(mime_type))
        kind: MediaKind | None = message_type or (rule.kind if rule is not None else "document")
        if kind is None or media_kind(kind) is None:
            raise ValueError(f"message_type must be a media message type, got {message_type!r}")
        if caption is not None and kind not in ("image", "video", "document"):
            raise ValueError(f"a caption goes only with image, video or document, not {kind}")
        if filename is not None and kind != "document":
            raise ValueError(f"a filename goes only with a document, not {kind}")
        item = self._store.add_bytes(data, mime_type, filename=filename)
        digest = bytes.fromhex(item.sha256)
        content: dict[str, Any] = {
            "id": item.media_id,
            "mime_type": mime_type,
            "sha256": item.sha256
            if sha256_encoding == "hex"
            else base64.b64encode(digest).decode("ascii"),
        }
        if caption is not None:
            content["caption"] = caption
        if filename is not None:
            content["filename"] = filename
        if kind == "audio":
            content["voice"] = voice
        if kind == "sticker":
            content["animated"] = is_animated_webp(data)
        message_id = new_message_id()
        payload = inbound_message_payload(
            message_id=message_id,
            sender=sender,
            sender_name=sender_name,
            timestamp=self.now(),
            kind=kind,
            content=content,
        )
        webhooks.submit("message", message_id, payload)
        return InboundMessage(message_id, item.media_id, kind, payload)

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every webhook queued so far (a snapshot), in order: inbound messages, statuses of
        sent messages, and forced re-deliveries. Empty without a webhook_url."""
        return [] if self._webhooks is None else self._webhooks.deliveries()

    def redeliver(self, message_id: str) -> list[WebhookDelivery]:
        """Post every webhook about `message_id` again, byte for byte (as 360dialog does when
        it thinks a delivery was lost); KeyError when none was sent. Returns the new
        deliveries (pending; see `wait_for_deliveries()`)."""
        return self._sender().redeliver(message_id)

    def wait_for_deliveries(self, timeout: float = WEBHOOK_WAIT_TIMEOUT) -> list[WebhookDelivery]:
        """Block until no webhook is pending (each delivered or given up) and return them all;
        TimeoutError after `timeout` seconds."""
        return self._sender().wait(timeout)
