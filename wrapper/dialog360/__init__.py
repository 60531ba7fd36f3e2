"""dialog360: a Python client for the 360dialog WhatsApp Business Messaging API (media).

from dialog360 import Dialog360
with Dialog360() as client:            # D360_API_KEY, D360_BASE_URL
    path = client.media.download("1234567890", "inbox/")

The answers are the generated models (MediaUrlResponse, UploadMediaResponse, ...), importable
from here too.
"""

from dialog360_api.models import (
    DeleteMediaResponse,
    MediaUrlResponse,
    MessageRecipient,
    SendMessageResponse,
    SentMessage,
    UploadMediaResponse,
)

from ._client import AsyncDialog360, Dialog360
from ._config import ConfigurationError
from ._constants import API_KEY_ENV, API_KEY_HEADER, BASE_URL_ENV, DEFAULT_BASE_URL
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Dialog360Error,
    IntegrityError,
    InvalidMediaIdError,
    InvalidMessageError,
    MediaDownloadError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnsafeMediaURLError,
    UnsupportedMediaError,
    WebhookError,
    WebhookSignatureError,
)
from ._media import AsyncMediaStream, MediaStream
from ._media_types import guess_mime_type, normalize_mime_type
from ._messages import MEDIA_KINDS as MESSAGE_MEDIA_TYPES
from ._retry import retry_sleep_disabled, set_retry_sleep
from ._version import __version__

__all__ = [
    "API_KEY_ENV",
    "API_KEY_HEADER",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "MESSAGE_MEDIA_TYPES",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncDialog360",
    "AsyncMediaStream",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "DeleteMediaResponse",
    "Dialog360",
    "Dialog360Error",
    "IntegrityError",
    "InvalidMediaIdError",
    "InvalidMessageError",
    "MediaDownloadError",
    "MediaStream",
    "MediaUrlResponse",
    "MessageRecipient",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "SendMessageResponse",
    "SentMessage",
    "ServerError",
    "UnsafeMediaURLError",
    "UnsupportedMediaError",
    "UploadMediaResponse",
    "WebhookError",
    "WebhookSignatureError",
    "__version__",
    "guess_mime_type",
    "normalize_mime_type",
    "retry_sleep_disabled",
    "set_retry_sleep",
]
