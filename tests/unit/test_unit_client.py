"""Client setup: key and base URL, headers, id validation, closing (sync and async twins)."""

from __future__ import annotations

import hashlib
from typing import Any

import dialog360
import httpx
import pytest
from dialog360 import ConfigurationError, Dialog360Error, InvalidMediaIdError
from dialog360_api.api.media import get_media_by_id
from dialog360_api.models import MediaUrlResponse


async def test_sends_key_and_user_agent(d360: Any, server: Any) -> None:
    server.add_media(b"jpeg bytes")
    await d360.read(server.media_id)
    requests = server.requests()
    assert len(requests) == 2  # metadata, then the bytes
    for request in requests:
        assert request.headers["D360-API-KEY"] == server.key
        assert request.headers["User-Agent"] == f"dialog360/{dialog360.__version__}"


async def test_key_and_base_url_from_environment(
    make_d360: Any, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("D360_API_KEY", "env-key-123")
    monkeypatch.setenv("D360_BASE_URL", "http://127.0.0.1:8360")
    meta = server.meta(b"x", url="http://127.0.0.1:8360/whatsapp_business/attachments/?mid=1")
    server.mock.add_response(
        method="GET", url=f"http://127.0.0.1:8360/{server.media_id}", json=meta
    )
    d360 = make_d360(api_key=None, base_url=None)
    assert d360.client.base_url == "http://127.0.0.1:8360"
    info = await d360.get(server.media_id)
    assert info.sha256 == meta["sha256"]
    (request,) = server.requests()
    assert request.headers["D360-API-KEY"] == "env-key-123"


async def test_arguments_win_over_environment(
    make_d360: Any, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("D360_API_KEY", "env-key")
    monkeypatch.setenv("D360_BASE_URL", "http://127.0.0.1:8360")
    server.add_meta(server.meta(b"x"))
    d360 = make_d360()  # KEY and BASE given explicitly
    await d360.get(server.media_id)
    (request,) = server.requests()
    assert request.url.host == server.host
    assert request.headers["D360-API-KEY"] == server.key


async def test_default_base_url(make_d360: Any) -> None:
    assert make_d360(base_url=None).client.base_url == "https://waba-v2.360dialog.io"


@pytest.mark.parametrize("key", [None, "", "   "])
def test_no_key_is_a_configuration_error(client_class: Any, key: str | None) -> None:
    with pytest.raises(ConfigurationError, match="D360_API_KEY") as info:
        client_class(key)
    assert isinstance(info.value, Dialog360Error)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"base_url": "ftp://example.com"}, "base URL"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_download_bytes": 0}, "max_download_bytes"),
    ],
)
def test_bad_options_are_configuration_errors(
    client_class: Any, options: dict[str, Any], match: str
) -> None:
    with pytest.raises(ConfigurationError, match=match):
        client_class("k", **options)


def test_key_with_header_breaking_characters_is_refused(client_class: Any) -> None:
    with pytest.raises(ConfigurationError) as info:
        client_class("abc\r\nX-Evil: 1")
    assert "abc" not in str(info.value)


INVALID_IDS = ["abc", "", "١٢٣", "12 3", "1" * 65, "12a", "-1", "1.5", None, 123]


@pytest.mark.parametrize("media_id", INVALID_IDS, ids=repr)
async def test_invalid_id_sends_nothing(
    d360: Any, server: Any, tmp_path: Any, media_id: Any
) -> None:
    calls = {
        "get": lambda: d360.get(media_id),
        "delete": lambda: d360.delete(media_id),
        "download": lambda: d360.download(media_id, tmp_path),
        "read": lambda: d360.read(media_id),
        "stream": lambda: d360.stream(media_id),
    }
    for op, call in calls.items():
        with pytest.raises(InvalidMediaIdError) as info:
            await call()
        assert isinstance(info.value, ValueError), op
    assert server.requests() == []
    assert list(tmp_path.iterdir()) == []


async def test_longest_valid_id_is_accepted(d360: Any, server: Any) -> None:
    media_id = "9" * 64
    server.add_meta(server.meta(b"x", media_id=media_id))
    info = await d360.get(media_id)
    assert info.id == media_id


def test_sync_context_manager_closes_the_pool() -> None:
    with dialog360.Dialog360("k", base_url="https://waba-v2.360dialog.io") as client:
        assert not client.api.get_httpx_client().is_closed
    assert client.api.get_httpx_client().is_closed


async def test_async_context_manager_closes_the_pool() -> None:
    async with dialog360.AsyncDialog360("k", base_url="https://waba-v2.360dialog.io") as client:
        assert not client.api.get_async_httpx_client().is_closed
    assert client.api.get_async_httpx_client().is_closed


async def test_close_closes_the_pool(d360: Any) -> None:
    await d360.close()
    assert d360.http_is_closed()


def _own_http(client: Any) -> httpx.Client | httpx.AsyncClient:
    if isinstance(client, dialog360.AsyncDialog360):
        return client.api.get_async_httpx_client()
    return client.api.get_httpx_client()


def test_timeouts(client_class: Any) -> None:
    http = _own_http(client_class("k"))
    assert http.timeout == httpx.Timeout(30.0, connect=5.0)
    assert not http.follow_redirects
    assert _own_http(client_class("k", timeout=12.5)).timeout.read == 12.5


