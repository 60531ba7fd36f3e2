"""Webhooks from the fake: WhatsApp-shaped payloads, signed, posted to a loopback receiver on a
background thread and re-delivered with growing delays until the receiver answers 200."""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import hmac
import http.client
import ipaddress
import json
import logging
import math
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from dialog360.testing._limits import WEBHOOK_ANSWER_BYTES

DeliveryKind = Literal["message", "status"]
DeliveryState = Literal["pending", "delivered", "failed"]

logger = logging.getLogger("dialog360.testing")

SIGNATURE_HEADER: Final = "X-360Dialog-Signature"
META_SIGNATURE_HEADER: Final = "X-Hub-Signature-256"
# The business the fake's webhooks are addressed to (shaped like real ids and numbers).
BUSINESS_ACCOUNT_ID: Final = "102290129340398"
PHONE_NUMBER_ID: Final = "106540352242922"
DISPLAY_PHONE_NUMBER: Final = "15550783881"
# Who sends the inbound messages unless a test says otherwise.
DEFAULT_SENDER: Final = "15551234567"
DEFAULT_SENDER_NAME: Final = "Fake Sender"


def check_loopback_url(url: str) -> str:
    """`url` when it is an http URL on a loopback address (127.0.0.0/8, ::1, localhost), else
    ValueError: the fake never posts anywhere else."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise ValueError(f"webhook URL must be http://, got {url!r}")
    host = parts.hostname
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"webhook URL has a bad port: {url!r}") from None
    if not host:
        raise ValueError(f"webhook URL has no host: {url!r}")
    if host == "localhost":
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, port or 80)}
    else:
        addresses = {host}
    for address in addresses:
        try:
            loopback = ipaddress.ip_address(address.partition("%")[0]).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"webhook URL must point at this machine (loopback), got {url!r}")
    return url


def signature(body: bytes, secret: bytes) -> str:
    """The hex HMAC-SHA256 of `body` with `secret`, as both signature headers carry it."""
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def signature_headers(body: bytes, secret: bytes | None) -> dict[str, str]:
    """360dialog's and Meta's signature headers for `body` (none without a secret)."""
    if secret is None:
        return {}
    digest = signature(body, secret)
    return {SIGNATURE_HEADER: digest, META_SIGNATURE_HEADER: f"sha256={digest}"}


# -- payloads ---------------------------------------------------------------------------------


def envelope(value: Mapping[str, Any]) -> dict[str, Any]:
    """A whole webhook body around one change `value` (a "messages" field change)."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": BUSINESS_ACCOUNT_ID,
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": DISPLAY_PHONE_NUMBER,
                                "phone_number_id": PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def inbound_message_payload(
    *,
    message_id: str,
    sender: str,
    sender_name: str,
    timestamp: float,
    kind: str,
    content: Mapping[str, Any],
) -> dict[str, Any]:
    """The webhook of one message a user sent to the business."""
    return envelope(
        {
            "contacts": [{"profile": {"name": sender_name}, "wa_id": sender}],
            "messages": [
                {
                    "from": sender,
                    "id": message_id,
                    "timestamp": str(int(timestamp)),
                    "type": kind,
                    kind: dict(content),
                }
            ],
        }
    )


def status_payload(
    *, message_id: str, recipient: str, status: str, timestamp: float, conversation_id: str
) -> dict[str, Any]:
    """The webhook of a status change (sent, delivered, ...) of a message the business sent."""
    return envelope(
        {
            "statuses": [
                {
                    "id": message_id,
                    "status": status,
                    "timestamp": str(int(timestamp)),
                    "recipient_id": recipient,
                    "conversation": {
                        "id": conversation_id,
                        "expiration_timestamp": str(int(timestamp) + 24 * 3600),
                        "origin": {"type": "service"},
                    },
                    "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
                }
            ]
        }
    )


# -- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryAttempt:
    """One POST of a webhook: the receiver's status code, or the error that stopped it.
    `time` is `time.monotonic()` when the attempt began."""

    time: float
    status_code: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class WebhookDelivery:
    """One webhook and what became of it.

    `kind` is "message" (an inbound message) or "status" (a status of a sent message);
    `message_id` the wamid it is about; `body` the exact bytes posted (and signed);
    `state` "pending" until the receiver answered 200 ("delivered") or every attempt failed
    ("failed"; with no attempt at all when the server stopped first); `redelivery` is True for
    a copy forced by `FakeServer.redeliver()`.
    """

    number: int
    kind: DeliveryKind
    message_id: str
    payload: Mapping[str, Any] = field(repr=False)
    body: bytes = field(repr=False)
    attempts: tuple[DeliveryAttempt, ...] = ()
    state: DeliveryState = "pending"
    redelivery: bool = False


@dataclass(frozen=True)
class InboundMessage:
    """An inbound media message the fake sent to the webhook: its wamid, the stored media's id
    (downloadable through the normal routes), the message type and the whole payload."""

    message_id: str
    media_id: str
    type: str
    payload: Mapping[str, Any] = field(repr=False)


# -- delivery ---------------------------------------------------------------------------------


