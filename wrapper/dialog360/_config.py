"""Client settings from arguments and the environment, and the generated client built on them."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from typing import Literal

import attrs
import httpx
from dialog360_api import AuthenticatedClient

from . import _constants as C
from ._errors import Dialog360Error
from ._retry import RetryPolicy
from ._secrets import REDACTED
from ._transport import AsyncRetryTransport, RetryTransport
from ._version import __version__

USER_AGENT = f"dialog360/{__version__}"


class ConfigurationError(Dialog360Error, ValueError):
    """The client cannot be set up: no API key, an unusable base URL, or a bad option."""


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
    api_key: object,
    base_url: object,
    max_retries: object,
    timeout: object,
    backoff_initial: object,
    backoff_max: object,
    max_download_bytes: object,
    trusted_media_hosts: object,
) -> Settings:
    """Arguments first, then D360_API_KEY / D360_BASE_URL, then the default base URL.

    Every setting is checked here, so a bad one fails at construction with a ConfigurationError
    naming it, not later as a puzzling network or parsing error.
    """
    try:
        retry = RetryPolicy(
            max_retries=max_retries,  # type: ignore[arg-type]  # checked by RetryPolicy
            backoff_initial=backoff_initial,  # type: ignore[arg-type]
            backoff_max=backoff_max,  # type: ignore[arg-type]
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


def _api(
    settings: Settings, transport: httpx.BaseTransport | httpx.AsyncBaseTransport
) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=str(settings.base_url),
        # The transport puts the real key on the one copy of each request it sends to the base
        # URL's origin; the client, its headers and every request handed out show this instead.
        token=REDACTED,
        prefix="",
        auth_header_name=C.API_KEY_HEADER,
        timeout=settings.timeout,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": C.API_ACCEPT_ENCODING},
        follow_redirects=False,  # the key must never follow a redirect to another host
        raise_on_unexpected_status=False,
        httpx_args={"transport": transport},
    )


def build_api(settings: Settings, transport: httpx.BaseTransport | None) -> AuthenticatedClient:
    """The generated client for sync use, its transport wrapped in the retry policy."""
    inner = transport if transport is not None else httpx.HTTPTransport()
    return _api(
        settings,
        RetryTransport(
            settings.retry, settings.base_url, C.API_KEY_HEADER, settings.api_key, inner
        ),
    )


Engine = Literal["httpx", "aiohttp"]
ENGINES: tuple[Engine, ...] = ("httpx", "aiohttp")


def async_engine_transport(engine: object) -> httpx.AsyncBaseTransport:
    """The transport an async client sends with: httpx's own, or aiohttp's (the extra)."""
    if engine == "httpx":
        return httpx.AsyncHTTPTransport()
    if engine == "aiohttp":
        # Imported here: `import dialog360` never loads aiohttp.
        from ._aiohttp_engine import AiohttpTransport

        try:
            return AiohttpTransport()
        except ImportError as error:
            raise ConfigurationError(str(error)) from None
    raise ConfigurationError(
        f"engine must be one of {', '.join(map(repr, ENGINES))}, not {engine!r}"
    )


def build_async_api(
    settings: Settings, transport: httpx.AsyncBaseTransport | None, engine: Engine = "httpx"
) -> AuthenticatedClient:
    """The generated client for async use, its transport wrapped in the retry policy.
    `transport` (tests, custom stacks) takes the place of the engine's."""
    inner = transport if transport is not None else async_engine_transport(engine)
    return _api(
        settings,
        AsyncRetryTransport(
            settings.retry, settings.base_url, C.API_KEY_HEADER, settings.api_key, inner
        ),
    )
