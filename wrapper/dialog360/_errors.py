"""The exception hierarchy, and turning an HTTP error response into the right exception."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from ._constants import MAX_ERROR_MESSAGE_CHARS


class Dialog360Error(Exception):
    """Base class of every error dialog360 raises."""


class APIError(Dialog360Error):
    """The API answered with an error status (or an answer we cannot use)."""

    def __init__(self, message: str, *, status_code: int | None, response: httpx.Response | None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.response = response


class BadRequestError(APIError):
    """400: the request was refused (360dialog also answers 400 for its endpoint rate limit)."""


class AuthenticationError(APIError):
    """401: the API key is missing or wrong."""


class PermissionDeniedError(APIError):
    """403: the key may not do this, or a media url expired."""


class NotFoundError(APIError):
    """404: unknown, expired or deleted media."""


class RateLimitError(APIError):
    """429: too many requests; 360dialog may have disabled the endpoint for this number."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None,
        response: httpx.Response | None,
        retry_after: float | None,
    ):
        super().__init__(message, status_code=status_code, response=response)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx (or any other status we cannot place): a server-side failure."""


class APIConnectionError(Dialog360Error):
    """The server could not be reached, or the connection broke."""


class APITimeoutError(APIConnectionError):
    """Connecting, or waiting for the next bytes, took longer than the timeout."""


class MediaDownloadError(Dialog360Error):
    """Downloading media failed for a reason other than an API error status."""


class IntegrityError(MediaDownloadError):
    """The downloaded bytes do not match the size or sha256 the API announced."""

    def __init__(self, message: str, *, expected: str | int, actual: str | int):
        super().__init__(message)
        self.expected = expected
        self.actual = actual


class UnsafeMediaURLError(MediaDownloadError):
    """The media url (or a redirect) points somewhere the API key must not go."""


class InvalidMediaIdError(Dialog360Error, ValueError):
    """A media id must be 1 to 64 ASCII digits."""


class UnsupportedMediaError(Dialog360Error, ValueError):
    """WhatsApp does not accept this media type, or the file is too large for its type."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
}


def message_from_body(body: bytes, content_type: str, *, redact: Callable[[str], str] = str) -> str:
    """The error text of a body: `{"error": "..."}`, Meta's `{"error": {"message": ...}}`,
    or, for HTML or other text, a short note of what came back. `redact` scrubs the text
    (of an API key the server echoed) before it is shortened."""
    return _short(redact(_message_text(body, content_type)))


def _message_text(body: bytes, content_type: str) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return "empty response body"
    parsed: Any = None
    if "json" in content_type or text[:1] in "{[":
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
    if isinstance(parsed, dict) and "error" in parsed:
        error = parsed["error"]
        if isinstance(error, dict):
            message = str(error.get("message") or error.get("error_user_msg") or error)
            details = error.get("error_data", {})
            if isinstance(details, dict) and details.get("details"):
                message += f" ({details['details']})"
            if "code" in error:
                message += f" [code {error['code']}]"
            return message
        return str(error)
    if "html" in content_type or text.lower().startswith(("<!doctype", "<html")):
        return "the server answered an HTML page instead of JSON (a gateway error?)"
    return " ".join(text.split())


def error_for_response(
    response: httpx.Response,
    body: bytes,
    *,
    retry_after: float | None,
    problem: str | None = None,
    redact: Callable[[str], str] = str,
) -> APIError:
    """The exception for an error response whose body has been read (`problem`: why the body
    could not be decoded, if it could not; its message then says so)."""
    status = response.status_code
    if problem is not None and not body:
        detail = problem
    else:
        detail = message_from_body(body, response.headers.get("content-type", ""), redact=redact)
    message = f"HTTP {status} from {response.request.method} {response.request.url.path}: {detail}"
    if status == 429:
        return RateLimitError(
            message, status_code=status, response=response, retry_after=retry_after
        )
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    return cls(message, status_code=status, response=response)


def _short(text: str) -> str:
    limit = MAX_ERROR_MESSAGE_CHARS
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InvalidMessageError(Dialog360Error, ValueError):
    """A message WhatsApp would refuse (recipient, text, caption, file name, link, reply id or
    type): raised before anything is sent or uploaded."""


class WebhookError(Dialog360Error, ValueError):
    """A webhook delivery cannot be used: too large, not JSON, or not the webhook's shape."""


class WebhookSignatureError(WebhookError):
    """A webhook delivery's signature is missing or does not match the shared secret."""