@pytest.mark.httpx_mock(assert_all_requests_were_expected=False)
async def test_base_url_path_prefix_is_kept_for_downloads(
    client_class: Any, httpx_mock: Any
) -> None:
    base = "https://proxy.example/360"
    client = client_class("k", base_url=base)
    content = b"bytes"
    httpx_mock.add_response(
        url=f"{base}/1",
        json={
            "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
            "mime_type": "image/jpeg",
            "sha256": hashlib.sha256(content).hexdigest(),
            "file_size": len(content),
            "id": "1",
        },
    )
    httpx_mock.add_response(
        url=f"{base}/whatsapp_business/attachments/?mid=1", content=content, is_optional=True
    )
    if isinstance(client, dialog360.AsyncDialog360):
        assert await client.media.read("1") == content
    else:
        assert client.media.read("1") == content
    paths = [r.url.path for r in httpx_mock.get_requests()]
    assert paths == ["/360/1", "/360/whatsapp_business/attachments/"]


async def test_default_inner_transport_gets_key_and_retries(client_class: Any, server: Any) -> None:
    # Built exactly as users do (no transport=): auth and the retry layer are still in place.
    server.add_status(503)
    server.add_meta(server.meta(b"x"))
    client = client_class(server.key, base_url=server.base)
    if client_class is dialog360.AsyncDialog360:
        async with client:
            await client.media.get(server.media_id)
    else:
        with client:
            client.media.get(server.media_id)
    requests = server.requests()
    assert len(requests) == 2
    assert all(r.headers["D360-API-KEY"] == server.key for r in requests)


# -- client.api: the generated functions of the client's own side -------------------------------


async def test_api_serves_the_generated_functions_of_its_own_side(d360: Any, server: Any) -> None:
    meta = server.meta(b"x")
    server.add_meta(meta)
    api = d360.client.api
    if d360.is_async:
        info = await get_media_by_id.asyncio(server.media_id, client=api)
    else:
        info = get_media_by_id.sync(server.media_id, client=api)
    assert isinstance(info, MediaUrlResponse)
    assert info.sha256 == meta["sha256"]
    (request,) = server.requests()
    assert request.headers["D360-API-KEY"] == server.key


async def test_api_of_the_other_side_is_a_clear_error_and_sends_nothing(
    d360: Any, server: Any
) -> None:
    api = d360.client.api
    if d360.is_async:
        calls = [
            lambda: get_media_by_id.sync(server.media_id, client=api),
            lambda: get_media_by_id.sync_detailed(server.media_id, client=api),
            api.__enter__,
        ]
        expected = (
            r"AsyncDialog360\(\)\.api is for the generated async functions.*Dialog360\(\)\.api"
        )
    else:
        calls = [
            lambda: get_media_by_id.asyncio(server.media_id, client=api),
            lambda: get_media_by_id.asyncio_detailed(server.media_id, client=api),
            api.__aenter__,
        ]
        expected = (
            r"Dialog360\(\)\.api is for the generated sync functions.*AsyncDialog360\(\)\.api"
        )
    for call in calls:
        with pytest.raises(ConfigurationError, match=expected):
            result = call()
            if not d360.is_async:
                await result  # the coroutine of an async function raises when awaited
    assert server.requests() == []
    # The client's own side is untouched by the refusals.
    server.add_meta(server.meta(b"x"))
    assert (await d360.get(server.media_id)).id == server.media_id


async def test_reprs_say_what_they_are_without_key_or_url(d360: Any, server: Any) -> None:
    server.add_media(b"jpeg bytes")
    client = d360.client
    side = "Async" if d360.is_async else ""
    assert repr(client) == f"{side}Dialog360(base_url='{server.base}')"
    assert repr(client.media) == f"{side}Media(base_url='{server.base}')"
    if isinstance(client, dialog360.AsyncDialog360):
        async with client.media.stream(server.media_id) as stream:
            shown = repr(stream)
            assert b"".join([chunk async for chunk in stream.iter_bytes()]) == b"jpeg bytes"
    else:
        with client.media.stream(server.media_id) as stream:
            shown = repr(stream)
            assert b"".join(stream.iter_bytes()) == b"jpeg bytes"
    assert shown == (
        f"{side}MediaStream(id='{server.media_id}', mime_type='image/jpeg', file_size=10)"
    )
    # The media url's hash fetches the file for 5 minutes: no repr shows it.
    assert server.hash not in shown and server.key not in shown


async def test_the_answers_are_models_exported_by_dialog360(d360: Any, server: Any) -> None:
    server.add_meta(server.meta(b"x"))
    assert isinstance(await d360.get(server.media_id), dialog360.MediaUrlResponse)
    exported = {"MediaUrlResponse", "UploadMediaResponse", "DeleteMediaResponse"}
    exported |= {"SendMessageResponse", "SentMessage", "MessageRecipient"}
    for name in exported:
        assert name in dialog360.__all__
        assert getattr(dialog360, name).__module__.startswith("dialog360_api.models.")


async def test_cookies_an_answer_sets_are_kept_and_sent_back(d360: Any, server: Any) -> None:
    # Answers that set no cookie skip httpx's cookie parsing; one that sets one is still read.
    server.mock.add_response(
        url=f"{server.base}/first", text="ok", headers={"Set-Cookie": "session=abc; Path=/"}
    )
    server.mock.add_response(url=f"{server.base}/second", text="ok")
    server.mock.add_response(url=f"{server.base}/third", text="ok")
    for path in ("first", "second", "third"):
        await d360.http_get(f"{server.base}/{path}")
    first, second, third = server.requests()
    assert "cookie" not in first.headers
    assert second.headers["cookie"] == "session=abc"
    assert third.headers["cookie"] == "session=abc"


async def test_answers_without_cookies_are_not_parsed_for_them(
    d360: Any, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def parsed(self: Any, response: httpx.Response) -> None:
        raise AssertionError("an answer without Set-Cookie was parsed for cookies")

    monkeypatch.setattr(httpx.Cookies, "extract_cookies", parsed)
    server.add_media(b"jpeg bytes")
    assert await d360.read(server.media_id) == b"jpeg bytes"