class WebhookSender:
    """Posts webhooks one at a time on a background thread; a delivery that does not get a 200
    is tried again after each of `retry_delays` in turn, then given up ("failed").

    Thread-safe. The thread starts with the first delivery; `close()` stops it, and what was
    still pending is marked failed.
    """

    def __init__(
        self, url: str, secret: bytes | None, retry_delays: Sequence[float], timeout: float
    ) -> None:
        self.url = check_loopback_url(url)
        parts = urlsplit(url)
        self._host = parts.hostname or ""
        self._port = parts.port or 80
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if any(not (0 <= delay < math.inf) for delay in retry_delays):
            raise ValueError("webhook retry delays must be seconds >= 0")
        if not (0 < timeout < math.inf):
            raise ValueError("webhook timeout must be a positive number of seconds")
        self._secret = secret
        self._delays = tuple(retry_delays)
        self._timeout = timeout
        self._changed = threading.Condition()
        self._deliveries: list[WebhookDelivery] = []
        self._due: list[tuple[float, int]] = []  # (monotonic time, delivery number), a heap
        self._thread: threading.Thread | None = None
        self._closing = False

    def submit(
        self, kind: DeliveryKind, message_id: str, payload: Mapping[str, Any]
    ) -> WebhookDelivery:
        """Queue the delivery of `payload` and return its record."""
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        return self._enqueue(WebhookDelivery(0, kind, message_id, payload, body))

    def _enqueue(self, template: WebhookDelivery) -> WebhookDelivery:
        with self._changed:
            delivery = replace(template, number=len(self._deliveries))
            self._deliveries.append(delivery)
            if self._closing:
                self._finish(delivery.number, None, "failed")
                return self._deliveries[delivery.number]
            heapq.heappush(self._due, (time.monotonic(), delivery.number))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="dialog360-fake-webhooks", daemon=True
                )
                self._thread.start()
            self._changed.notify_all()
        return delivery

    def redeliver(self, message_id: str) -> list[WebhookDelivery]:
        """Post again, as new deliveries, every original delivery about `message_id`."""
        with self._changed:
            originals = [
                item
                for item in self._deliveries
                if item.message_id == message_id and not item.redelivery
            ]
        if not originals:
            raise KeyError(f"no webhook was sent about message {message_id!r}")
        return [
            self._enqueue(replace(item, attempts=(), state="pending", redelivery=True))
            for item in originals
        ]

    def deliveries(self) -> list[WebhookDelivery]:
        """A snapshot of every delivery so far, in the order they were queued."""
        with self._changed:
            return list(self._deliveries)

    def wait(self, timeout: float) -> list[WebhookDelivery]:
        """Block until no delivery is pending; TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while any(item.state == "pending" for item in self._deliveries):
                left = deadline - time.monotonic()
                if left <= 0:
                    pending = sum(item.state == "pending" for item in self._deliveries)
                    raise TimeoutError(f"{pending} webhook deliveries still pending")
                self._changed.wait(left)
            return list(self._deliveries)

    def close(self) -> None:
        """Stop the thread (an attempt in flight ends within the timeout) and fail the rest."""
        with self._changed:
            self._closing = True
            thread = self._thread
            self._changed.notify_all()
        if thread is not None:
            thread.join()
        with self._changed:
            for item in self._deliveries:
                if item.state == "pending":
                    self._finish(item.number, None, "failed")
            self._due.clear()
            self._thread = None
            self._closing = False

    # -- the delivery thread ---------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._changed:
                number = self._next_due()
                if number is None:
                    return
                delivery = self._deliveries[number]
            attempt = self._post(delivery.body)
            logger.debug(
                "fake server: webhook %d (%s about %s) -> %s",
                number,
                delivery.kind,
                delivery.message_id,
                attempt.status_code or attempt.error,
            )
            with self._changed:
                tried = len(delivery.attempts) + 1
                if attempt.status_code == 200:
                    self._finish(number, attempt, "delivered")
                elif tried > len(self._delays):
                    self._finish(number, attempt, "failed")
                else:
                    self._finish(number, attempt, "pending")
                    due = time.monotonic() + self._delays[tried - 1]
                    heapq.heappush(self._due, (due, number))

    def _next_due(self) -> int | None:
        # Caller holds the lock; None when closing.
        while not self._closing:
            if self._due:
                due, number = self._due[0]
                wait = due - time.monotonic()
                if wait <= 0:
                    heapq.heappop(self._due)
                    return number
                self._changed.wait(wait)
            else:
                self._changed.wait()
        return None

    def _finish(self, number: int, attempt: DeliveryAttempt | None, state: DeliveryState) -> None:
        # Caller holds the lock.
        current = self._deliveries[number]
        attempts = current.attempts if attempt is None else (*current.attempts, attempt)
        self._deliveries[number] = replace(current, attempts=attempts, state=state)
        self._changed.notify_all()

    def _post(self, body: bytes) -> DeliveryAttempt:
        started = time.monotonic()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "dialog360-fake-webhooks",
            **signature_headers(body, self._secret),
        }
        connection = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        try:
            connection.request("POST", self._target, body=body, headers=headers)
            response = connection.getresponse()
            # The answer is read (bounded) so the receiver is not cut off mid-write.
            with contextlib.suppress(OSError, http.client.HTTPException):
                response.read(WEBHOOK_ANSWER_BYTES)
            return DeliveryAttempt(started, status_code=response.status)
        except (OSError, http.client.HTTPException) as exc:
            return DeliveryAttempt(started, error=f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()
