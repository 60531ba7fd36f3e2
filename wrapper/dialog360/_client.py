"""`Dialog360` and `AsyncDialog360`: configuration, the generated client, and `media`.

The options and their checks live once, in `_ClientBase` and `resolve_settings`; each client
adds only what differs: its transport type (and, async, the engine), its `api` and services,
and closing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Self, TypeVar, Unpack

import httpx
from dialog360_api import AuthenticatedClient

from ._api_client import Engine, build_api, build_async_api
from ._config import ClientOptions, Settings, resolve_settings
from ._media import AsyncMedia, Media
from ._messages import AsyncMessages, Messages

_Init = TypeVar("_Init", bound=Callable[..., None])


def _options_spelled_out(init: _Init) -> _Init:
    """`init` as help() and inspect show it: its `**options` replaced by resolve_settings'
    keyword parameters (names, annotations, defaults), after `api_key` and before the
    client's own keyword parameters."""
    own = list(inspect.signature(init).parameters.values())
    shared = [
        parameter
        for parameter in inspect.signature(resolve_settings).parameters.values()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    positional = [p for p in own if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    keyword = [p for p in own if p.kind is inspect.Parameter.KEYWORD_ONLY]
    signature = inspect.signature(init).replace(parameters=[*positional, *shared, *keyword])
    setattr(init, "__signature__", signature)  # noqa: B010  # mypy knows no such attribute
    return init


class _ClientBase:
    """What `Dialog360` and `AsyncDialog360` share: the settings and how they show."""

    api: AuthenticatedClient
    _settings: Settings

    def __init__(self, api_key: str | None = None, **options: Unpack[ClientOptions]) -> None:
        """Set up a client; nothing is sent until the first call.

        api_key: the 360dialog API key (sent as D360-API-KEY, to the base URL's origin only).
            Default: the D360_API_KEY environment variable.
        base_url: where every request goes, `http(s)://host[:port][/path]` (no user info,
            query or fragment). Default: D360_BASE_URL, else https://waba-v2.360dialog.io.
        max_retries: how often a failed request that may be repeated is retried (0: never).
            Default 2.
        timeout: seconds an API call may wait for the server; for downloads, the longest
            pause between two pieces of the body. Default 30.
        backoff_initial: seconds before the first retry, doubled for each next one, times a
            random factor in [0.75, 1]. Default 0.5. A Retry-After of the server wins.
        backoff_max: the longest wait between two retries. Default 8.
        max_download_bytes: media larger than this are refused before their bytes are
            fetched. Default 100 MiB.
        trusted_media_hosts: host names, besides lookaside.fbsbx.com and the base URL's
            host, that a media url may point to (the key goes there too). Default none.
        transport: the httpx transport to send with (sync for Dialog360, async for
            AsyncDialog360), under the retry layer; for tests and custom stacks. Default:
            httpx's own, or the engine's.
        engine: AsyncDialog360 only: "httpx" (default) or "aiohttp" (the extra
            dialog360[aiohttp]), the HTTP engine the async client sends with.

        Every option is checked here: a bad one raises ConfigurationError naming it.
        """
        self._settings = resolve_settings(api_key, **options)

    @property
    def base_url(self) -> str:
        """The origin every request (and the API key) goes to."""
        return str(self._settings.base_url)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"


class Dialog360(_ClientBase):
    """Client for the 360dialog Messaging API.

    >>> client = Dialog360()  # key from D360_API_KEY, base URL from D360_BASE_URL or the default
    >>> path = client.media.download("1234567890", "inbox/")

    `client.api` is the generated `AuthenticatedClient` (same auth, retries and errors) for
    calling any sync function of `dialog360_api.api` directly. Close the client, or use `with`.
    """

    @_options_spelled_out
    def __init__(
        self,
        api_key: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(api_key, **options)
        self.api = build_api(self._settings, transport)
        self.api.get_httpx_client()  # built now, so close() always has one connection pool
        self.media = Media(self.api, self._settings)
        self.messages = Messages(self.api, self.media)

    def close(self) -> None:
        """Close the connection pool."""
        self.api.get_httpx_client().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncDialog360(_ClientBase):
    """Async twin of `Dialog360`: the same options and names, awaited.

    >>> async with AsyncDialog360(engine="aiohttp") as client:
    ...     path = await client.media.download("1234567890", "inbox/")

    `engine="httpx"` (the default) sends with httpx's own transport, which pytest-httpx and
    respx mock; `engine="aiohttp"` (extra `dialog360[aiohttp]`) costs about 2.5 times less CPU
    per download when many run at once: the one to pick in production. `transport=` overrides both.
    `client.api` is for the generated async functions (`asyncio`, `asyncio_detailed`).
    """

    @_options_spelled_out
    def __init__(
        self,
        api_key: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        engine: Engine = "httpx",
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(api_key, **options)
        self.api = build_async_api(self._settings, transport, engine)
        self.api.get_async_httpx_client()
        self.media = AsyncMedia(self.api, self._settings)
        self.messages = AsyncMessages(self.api, self.media)

    async def close(self) -> None:
        """Close the connection pool."""
        await self.api.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
