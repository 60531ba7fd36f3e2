"""Client settings from arguments and the environment, resolved and checked once."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from typing import TypedDict

import attrs
import httpx

from . import _constants as C
from ._errors import Dialog360Error
from ._retry import RetryPolicy


class ConfigurationError(Dialog360Error, ValueError):
    """The client cannot be set up (no API key, an unusable base URL, a bad option), or its
    `api` is used from the other side (a sync client's with the generated async functions)."""


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


class ClientOptions(TypedDict, total=False):
    """The keyword options both clients take: resolve_settings' parameters, for type checkers."""

    base_url: str | None
    max_retries: int
    timeout: float
    backoff_initial: float
    backoff_max: float
    max_download_bytes: int
    trusted_media_hosts: Iterable[str]


def resolve_settings(
    api_key: str | None = None,
    *,
    base_url: str | None = None,
    max_retries: int = C.DEFAULT_MAX_RETRIES,
    timeout: float = C.READ_TIMEOUT,
    backoff_initial: float = C.RETRY_BACKOFF_INITIAL,
    backoff_max: float = C.RETRY_BACKOFF_MAX,
    max_download_bytes: int = C.DEFAULT_MAX_DOWNLOAD_BYTES,
    trusted_media_hosts: Iterable[str] = (),
) -> Settings:
    """Arguments first, then D360_API_KEY / D360_BASE_URL, then the default base URL.

    Every setting is checked here, whatever its annotation says, so a bad one fails at
    construction with a ConfigurationError naming it, not later as a puzzling network or
    parsing error. Its keyword parameters are the clients' options (see `Dialog360.__init__`).
    """
    try:
        retry = RetryPolicy(
            max_retries=max_retries, backoff_initial=backoff_initial, backoff_max=backoff_max
        )
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    return Settings(
        api_key=_api_key(api_key),
        base_url=_base_url(base_url),
        retry=retry,
        timeout=httpx.Timeout(
            _seconds("timeout", timeout),
            connect=C.CONNECT_TIMEOUT,
            write=C.WRITE_TIMEOUT,
            pool=C.POOL_TIMEOUT,
        ),
        max_download_bytes=_positive_int("max_download_bytes", max_download_bytes),
        trusted_media_hosts=_hosts(trusted_media_hosts),
    )


def _api_key(api_key: object) -> APIKey:
    key = api_key if api_key is not None else os.environ.get(C.API_KEY_ENV)
    if key is not None and not isinstance(key, str):
        raise ConfigurationError(f"api_key must be a str, not {type(key).__name__}")
    if not key or not key.strip():
        raise ConfigurationError(
            f"no API key: pass api_key=... or set the {C.API_KEY_ENV} environment variable"
        )
    if any(ch in key for ch in "\r\n\0") or not key.isascii():
        raise ConfigurationError("the API key holds characters that cannot go in an HTTP header")
    return APIKey(key.strip())


# user:password@ in a url: shown as <user info> in every message.
_USERINFO = re.compile(r"(?<=://)[^/?#]*@")


def _base_url(base_url: object) -> httpx.URL:
    if base_url is not None and not isinstance(base_url, str):
        raise ConfigurationError(f"base_url must be a str, not {type(base_url).__name__}")
    raw_url = base_url or os.environ.get(C.BASE_URL_ENV) or C.DEFAULT_BASE_URL
    shown = repr(_USERINFO.sub("<user info>@", raw_url))
    expected = "expected http(s)://host[:port][/path]"
    url = _parsed(raw_url.rstrip("/"))
    # Raised outside any `except`: httpx's own message may quote the url, password included.
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"invalid base URL {shown}: {expected}")
    if url.userinfo or "@" in raw_url.split("://", 1)[-1].split("/", 1)[0]:
        raise ConfigurationError(
            f"invalid base URL {shown}: it holds user info (user:password@); the API key is "
            "the only credential sent"
        )
    if "?" in raw_url or "#" in raw_url:
        raise ConfigurationError(
            f"invalid base URL {shown}: it holds a query or fragment; {expected}"
        )
    return url


def _parsed(raw_url: str) -> httpx.URL | None:
    try:
        url = httpx.URL(raw_url)
        url.host  # noqa: B018  # decodes an xn-- host: idna raises UnicodeError for a bad one
    except (httpx.InvalidURL, UnicodeError):
        return None
    return url


def _seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ConfigurationError(f"{name} must be a finite number of seconds above 0, not {value}")
    return float(value)


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"{name} must be an int, not {type(value).__name__}")
    if value <= 0:
        raise ConfigurationError(f"{name} must be positive, not {value}")
    return value


def _hosts(hosts: object) -> frozenset[str]:
    if isinstance(hosts, str):
        raise ConfigurationError(
            "trusted_media_hosts must be a list of host names, not a str "
            f"(for one host: [{hosts!r}])"
        )
    if isinstance(hosts, bytes) or not isinstance(hosts, Iterable):
        raise ConfigurationError(
            f"trusted_media_hosts must be a list of host names, not {type(hosts).__name__}"
        )
    return frozenset(_host(entry) for entry in hosts)


def _host(entry: object) -> str:
    """A bare host name, normalised as httpx shows a url's host (lower case, IDNA decoded)."""
    if not isinstance(entry, str):
        raise ConfigurationError(
            f"trusted_media_hosts holds a {type(entry).__name__}; expected host names (str)"
        )
    problem = "expected a bare host name such as 'cdn.example.com'"
    bare = entry.strip() == entry and entry and not any(ch in entry for ch in "/@?#\\")
    # A ':' outside an [IPv6] literal is a port.
    if not bare or ":" in entry.rpartition("]")[2] or not entry.isprintable():
        raise ConfigurationError(f"trusted_media_hosts entry {entry!r}: {problem}")
    try:
        host = httpx.URL(f"https://{entry}/").host
    except (httpx.InvalidURL, UnicodeError):
        host = ""
    if not host:
        raise ConfigurationError(f"trusted_media_hosts entry {entry!r}: {problem}")
    return host
