"""Retries through the real transport: which statuses/errors, how often, how long, for uploads."""

from __future__ import annotations

import asyncio
import contextvars
import email.utils
import threading
import time
from types import SimpleNamespace
from typing import Any

import dialog360
import httpx
import pytest
from dialog360 import (
    APIConnectionError,
    APITimeoutError,
    RateLimitError,
    ServerError,
    _retry,
    _transport,
)


@pytest.mark.parametrize("status", [503, 500, 502, 504, 408])
async def test_retryable_status_then_success(d360: Any, server: Any, status: int) -> None:
    meta = server.meta(b"x")
    server.add_status(status)
    server.add_status(status)
    server.add_meta(meta)
    info = await d360.get(server.media_id)
    assert info.id == server.media_id
    assert len(server.requests()) == 3


async def test_max_retries_zero_means_one_attempt(make_d360: Any, server: Any) -> None:
    d360 = make_d360(max_retries=0)
    server.add_status(503)
    with pytest.raises(ServerError) as info:
        await d360.get(server.media_id)
    assert info.value.status_code == 503
    assert len(server.requests()) == 1


async def test_gives_up_after_max_retries(make_d360: Any, server: Any) -> None:
    d360 = make_d360(max_retries=2)
    for _ in range(3):
        server.add_status(503)
    with pytest.raises(ServerError) as info:
        await d360.get(server.media_id)
    assert info.value.status_code == 503
    assert len(server.requests()) == 3
    server.assert_no_secret(info.value)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 413, 422])
async def test_other_4xx_never_retried(d360: Any, server: Any, status: int) -> None:
    server.add_status(status)
    with pytest.raises(dialog360.APIError) as info:
        await d360.get(server.media_id)
    assert info.value.status_code == status
    assert len(server.requests()) == 1


# -- 429 ------------------------------------------------------------------------------------


async def test_429_without_retry_after_raises_at_once(d360: Any, server: Any) -> None:
    server.add_status(429, json={"error": "Too many requests - endpoint disabled"})
    with pytest.raises(RateLimitError) as info:
        await d360.get(server.media_id)
    assert info.value.retry_after is None
    assert info.value.status_code == 429
    assert "endpoint disabled" in str(info.value)
    assert len(server.requests()) == 1


async def test_429_with_short_retry_after_is_retried(d360: Any, server: Any) -> None:
    server.add_status(429, headers={"Retry-After": "1"})
    server.add_meta(server.meta(b"x"))
    info = await d360.get(server.media_id)
    assert info.id == server.media_id
    assert len(server.requests()) == 2


async def test_429_with_long_retry_after_raises_at_once(d360: Any, server: Any) -> None:
    server.add_status(429, headers={"Retry-After": "120"})
    with pytest.raises(RateLimitError) as info:
        await d360.get(server.media_id)
    assert info.value.retry_after == 120
    assert len(server.requests()) == 1


async def test_429_with_http_date_retry_after_is_retried(d360: Any, server: Any) -> None:
    soon = email.utils.formatdate(time.time() + 5, usegmt=True)
    server.add_status(429, headers={"Retry-After": soon})
    server.add_meta(server.meta(b"x"))
    await d360.get(server.media_id)
    assert len(server.requests()) == 2


async def test_429_with_far_http_date_reports_its_seconds(d360: Any, server: Any) -> None:
    later = email.utils.formatdate(time.time() + 3600, usegmt=True)
    server.add_status(429, headers={"Retry-After": later})
    with pytest.raises(RateLimitError) as info:
        await d360.get(server.media_id)
    assert info.value.retry_after is not None
    assert 3590 <= info.value.retry_after <= 3600
    assert len(server.requests()) == 1


async def test_429_retried_only_max_retries_times(d360: Any, server: Any) -> None:
    for _ in range(3):
        server.add_status(429, headers={"Retry-After": "1"})
    with pytest.raises(RateLimitError) as info:
        await d360.get(server.media_id)
    assert info.value.retry_after == 1
    assert len(server.requests()) == 3


# -- transport errors -----------------------------------------------------------------------


