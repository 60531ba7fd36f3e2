"""The HMAC-SHA256 signature of a webhook delivery, checked over the raw bytes.

360dialog signs with the shared secret in `X-360Dialog-Signature` (hex, or `sha256=<hex>`);
Meta's own header is `X-Hub-Signature-256: sha256=<hex>`. When both arrive, 360dialog's
decides and Meta's is not looked at: a platform in between may forward a Meta signature made
with a secret the receiver does not hold, so requiring both would refuse genuine deliveries,
and accepting either would let the weaker of two checks decide. A header sent twice with
different values is refused: there is no telling which one the sender meant.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import _constants as C
from ._config import ConfigurationError
from ._errors import WebhookError, WebhookSignatureError

# A Mapping (dict, httpx.Headers, starlette's Headers), anything else with items() (http.server's
# email.message.Message), or (name, value) pairs, str or bytes (an ASGI scope's raw headers).
Headers = Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]]

_HEADERS_BY_PRECEDENCE = (C.WEBHOOK_SIGNATURE_HEADER, C.WEBHOOK_META_SIGNATURE_HEADER)
_SIGNATURE = re.compile(r"(?:sha256=)?([0-9a-f]{64})", re.IGNORECASE)


def check_signature(raw: bytes, headers: Headers | None, secret: str | bytes) -> None:
    """WebhookSignatureError unless the deciding signature header signs `raw` with `secret`."""
    key = _key(secret)
    name, value = _deciding_signature(headers)
    match = _SIGNATURE.fullmatch(value.strip())
    if match is None:
        raise WebhookSignatureError(
            f"the {name} header is not an HMAC-SHA256 signature (expected 64 hex digits, "
            "optionally after 'sha256=')"
        )
    expected = hmac.digest(key, raw, hashlib.sha256)
    if not hmac.compare_digest(expected, bytes.fromhex(match[1])):
        raise WebhookSignatureError(
            f"the {name} header does not match the body: a different secret, or the body was "
            "changed (the signature covers the raw bytes, not re-serialised JSON)"
        )


def _key(secret: str | bytes) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, bytes):
        raise ConfigurationError(
            f"the webhook secret must be a str or bytes, not a {type(secret).__name__}"
        )
    if not secret:
        # Anyone can sign with an empty key: checking against it would prove nothing.
        raise ConfigurationError("the webhook secret is empty")
    return secret


def _deciding_signature(headers: Headers | None) -> tuple[str, str]:
    found: dict[str, set[str]] = {}
    wanted = {name.lower(): name for name in _HEADERS_BY_PRECEDENCE}
    for name, value in _pairs(headers):
        if (canonical := wanted.get(name.lower())) is not None:
            found.setdefault(canonical, set()).add(value)
    for name in _HEADERS_BY_PRECEDENCE:
        if name in found:
            values = found[name]
            if len(values) > 1:
                raise WebhookSignatureError(f"the {name} header was sent with different values")
            return name, values.pop()
    raise WebhookSignatureError(
        f"the webhook delivery is not signed (no {' or '.join(_HEADERS_BY_PRECEDENCE)} header)"
    )


def _pairs(headers: Headers | None) -> Iterable[tuple[str, str]]:
    if headers is None:
        return
    if isinstance(headers, str | bytes):
        raise WebhookError("the webhook headers must be a mapping or (name, value) pairs")
    items: Iterable[Any]
    multi_items = getattr(headers, "multi_items", None)
    if callable(multi_items):  # httpx.Headers: items() would join repeated headers
        items = multi_items()
    elif isinstance(headers, Mapping) or callable(getattr(headers, "items", None)):
        # Also http.server's and werkzeug's header objects: not Mappings, but with items().
        items = headers.items()  # type: ignore[union-attr]
    else:
        items = headers
    for pair in items:
        try:
            name, value = pair
        except (TypeError, ValueError):
            raise WebhookError(
                "the webhook headers must be a mapping or (name, value) pairs"
            ) from None
        yield _text(name), _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")  # HTTP header bytes, as ASGI servers hand them over
    if isinstance(value, str):
        return value
    raise WebhookError("the webhook headers' names and values must be str or bytes")
