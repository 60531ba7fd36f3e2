"""Receiving 360dialog webhooks: check the signature, parse the payload, find the media in it.

    from dialog360 import webhooks

    payload = webhooks.parse(body, headers=request.headers, secret=SECRET)  # raw bytes
    for item in webhooks.media_items(payload):
        client.media.download(item, "inbox/")  # sha256 checked against the webhook's

`parse` returns the generated `WebhookPayload` (dialog360_api.models), unknown message types and
fields kept. Every problem with a delivery is a `WebhookError` (a `Dialog360Error` and a
`ValueError`): answer it with a 4xx; a bad or missing signature is its subclass
`WebhookSignatureError`.

Signatures: HMAC-SHA256 of the raw body with the shared secret, hex, in `X-360Dialog-Signature`
(optionally `sha256=<hex>`), or Meta's `X-Hub-Signature-256: sha256=<hex>`. Header names are
case-insensitive. If both are present, `X-360Dialog-Signature` alone decides (a forwarded Meta
signature may use a secret you do not hold). A header repeated with different values is
refused. The comparison takes constant time.

Not imported by `import dialog360`: import it as `from dialog360 import webhooks`.
"""

from __future__ import annotations

from dialog360_api.models import WebhookPayload

from . import _constants as C
from ._errors import WebhookError, WebhookSignatureError
from ._inbound import MEDIA_TYPES, InboundMedia, inbound_media
from ._webhook_body import Body, json_document, raw_body
from ._webhook_shape import check_shape
from ._webhook_signature import Headers, check_signature

__all__ = [
    "MAX_BODY_BYTES",
    "MEDIA_TYPES",
    "SIGNATURE_HEADER",
    "Body",
    "Headers",
    "InboundMedia",
    "WebhookError",
    "WebhookPayload",
    "WebhookSignatureError",
    "media_items",
    "parse",
    "verify_signature",
]

# The largest delivery parse() accepts: a receiver may stop reading a request body beyond it.
MAX_BODY_BYTES = C.WEBHOOK_MAX_BODY_BYTES
# 360dialog's signature header (hex, or sha256=<hex>); Meta's X-Hub-Signature-256 is read too.
SIGNATURE_HEADER = C.WEBHOOK_SIGNATURE_HEADER


def parse(
    body: Body, *, headers: Headers | None = None, secret: str | bytes | None = None
) -> WebhookPayload:
    """The payload of one webhook delivery.

    `body` is the request body exactly as received (bytes; a str is taken as its UTF-8).
    With `secret`, the signature in `headers` is checked over those bytes first.

    Raises WebhookSignatureError (signature missing or wrong), WebhookError (a body over
    WEBHOOK_MAX_BODY_BYTES, not UTF-8, not strict JSON, nested or repeated beyond the caps,
    or not the webhook's shape: the error names the first field that is wrong), and
    ConfigurationError for an empty secret.
    """
    raw = raw_body(body)
    if secret is not None:
        check_signature(raw, headers, secret)
    document = json_document(raw)
    check_shape(WebhookPayload, document)
    return WebhookPayload.from_dict(document)


def verify_signature(body: Body, headers: Headers | None, secret: str | bytes) -> None:
    """Return if `headers` carry a valid signature of `body` with `secret`, else raise
    WebhookSignatureError (WebhookError for a body over the size cap)."""
    check_signature(raw_body(body), headers, secret)


def media_items(payload: WebhookPayload) -> list[InboundMedia]:
    """Every image, video, audio, document and sticker message of the payload (every entry,
    every change), in order. Other messages and status events are skipped.

    WebhookError if a media message is unusable: no media object for its type, a media id
    that is not digits, a timestamp that is not unix seconds, or a sha256 that is neither hex
    nor base64 of 32 bytes.
    """
    return inbound_media(payload)
