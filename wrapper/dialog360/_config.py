"""Client settings from arguments and the environment, and the generated client built on them."""

from __future__ import annotations

import os
from collections.abc import Iterable

import attrs
import httpx
from dialog360_api import AuthenticatedClient

from . import _constants as C
from ._errors import Dialog360Error
from ._retry import RetryPolicy
from ._transport import AsyncRetryTransport, RetryTransport
from ._version import __version__

USER_AGENT = f"dialog360/{__version__}"


class ConfigurationError(Dialog360Error, ValueError):
    """The client cannot be set up: no API key, or an unusable base URL."""


class APIKey(str):
    """The API key: a str for httpx, but its repr/str/format never show the value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<redacted>'"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return "<redacted>"


@attrs.frozen
class Settings:
    """Everything a client needs, resolved and checked once."""

    api_key: APIKey = attrs.field(repr=False)
    base_url: httpx.URL
    retry: RetryPolicy
    timeout: httpx.Timeout
    max_download_bytes: int
    trusted_media_hosts: frozenset[str]


def resolve_settings(
    *,
    api_key: str | None,
    base_url: str | None,
    max_retries: int,
    timeout: float,
    backoff_initial: float,
    backoff_max: float,
    max_download_bytes: int,
    trusted_media_hosts: Iterable[str],
) -> Settings:
    """Arguments first, then D360_API_KEY / D360_BASE_URL, then the default base URL."""
    key = api_key if api_key is not None else os.environ.get(C.API_KEY_ENV)
    if not key or not key.strip():
        raise ConfigurationError(
            f"no API key: pass api_key=... or set the {C.API_KEY_ENV} environment variable"
        )
    if any(ch in key for ch in "\r\n\0") or not key.isascii():
        raise ConfigurationError("the API key holds characters that cannot go in an HTTP header")
    raw_url = base_url or os.environ.get(C.BASE_URL_ENV) or C.DEFAULT_BASE_URL
    try:
        url = httpx.URL(raw_url.rstrip("/"))
        host = url.host  # decodes an xn-- host: idna raises UnicodeError for a malformed one
    except (httpx.InvalidURL, UnicodeError) as exc:
        raise ConfigurationError(f"invalid base URL {raw_url!r}: {exc}") from exc
    if url.scheme not in ("http", "https") or not host:
        raise ConfigurationError(f"invalid base URL {raw_url!r}: expected http(s)://host[:port]")
    if max_download_bytes <= 0:
        raise ConfigurationError("max_download_bytes must be positive")
    try:
        retry = RetryPolicy(
            max_retries=max_retries, backoff_initial=backoff_initial, backoff_max=backoff_max
        )
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from exc
    return Settings(
        api_key=APIKey(key.strip()),
        base_url=url,
        retry=retry,
        timeout=httpx.Timeout(
            timeout, connect=C.CONNECT_TIMEOUT, write=C.WRITE_TIMEOUT, pool=C.POOL_TIMEOUT
        ),
        max_download_bytes=max_download_bytes,
        trusted_media_hosts=frozenset(trusted_media_hosts),
    )


def _api(
    settings: Settings, transport: httpx.BaseTransport | httpx.AsyncBaseTransport
) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=str(settings.base_url),
        token=settings.api_key,
        prefix="",
        auth_header_name=C.API_KEY_HEADER,
        timeout=settings.timeout,
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,  # the key must never follow a redirect to another host
        raise_on_unexpected_status=False,
        httpx_args={"transport": transport},
    )


def build_api(settings: Settings, transport: httpx.BaseTransport | None) -> AuthenticatedClient:
    """The generated client for sync use, its transport wrapped in the retry policy."""
    inner = transport if transport is not None else httpx.HTTPTransport()
    return _api(
        settings, RetryTransport(settings.retry, settings.base_url, C.API_KEY_HEADER, inner)
    )


def build_async_api(
    settings: Settings, transport: httpx.AsyncBaseTransport | None
) -> AuthenticatedClient:
    """The generated client for async use, its transport wrapped in the retry policy."""
    inner = transport if transport is not None else httpx.AsyncHTTPTransport()
    return _api(
        settings, AsyncRetryTransport(settings.retry, settings.base_url, C.API_KEY_HEADER, inner)
    )
