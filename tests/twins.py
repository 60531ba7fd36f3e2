"""One way to build and call clients of every kind in tests (`Dialog360`, and `AsyncDialog360`
on each engine).

Test bodies are written once (as coroutines) and run against every kind: the sync client is
called directly, the async one awaited.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from dialog360 import AsyncDialog360, Dialog360

# The kinds of client every integration test runs on: the async client on each engine.
CLIENT_KINDS = ("sync", "async-httpx", "async-aiohttp")


def client_of_kind(kind: str, **options: Any) -> Dialog360 | AsyncDialog360:
    """A `Dialog360`, or an `AsyncDialog360` on the engine `kind` names (`transport=` in
    `options` replaces the engine's own)."""
    if kind == "sync":
        return Dialog360(**options)
    return AsyncDialog360(engine="aiohttp" if kind == "async-aiohttp" else "httpx", **options)


class MediaTwin:
    """Calls `client.media` the same way for Dialog360 and AsyncDialog360."""

    def __init__(self, client: Dialog360 | AsyncDialog360):
        self.client = client
        self.is_async = isinstance(client, AsyncDialog360)

    async def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client.media, name)(*args, **kwargs)
        if self.is_async:
            result = await result
        return result

    async def get(self, media_id: Any) -> Any:
        return await self._call("get", media_id)

    async def delete(self, media_id: Any) -> Any:
        return await self._call("delete", media_id)

    async def read(self, media_id: Any) -> bytes:
        data: bytes = await self._call("read", media_id)
        return data

    async def download(self, media_id: Any, destination: Any, **kwargs: Any) -> Path:
        path: Path = await self._call("download", media_id, destination, **kwargs)
        return path

    async def upload(self, file: Any, **kwargs: Any) -> Any:
        return await self._call("upload", file, **kwargs)

    async def stream(
        self,
        media_id: Any,
        *,
        into: list[bytes] | None = None,
        before_iterating: Callable[[], None] | None = None,
    ) -> tuple[Any, bytes]:
        """(info, all bytes) of `client.media.stream()`; chunks also land in `into` as they
        come, and `before_iterating` runs once the stream is open."""
        chunks = into if into is not None else []
        if isinstance(self.client, AsyncDialog360):
            async with self.client.media.stream(media_id) as async_media:
                if before_iterating is not None:
                    before_iterating()
                async for chunk in async_media.iter_bytes():
                    chunks.append(chunk)
            return async_media.info, b"".join(chunks)
        with self.client.media.stream(media_id) as media:
            if before_iterating is not None:
                before_iterating()
            for chunk in media.iter_bytes():
                chunks.append(chunk)
        return media.info, b"".join(chunks)

    async def http_get(self, url: str) -> httpx.Response:
        """A GET through the generated client's own httpx client (what users may call)."""
        if isinstance(self.client, AsyncDialog360):
            return await self.client.api.get_async_httpx_client().get(url)
        return self.client.api.get_httpx_client().get(url)

    def http_is_closed(self) -> bool:
        if isinstance(self.client, AsyncDialog360):
            return self.client.api.get_async_httpx_client().is_closed
        return self.client.api.get_httpx_client().is_closed

    async def close(self) -> None:
        if isinstance(self.client, AsyncDialog360):
            await self.client.close()
        else:
            self.client.close()


def open_sockets() -> set[str]:
    """The sockets this process holds open (Linux: from /proc/self/fd)."""
    found = set()
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found
