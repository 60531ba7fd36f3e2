"""A faithful fake of the 360dialog API (media and messages) for tests and demos.

Also available as the pytest fixture `fake_360dialog` (see `dialog360.testing.pytest_plugin`).
"""

from __future__ import annotations

from dialog360.testing._faults import FAULT_KINDS, ROUTES, Fault, FaultKind, Route
from dialog360.testing._messages import SentMessage
from dialog360.testing._records import RecordedHeaders, RecordedRequest
from dialog360.testing._server import FakeServer
from dialog360.testing._store import StoredMedia
from dialog360.testing._webhooks import DeliveryAttempt, InboundMessage, WebhookDelivery

__all__ = [
    "FAULT_KINDS",
    "ROUTES",
    "DeliveryAttempt",
    "FakeServer",
    "Fault",
    "FaultKind",
    "InboundMessage",
    "RecordedHeaders",
    "RecordedRequest",
    "Route",
    "SentMessage",
    "StoredMedia",
    "WebhookDelivery",
]
