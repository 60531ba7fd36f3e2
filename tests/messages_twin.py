"""One way to call `client.messages` for both `Dialog360` and `AsyncDialog360` in tests."""

from __future__ import annotations

from typing import Any

from dialog360 import AsyncDialog360, Dialog360


class MessagesTwin:
    """Calls `client.messages` the same way for Dialog360 and AsyncDialog360 (awaited)."""

    def __init__(self, client: Dialog360 | AsyncDialog360):
        self.client = client
        self.is_async = isinstance(client, AsyncDialog360)

    async def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client.messages, name)(*args, **kwargs)
        if self.is_async:
            result = await result
        return result

    async def send_text(self, to: Any, body: Any, **kwargs: Any) -> Any:
        return await self._call("send_text", to, body, **kwargs)

    async def send_media(self, to: Any, **kwargs: Any) -> Any:
        return await self._call("send_media", to, **kwargs)
