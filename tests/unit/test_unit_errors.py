"""Statuses and bodies to typed errors; spec-breaking answers; get and delete results."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dialog360 import (
    APIError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
)
from dialog360_api.models import DeleteMediaResponse, MediaUrlResponse


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
    ],
)
@pytest.mark.parametrize("op", ["get", "delete"])
async def test_status_maps_to_error_without_retry(
    d360: Any, server: Any, status: int, error: type[APIError], op: str
) -> None:
    method = "DELETE" if op == "delete" else "GET"
    server.add_status(status, method=method, json={"error": "Invalid media id"})
    with pytest.raises(error) as info:
        await getattr(d360, op)(server.media_id)
    assert info.value.status_code == status
    assert info.value.response is not None
    assert "Invalid media id" in str(info.value)
    assert str(status) in str(info.value)
    assert len(server.requests()) == 1
    server.assert_no_secret(info.value)


async def test_nonstandard_status_520_is_server_error(d360: Any, server: Any) -> None:
    server.add_status(520, text="origin error")
    with pytest.raises(ServerError) as info:
        await d360.get(server.media_id)
    assert info.value.status_code == 520
    assert not isinstance(info.value, ValueError)
    assert "origin error" in str(info.value)
    assert len(server.requests()) == 1


async def test_html_502_is_a_readable_server_error(make_d360: Any, server: Any) -> None:
    d360 = make_d360(max_retries=0)
    server.add_status(502, html="<html><body><h1>502 Bad Gateway</h1></body></html>")
    with pytest.raises(ServerError) as info:
        await d360.get(server.media_id)
    assert info.value.status_code == 502
    assert "HTML" in str(info.value)
    assert not isinstance(info.value.__cause__, json.JSONDecodeError)
    assert not isinstance(info.value.__context__, json.JSONDecodeError)


async def test_html_502_retried_then_raised(d360: Any, server: Any) -> None:
    server.add_status(502, html="<!DOCTYPE html><html>Bad Gateway</html>", is_reusable=True)
    with pytest.raises(ServerError):
        await d360.get(server.media_id)
    assert len(server.requests()) == 3


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"error": "You have exceeded the endpoint rate limit"}, ["exceeded the endpoint"]),
        (
            {
                "error": {
                    "message": "(#100) Invalid parameter",
                    "type": "OAuthException",
                    "code": 100,
                    "error_data": {"details": "media id unknown"},
                    "fbtrace_id": "AbCdEf",
                }
            },
            ["(#100) Invalid parameter", "media id unknown", "100"],
        ),
    ],
    ids=["360dialog-shape", "meta-shape"],
)
async def test_both_error_body_shapes_give_their_text(
    d360: Any, server: Any, body: dict[str, Any], expected: list[str]
) -> None:
    server.add_status(400, json=body)
    with pytest.raises(BadRequestError) as info:
        await d360.get(server.media_id)
    for text in expected:
        assert text in str(info.value)
        assert text in info.value.message


async def test_empty_and_plain_text_error_bodies(d360: Any, server: Any) -> None:
    server.add_status(404, content=b"")
    with pytest.raises(NotFoundError, match="empty response body"):
        await d360.get(server.media_id)


async def test_huge_error_body_gives_a_short_message(d360: Any, server: Any) -> None:
    server.add_status(400, json={"error": "x" * 100_000})
    with pytest.raises(BadRequestError) as info:
        await d360.get(server.media_id)
    assert len(str(info.value)) < 500


# -- successful answers, and 200s that break the spec ---------------------------------------


async def test_get_returns_media_url_response(d360: Any, server: Any) -> None:
    meta = server.meta(b"\xff\xd8 jpeg bytes")
    server.add_meta(meta)
    info = await d360.get(server.media_id)
    assert isinstance(info, MediaUrlResponse)
    assert (info.url, info.mime_type, info.sha256, info.file_size, info.id) == (
        meta["url"],
        meta["mime_type"],
        meta["sha256"],
        meta["file_size"],
        meta["id"],
    )
    (request,) = server.requests()
    assert request.method == "GET"
    assert request.url.path == f"/{server.media_id}"


async def test_delete_returns_delete_media_response(d360: Any, server: Any) -> None:
    server.mock.add_response(
        method="DELETE", url=f"{server.base}/{server.media_id}", json={"success": True}
    )
    deleted = await d360.delete(server.media_id)
    assert isinstance(deleted, DeleteMediaResponse)
    assert deleted.success is True
    assert len(server.requests()) == 1


@pytest.mark.parametrize("body", [{"success": False}, {}], ids=["false", "missing"])
async def test_delete_not_confirmed_is_api_error(
    d360: Any, server: Any, body: dict[str, Any]
) -> None:
    server.mock.add_response(method="DELETE", url=f"{server.base}/{server.media_id}", json=body)
    with pytest.raises(APIError, match=server.media_id):
        await d360.delete(server.media_id)


BAD_200_BODIES = [
    {"html": "<html><body>Maintenance</body></html>"},
    {"json": {}},
    {"json": []},
    {"json": {"url": 1}},
    {"text": "not json"},
    {"content": b""},
]


@pytest.mark.parametrize("body", BAD_200_BODIES, ids=lambda b: repr(b)[:30])
async def test_get_200_with_a_non_spec_body_is_api_error(
    d360: Any, server: Any, body: dict[str, Any]
) -> None:
    server.mock.add_response(method="GET", url=f"{server.base}/{server.media_id}", **body)
    with pytest.raises(APIError) as info:
        await d360.get(server.media_id)
    assert type(info.value) is APIError
    assert not isinstance(info.value, KeyError | ValueError | TypeError)


@pytest.mark.parametrize("body", BAD_200_BODIES[:2], ids=["html", "empty-object"])
async def test_upload_200_with_a_non_spec_body_is_api_error(
    d360: Any, server: Any, body: dict[str, Any]
) -> None:
    server.mock.add_response(method="POST", url=f"{server.base}/media", **body)
    with pytest.raises(APIError):
        await d360.upload(b"\xff\xd8 jpeg", mime_type="image/jpeg")


async def test_delete_200_with_html_is_api_error(d360: Any, server: Any) -> None:
    server.mock.add_response(
        method="DELETE", url=f"{server.base}/{server.media_id}", html="<html>ok</html>"
    )
    with pytest.raises(APIError):
        await d360.delete(server.media_id)


@pytest.mark.parametrize("status", [204, 299, 302])
async def test_get_unexpected_success_status_is_api_error(
    d360: Any, server: Any, status: int
) -> None:
    server.mock.add_response(
        status_code=status,
        method="GET",
        url=f"{server.base}/{server.media_id}",
        headers={"Location": "https://evil.example.com/x"},
    )
    with pytest.raises(APIError):
        await d360.get(server.media_id)
    assert len(server.requests()) == 1  # a redirect is never followed
