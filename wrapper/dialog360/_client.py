"""`Dialog360` and `AsyncDialog360`: configuration, the generated client, and `media`."""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Self

import httpx
from dialog360_api import AuthenticatedClient

from . import _constants as C
from ._config import Engine, build_api, build_async_api, resolve_settings
from ._media import AsyncMedia, Media
from ._messages import AsyncMessages, Messages


class Dialog360:
    """Client for the 360dialog Messaging API.

    >>> client = Dialog360()  # key from D360_API_KEY, base URL from D360_BASE_URL or the default
    >>> path = client.media.download("1234567890", "inbox/")

    `client.api` is the generated `AuthenticatedClient` (same auth, retries and errors) for
    calling any function of `dialog360_api.api` directly. Close the client, or use `with`.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        timeout: float = C.READ_TIMEOUT,
        backoff_initial: float = C.RETRY_BACKOFF_INITIAL,
        backoff_max: float = C.RETRY_BACKOFF_MAX,
        max_download_bytes: int = C.DEFAULT_MAX_DOWNLOAD_BYTES,
        trusted_media_hosts: Iterable[str] = (),
        transport: httpx.BaseTransport | None = None,
    ):
        self._settings = resolve_settings(
            api_key=api_key,
            base_url=base_url,
            max_retries=max_retries,
            timeout=timeout,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            max_download_bytes=max_download_bytes,
            trusted_media_hosts=trusted_media_hosts,
        )
        self.api: AuthenticatedClient = build_api(self._settings, transport)
        self.api.get_httpx_client()  # built now, so close() always has one connection pool
        self.media = Media(self.api, self._settings)
        self.messages = Messages(self.api, self.media)

    @property
    def base_url(self) -> str:
        """The origin every request (and the API key) goes to."""
        return str(self._settings.base_url)

    def close(self) -> None:
        """Close the connection pool."""
        self.api.get_httpx_client().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Dialog360(base_url={self.base_url!r})"


class AsyncDialog360:
    """Async twin of `Dialog360`: the same arguments and names, awaited.

    >>> async with AsyncDialog360(engine="aiohttp") as client:
    ...     path = await client.media.download("1234567890", "inbox/")

    `engine="httpx"` (the default) sends with httpx's own transport, which pytest-httpx and
    respx mock; `engine="aiohttp"` (extra `dialog360[aiohttp]`) is several times cheaper per
    request when many run at once: the one to pick in production. `transport=` overrides both.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        timeout: float = C.READ_TIMEOUT,
        backoff_initial: float = C.RETRY_BACKOFF_INITIAL,
        backoff_max: float = C.RETRY_BACKOFF_MAX,
        max_download_bytes: int = C.DEFAULT_MAX_DOWNLOAD_BYTES,
        trusted_media_hosts: Iterable[str] = (),
        transport: httpx.AsyncBaseTransport | None = None,
        engine: Engine = "httpx",
    ):
        self._settings = resolve_settings(
            api_key=api_key,
            base_url=base_url,
            max_retries=max_retries,
            timeout=timeout,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            max_download_bytes=max_download_bytes,
            trusted_media_hosts=trusted_media_hosts,
        )
        self.api: AuthenticatedClient = build_async_api(self._settings, transport, engine)
        self.api.get_async_httpx_client()
        self.media = AsyncMedia(self.api, self._settings)
        self.messages = AsyncMessages(self.api, self.media)

    @property
    def base_url(self) -> str:
        """The origin every request (and the API key) goes to."""
        return str(self._settings.base_url)

    async def close(self) -> None:
        """Close the connection pool."""
        await self.api.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"AsyncDialog360(base_url={self.base_url!r})"
