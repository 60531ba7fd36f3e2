"""A webhook delivery's raw bytes, and the JSON in them, within bounds.

Everything here runs on a sender's bytes before any of them is trusted: the size is checked
before anything else, the text must be UTF-8, the JSON strict (no NaN or Infinity, no key
twice in one object, no number Python cannot hold), and no array or nesting beyond the caps.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from . import _constants as C
from ._errors import WebhookError

Body = bytes | bytearray | memoryview | str


def raw_body(body: Body) -> bytes:
    """The delivery's bytes (a str is taken as its UTF-8), refused over the size cap."""
    if isinstance(body, str):
        try:
            body = body.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: text no one could have sent
            raise WebhookError("the webhook body is not valid text") from None
    elif isinstance(body, bytearray | memoryview):
        body = bytes(body)
    elif not isinstance(body, bytes):
        raise WebhookError(
            f"the webhook body must be the request's raw bytes, not a {type(body).__name__} "
            "(the signature covers the bytes exactly as sent)"
        )
    if len(body) > C.WEBHOOK_MAX_BODY_BYTES:
        raise WebhookError(
            f"the webhook body is {len(body)} bytes, over the {C.WEBHOOK_MAX_BODY_BYTES} byte limit"
        )
    return body


class _Refused(ValueError):
    """JSON that parses but that no sender has a reason to write."""


def json_document(raw: bytes) -> Any:
    """The JSON value of the body; WebhookError if it is not strict, bounded JSON in UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookError("the webhook body is not UTF-8") from None
    try:
        document = json.loads(
            text,
            object_pairs_hook=_object,
            parse_constant=_constant,
            parse_float=_finite_float,
        )
    except _Refused as error:
        raise WebhookError(f"the webhook body is not usable JSON: {error}") from None
    except RecursionError:
        raise WebhookError("the webhook body is nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, or an int of more digits than Python takes
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "a number too long"
        raise WebhookError(f"the webhook body is not JSON ({reason})") from None
    _check_bounds(document)
    return document


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Parsers disagree on which of two equal keys wins: a body that could be read two ways is
    # refused rather than read one of them.
    document = dict(pairs)
    if len(document) != len(pairs):
        raise _Refused("a key appears twice in one object")
    return document


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:20]} is out of range")
    return value


def _check_bounds(document: Any) -> None:
    # Iterative, so a deep document cannot exhaust the stack here either.
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > C.WEBHOOK_MAX_DEPTH:
            raise WebhookError(
                f"the webhook body is nested more than {C.WEBHOOK_MAX_DEPTH} levels deep"
            )
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            if len(value) > C.WEBHOOK_MAX_ARRAY_ITEMS:
                raise WebhookError(
                    f"the webhook body has an array of {len(value)} items, over the "
                    f"{C.WEBHOOK_MAX_ARRAY_ITEMS} item limit"
                )
            children = value
        else:
            continue
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