async def test_connect_errors_become_api_connection_error(d360: Any, server: Any) -> None:
    for _ in range(3):
        server.mock.add_exception(httpx.ConnectError("connection refused"))
    with pytest.raises(APIConnectionError) as info:
        await d360.get(server.media_id)
    assert not isinstance(info.value, APITimeoutError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert len(server.requests()) == 3
    server.assert_no_secret(info.value)


@pytest.mark.parametrize(
    "error", [httpx.ReadTimeout("timed out"), httpx.ConnectTimeout("timed out")], ids=repr
)
async def test_timeouts_become_api_timeout_error(d360: Any, server: Any, error: Exception) -> None:
    for _ in range(3):
        server.mock.add_exception(error)
    with pytest.raises(APITimeoutError) as info:
        await d360.get(server.media_id)
    assert isinstance(info.value, APIConnectionError)
    assert len(server.requests()) == 3
    server.assert_no_secret(info.value)


async def test_connect_error_then_success(d360: Any, server: Any) -> None:
    server.mock.add_exception(httpx.ConnectError("connection refused"))
    server.mock.add_exception(httpx.RemoteProtocolError("server disconnected"))
    server.add_meta(server.meta(b"x"))
    await d360.get(server.media_id)
    assert len(server.requests()) == 3


# -- uploads (POST /media) ------------------------------------------------------------------


def _add_upload_ok(server: Any) -> None:
    server.mock.add_response(method="POST", url=f"{server.base}/media", json={"id": "555"})


async def test_upload_not_retried_on_500(d360: Any, server: Any) -> None:
    server.add_status(500, method="POST", url=f"{server.base}/media")
    with pytest.raises(ServerError):
        await d360.upload(b"\xff\xd8 jpeg", mime_type="image/jpeg")
    assert len(server.requests()) == 1


async def test_upload_not_retried_on_503_without_retry_after(d360: Any, server: Any) -> None:
    server.add_status(503, method="POST", url=f"{server.base}/media")
    with pytest.raises(ServerError):
        await d360.upload(b"\xff\xd8 jpeg", mime_type="image/jpeg")
    assert len(server.requests()) == 1


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (httpx.ReadTimeout("timed out"), APITimeoutError),
        (httpx.RemoteProtocolError("server disconnected"), APIConnectionError),
    ],
    ids=["read-timeout", "remote-protocol"],
)
async def test_upload_not_retried_once_it_may_have_arrived(
    d360: Any, server: Any, error: Exception, raised: type[Exception]
) -> None:
    server.mock.add_exception(error, method="POST")
    with pytest.raises(raised):
        await d360.upload(b"\xff\xd8 jpeg", mime_type="image/jpeg")
    assert len(server.requests()) == 1


async def test_upload_retried_on_connect_error(d360: Any, server: Any) -> None:
    server.mock.add_exception(httpx.ConnectError("connection refused"), method="POST")
    _add_upload_ok(server)
    uploaded = await d360.upload(b"\xff\xd8 jpeg", mime_type="image/jpeg")
    assert uploaded.id == "555"
    assert len(server.requests()) == 2


@pytest.mark.parametrize("status", [503, 429])
async def test_upload_retried_on_status_with_retry_after(
    d360: Any, server: Any, status: int
) -> None:
    server.add_status(
        status, method="POST", url=f"{server.base}/media", headers={"Retry-After": "2"}
    )
    _add_upload_ok(server)
    uploaded = await d360.upload(b"\xff\xd8 jpeg", mime_type="image/jpeg")
    assert uploaded.id == "555"
    requests = server.requests()
    assert len(requests) == 2
    assert requests[0].content == requests[1].content  # the whole body again


# -- sleeping -------------------------------------------------------------------------------


