"""`client.api`: the generated `AuthenticatedClient`, built on the settings, for one side only.

A sync client's `api` sends through the sync retry transport and an async client's through the
async one; the generated functions of the other side get a ConfigurationError that says which
client to use, instead of an AttributeError from deep inside httpx.
"""

from __future__ import annotations

from typing import Literal, TypeVar

import httpx
from dialog360_api import AuthenticatedClient

from . import _constants as C
from ._config import ConfigurationError, Settings
from ._secrets import REDACTED
from ._tls import shared_ssl_context
from ._transport import AsyncRetryTransport, RequestRules, RetryTransport
from ._version import __version__

USER_AGENT = f"dialog360/{__version__}"

Engine = Literal["httpx", "aiohttp"]
ENGINES: tuple[Engine, ...] = ("httpx", "aiohttp")


class SyncAPIClient(AuthenticatedClient):
    """The generated client of a `Dialog360`: for the generated `sync` functions."""

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Refused: this client sends with the sync transport only."""
        raise ConfigurationError(
            "Dialog360().api is for the generated sync functions (sync, sync_detailed); "
            "use AsyncDialog360().api for asyncio and asyncio_detailed"
        )


class AsyncAPIClient(AuthenticatedClient):
    """The generated client of an `AsyncDialog360`: for the generated `asyncio` functions."""

    def get_httpx_client(self) -> httpx.Client:
        """Refused: this client sends with the async transport only."""
        raise ConfigurationError(
            "AsyncDialog360().api is for the generated async functions (asyncio, "
            "asyncio_detailed); use Dialog360().api for sync and sync_detailed"
        )


APIClient = TypeVar("APIClient", bound=AuthenticatedClient)


def _api_client(
    side: type[APIClient],
    settings: Settings,
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport,
) -> APIClient:
    return side(
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


def _rules(settings: Settings) -> RequestRules:
    return RequestRules(settings.retry, settings.base_url, C.API_KEY_HEADER, settings.api_key)


def build_api(settings: Settings, transport: httpx.BaseTransport | None) -> SyncAPIClient:
    """The generated client for sync use, its transport wrapped in the retry policy."""
    inner = transport if transport is not None else httpx.HTTPTransport(verify=shared_ssl_context())
    retrying = RetryTransport(_rules(settings), inner)
    return _api_client(SyncAPIClient, settings, retrying)


def async_engine_transport(engine: object) -> httpx.AsyncBaseTransport:
    """The transport an async client sends with: httpx's own, or aiohttp's (the extra)."""
    if engine == "httpx":
        return httpx.AsyncHTTPTransport(verify=shared_ssl_context())
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
    settings: Settings, transport: httpx.AsyncBaseTransport | None, engine: object = "httpx"
) -> AsyncAPIClient:
    """The generated client for async use, its transport wrapped in the retry policy.
    `transport` (tests, custom stacks) takes the place of the engine's."""
    inner = transport if transport is not None else async_engine_transport(engine)
    retrying = AsyncRetryTransport(_rules(settings), inner)
    return _api_client(AsyncAPIClient, settings, retrying)
