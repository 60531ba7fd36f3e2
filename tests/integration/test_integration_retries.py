"""Retries over real sockets: what is retried, what is raised at once, and Retry-After."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dialog360
import pytest
from dialog360 import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from dialog360.testing import FakeServer, Fault


async def test_get_media_503_twice_then_success(server: FakeServer, d360: Any, media_id: str):
    server.inject("get_media", Fault.status(503, times=2))
    info = await d360.get(media_id)
    assert info.id == media_id
    assert d360.routes() == ["get_media"] * 3


async def test_attachments_500_then_502_then_success(
    server: FakeServer, d360: Any, media_id: str, tmp_path: Path
):
    server.inject("attachments", Fault.status(500))
    server.inject("attachments", Fault.status(502))
    path = await d360.download(media_id, tmp_path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == server.media[media_id].sha256
    assert d360.routes() == ["get_media"] + ["attachments"] * 3


async def test_html_502_then_success(server: FakeServer, d360: Any, media_id: str):
    server.inject("get_media", Fault.html(502))
    server.inject("attachments", Fault.html(502))
    assert await d360.read(media_id) == server.media[media_id].data
    assert d360.routes() == ["get_media", "get_media", "attachments", "attachments"]


async def test_close_before_on_get_media_then_success(server: FakeServer, d360: Any, media_id: str):
    server.inject("get_media", Fault.close_before())
    info = await d360.get(media_id)
    assert info.sha256 == server.media[media_id].sha256
    assert d360.count("get_media") == 2


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
    ],
)
async def test_client_errors_are_not_retried(
    server: FakeServer, d360: Any, media_id: str, status: int, error: type[Exception]
):
    server.inject("get_media", Fault.status(status, times=5))
    with pytest.raises(error) as caught:
        await d360.get(media_id)
    assert caught.value.status_code == status  # type: ignore[attr-defined]
    assert type(caught.value) is error
    assert d360.count("get_media") == 1


async def test_429_without_retry_after_raises_at_once(server: FakeServer, d360: Any, media_id: str):
    server.inject("get_media", Fault.status(429, times=5))
    with pytest.raises(RateLimitError) as caught:
        await d360.get(media_id)
    assert caught.value.retry_after is None
    assert caught.value.status_code == 429
    assert d360.count("get_media") == 1


async def test_429_with_retry_after_is_retried_once(server: FakeServer, d360: Any, media_id: str):
    server.inject("get_media", Fault.status(429, retry_after="1"))
    info = await d360.get(media_id)
    assert info.id == media_id
    assert d360.count("get_media") == 2


async def test_429_with_too_long_retry_after_raises_with_it(
    server: FakeServer, d360: Any, media_id: str
):
    server.inject("get_media", Fault.status(429, retry_after="3600"))
    with pytest.raises(RateLimitError) as caught:
        await d360.get(media_id)
    assert caught.value.retry_after == 3600
    assert d360.count("get_media") == 1


# The wait is the retry transport's own (time.sleep, or asyncio.sleep on the event loop): one
# async engine shows it for both, and each real second counts.
@pytest.mark.parametrize("client_kind", ["sync", "async-httpx"])
async def test_retry_after_is_really_waited_for(server: FakeServer, d360: Any, media_id: str):
    dialog360.set_retry_sleep(True)  # the autouse fixture turns it off again afterwards
    server.inject("get_media", Fault.status(429, retry_after="1"))
    started = time.monotonic()
    await d360.get(media_id)
    assert time.monotonic() - started >= 0.95
    first, second = server.requests
    assert second.time - first.time >= 0.95


async def test_520_is_not_a_retryable_status(server: FakeServer, d360: Any, media_id: str):
    # Only 408/500/502/503/504 are retried; 520 (a CDN's "unknown error") is raised as-is.
    server.inject("get_media", Fault.status(520, times=5))
    with pytest.raises(ServerError) as caught:
        await d360.get(media_id)
    assert caught.value.status_code == 520
    assert d360.count("get_media") == 1


async def test_5xx_gives_up_after_max_retries(
    server: FakeServer, make_d360: Callable[..., Any], media_id: str
):
    d360 = make_d360(max_retries=2)
    server.inject("get_media", Fault.status(503, times=5))
    with pytest.raises(ServerError) as caught:
        await d360.get(media_id)
    assert caught.value.status_code == 503
    assert d360.count("get_media") == 3


async def test_max_retries_zero_turns_retries_off(
    server: FakeServer, make_d360: Callable[..., Any], media_id: str
):
    d360 = make_d360(max_retries=0)
    server.inject("get_media", Fault.status(503))
    with pytest.raises(ServerError):
        await d360.get(media_id)
    assert d360.count("get_media") == 1


async def test_delete_then_get_is_not_found(server: FakeServer, d360: Any, media_id: str):
    deleted = await d360.delete(media_id)
    assert deleted.success is True
    assert media_id not in server.media
    with pytest.raises(NotFoundError):
        await d360.get(media_id)
    with pytest.raises(NotFoundError):
        await d360.delete(media_id)
    assert d360.routes() == ["delete_media", "get_media", "delete_media"]