@pytest.fixture
def recorded_sleeps(kind: str, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the transport sleeps (sync: time.sleep, async: asyncio.sleep), recorded."""
    delays: list[float] = []
    if kind == "async":

        async def fake_sleep(seconds: float) -> None:
            delays.append(seconds)

        monkeypatch.setattr(_transport, "async_sleep", fake_sleep)
    else:
        fake_time = SimpleNamespace(sleep=delays.append, monotonic=time.monotonic)
        monkeypatch.setattr(_transport, "time", fake_time)
    return delays


async def test_backoff_is_slept_when_enabled(
    d360: Any, server: Any, recorded_sleeps: list[float]
) -> None:
    dialog360.set_retry_sleep(True)
    server.add_status(503)
    server.add_status(503)
    server.add_meta(server.meta(b"x"))
    await d360.get(server.media_id)
    first, second = recorded_sleeps
    assert 0.5 * 0.75 <= first <= 0.5
    assert 1.0 * 0.75 <= second <= 1.0


async def test_retry_after_is_slept_when_enabled(
    d360: Any, server: Any, recorded_sleeps: list[float]
) -> None:
    dialog360.set_retry_sleep(True)
    server.add_status(429, headers={"Retry-After": "1"})
    server.add_meta(server.meta(b"x"))
    await d360.get(server.media_id)
    assert recorded_sleeps == [1.0]


async def test_sleep_skipped_when_disabled(
    d360: Any, server: Any, recorded_sleeps: list[float]
) -> None:
    server.add_status(503)
    server.add_status(503)
    server.add_meta(server.meta(b"x"))
    await d360.get(server.media_id)
    assert recorded_sleeps == []
    assert len(server.requests()) == 3


async def test_real_sleep_functions_are_the_patched_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    # The recorded_sleeps fixture patches these names; make sure the transport uses them.
    assert _transport.time.sleep is time.sleep  # type: ignore[attr-defined]
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    await _transport.async_sleep(0.25)
    assert slept == [0.25]


# -- scoped: retry_sleep_disabled() ----------------------------------------------------------


def _one_retry(server: Any) -> None:
    server.add_status(503)
    server.add_meta(server.meta(b"x"))


async def test_scoped_disable_skips_waits_inside_the_block_only(
    d360: Any, server: Any, recorded_sleeps: list[float]
) -> None:
    dialog360.set_retry_sleep(True)
    with dialog360.retry_sleep_disabled():
        _one_retry(server)
        await d360.get(server.media_id)
        assert recorded_sleeps == []
    _one_retry(server)
    await d360.get(server.media_id)
    assert len(recorded_sleeps) == 1 and recorded_sleeps[0] > 0
    assert len(server.requests()) == 4


def test_scoped_disable_wins_over_the_process_setting_and_restores_it() -> None:
    dialog360.set_retry_sleep(True)
    assert _retry.sleep_enabled()
    with dialog360.retry_sleep_disabled():
        assert not _retry.sleep_enabled()
        with dialog360.retry_sleep_disabled():
            assert not _retry.sleep_enabled()
        assert not _retry.sleep_enabled()
    assert _retry.sleep_enabled()
    with pytest.raises(KeyError), dialog360.retry_sleep_disabled():
        raise KeyError("restored on the way out too")
    assert _retry.sleep_enabled()


def test_scoped_disable_does_not_leak_to_another_thread() -> None:
    dialog360.set_retry_sleep(True)
    seen: list[bool] = []
    inside = threading.Event()
    checked = threading.Event()

    def other_thread() -> None:
        inside.wait(5)
        seen.append(_retry.sleep_enabled())
        checked.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with dialog360.retry_sleep_disabled():
        inside.set()
        checked.wait(5)
    worker.join(5)
    assert seen == [True]


async def test_scoped_disable_does_not_leak_to_a_concurrent_task() -> None:
    dialog360.set_retry_sleep(True)
    entered = asyncio.Event()
    release = asyncio.Event()

    async def disabled_task() -> None:
        with dialog360.retry_sleep_disabled():
            entered.set()
            await release.wait()
            assert not _retry.sleep_enabled()

    task = asyncio.create_task(disabled_task())
    await entered.wait()
    assert _retry.sleep_enabled()  # this task, while the other is inside its block
    release.set()
    await task


def test_scoped_disable_follows_a_copied_context_into_a_thread() -> None:
    dialog360.set_retry_sleep(True)
    seen: list[bool] = []
    with dialog360.retry_sleep_disabled():
        context = contextvars.copy_context()
    worker = threading.Thread(
        target=context.run, args=(lambda: seen.append(_retry.sleep_enabled()),)
    )
    worker.start()
    worker.join(5)
    assert seen == [False]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("9999999999", 9999999999.0),
        ("99999999999", None),
        ("9" * 5000, None),
        ("-5", None),
        ("+5", None),
        ("1e3", None),
        ("inf", None),
        ("nan", None),
        ("Fri, 31 Dec 99999999999 23:59:59 GMT", None),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 0.0),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert _retry.parse_retry_after(value, now=1e9) == expected
