"""The generated client (generated/dialog360_api) against the wire, with pytest-httpx."""

from __future__ import annotations

import email.parser
import email.policy
import inspect
import json
import typing
from io import BytesIO
from types import ModuleType

import httpx
import pytest
from dialog360_api.api.media import (
    delete_media_by_id,
    get_media_attachments,
    get_media_by_id,
    upload_media,
)
from dialog360_api.api.messages import send_message
from dialog360_api.client import AuthenticatedClient, Client
from dialog360_api.models import (
    DeleteMediaResponse,
    ErrorResp,
    MediaUrlResponse,
    UploadMediaRequest,
    UploadMediaResponse,
)
from dialog360_api.types import File
from pytest_httpx import HTTPXMock

BASE = "https://waba-v2.360dialog.io"
KEY = "k"
MEDIA_ID = "123"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
LOOKASIDE = (
    "https://lookaside.fbsbx.com/whatsapp_business/attachments/"
    "?mid=123&ext=1764230400&hash=ATtEzq5nUvcpXq8T2hOasn0QI9f1R0YxdyBqJj0bXh3ygw&source=getMedia"
)
MEDIA_INFO = {
    "url": LOOKASIDE,
    "mime_type": "image/jpeg",
    "sha256": SHA256,
    "file_size": 303833,
    "id": MEDIA_ID,
    "messaging_product": "whatsapp",
}
MODULES = [get_media_by_id, delete_media_by_id, get_media_attachments, upload_media, send_message]


@pytest.fixture
def client() -> AuthenticatedClient:
    return AuthenticatedClient(base_url=BASE, token=KEY, prefix="", auth_header_name="D360-API-KEY")


def _assert_auth(request: httpx.Request) -> None:
    assert request.headers["D360-API-KEY"] == KEY
    assert "authorization" not in request.headers


def test_get_media_by_id_sends_the_key_and_parses_200(
    client: AuthenticatedClient, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        method="GET",
        url=f"{BASE}/{MEDIA_ID}",
        match_headers={"D360-API-KEY": KEY},
        json=MEDIA_INFO,
    )

    response = get_media_by_id.sync_detailed(client=client, media_id=MEDIA_ID)

    request = httpx_mock.get_request()
    assert request is not None
    _assert_auth(request)
    assert response.status_code == 200
    info = response.parsed
    assert isinstance(info, MediaUrlResponse)
    assert info.url == LOOKASIDE
    assert info.mime_type == "image/jpeg"
    assert info.sha256 == SHA256
    assert info.file_size == 303833
    assert info.id == MEDIA_ID
    assert info.messaging_product == "whatsapp"


def test_get_media_by_id_404_parses_error(
    client: AuthenticatedClient, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        url=f"{BASE}/{MEDIA_ID}", status_code=404, json={"error": "Media not found"}
    )

    response = get_media_by_id.sync_detailed(client=client, media_id=MEDIA_ID)

    assert response.status_code == 404
    assert isinstance(response.parsed, ErrorResp)
    assert response.parsed.error == "Media not found"


def test_media_id_is_sent_in_the_path_quoted(
    client: AuthenticatedClient, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json=MEDIA_INFO)

    get_media_by_id.sync(client=client, media_id="12/../34")

    request = httpx_mock.get_request()
    assert request is not None
    assert request.url.raw_path == b"/12%2F..%2F34"


def test_delete_media_parses_success(client: AuthenticatedClient, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="DELETE", url=f"{BASE}/{MEDIA_ID}", json={"success": True})

    parsed = delete_media_by_id.sync(client=client, media_id=MEDIA_ID)

    request = httpx_mock.get_request()
    assert request is not None
    _assert_auth(request)
    assert request.method == "DELETE"
    assert parsed == DeleteMediaResponse(success=True)


def test_delete_media_404_parses_error(client: AuthenticatedClient, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="DELETE", status_code=404, json={"error": "gone"})

    parsed = delete_media_by_id.sync(client=client, media_id=MEDIA_ID)

    assert parsed == ErrorResp(error="gone")


def _multipart_parts(
    request: httpx.Request,
) -> dict[typing.Any, tuple[str | None, str, typing.Any]]:
    """name -> (filename, content type, bytes) of a multipart request body."""
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + request.read()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    assert message.is_multipart()
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[name] = (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
    return parts


def test_upload_media_sends_multipart_and_parses_the_id(
    client: AuthenticatedClient, httpx_mock: HTTPXMock
) -> None:
    image = b"\xff\xd8\xff\xe0 a jpeg \x00\x01\xff\xd9"
    httpx_mock.add_response(method="POST", url=f"{BASE}/media", json={"id": "1234567890123456"})
    body = UploadMediaRequest(
        file=File(payload=BytesIO(image), file_name="photo.jpg", mime_type="image/jpeg"),
        messaging_product="whatsapp",
        type_="image/jpeg",
    )

    response = upload_media.sync_detailed(client=client, body=body)

    request = httpx_mock.get_request()
    assert request is not None
    _assert_auth(request)
    parts = _multipart_parts(request)
    assert set(parts) == {"file", "messaging_product", "type"}
    assert parts["file"] == ("photo.jpg", "image/jpeg", image)
    assert parts["messaging_product"][2] == b"whatsapp"
    assert parts["type"][2] == b"image/jpeg"
    assert response.status_code == 200
    assert response.parsed == UploadMediaResponse(id="1234567890123456")


def test_get_media_attachments_sends_the_query_and_returns_bytes(
    client: AuthenticatedClient, httpx_mock: HTTPXMock
) -> None:
    data = bytes(range(256)) * 4
    httpx_mock.add_response(
        method="GET",
        url=f"{BASE}/whatsapp_business/attachments/?mid=123&ext=1764230400&hash=h%2Bq%3D",
        match_headers={"D360-API-KEY": KEY},
        content=data,
        headers={"Content-Type": "image/jpeg"},
    )

    response = get_media_attachments.sync_detailed(
        client=client, mid="123", ext="1764230400", hash_="h+q="
    )

    request = httpx_mock.get_request()
    assert request is not None
    _assert_auth(request)
    assert request.url.path == "/whatsapp_business/attachments/"
    assert dict(request.url.params) == {"mid": "123", "ext": "1764230400", "hash": "h+q="}
    assert response.status_code == 200
    assert response.content == data
    assert isinstance(response.parsed, File)
    assert response.parsed.payload.read() == data


def test_get_media_attachments_403_parses_error(
    client: AuthenticatedClient, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(status_code=403, json={"error": "URL expired"})

    parsed = get_media_attachments.sync(client=client, mid="1", ext="2", hash_="3")

    assert parsed == ErrorResp(error="URL expired")


async def test_get_media_by_id_async(client: AuthenticatedClient, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="GET", url=f"{BASE}/{MEDIA_ID}", match_headers={"D360-API-KEY": KEY}, json=MEDIA_INFO
    )

    response = await get_media_by_id.asyncio_detailed(client=client, media_id=MEDIA_ID)

    assert response.status_code == 200
    assert response.parsed == MediaUrlResponse.from_dict(MEDIA_INFO)


async def test_get_media_attachments_async(
    client: AuthenticatedClient, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(content=b"\x00\x01binary", headers={"Content-Type": "audio/ogg"})

    response = await get_media_attachments.asyncio_detailed(
        client=client, mid="1", ext="2", hash_="3"
    )

    request = httpx_mock.get_request()
    assert request is not None
    _assert_auth(request)
    assert response.content == b"\x00\x01binary"


def test_media_url_response_round_trip_and_required_fields() -> None:
    info = MediaUrlResponse.from_dict(MEDIA_INFO)

    assert info.to_dict() == MEDIA_INFO
    missing = {k: v for k, v in MEDIA_INFO.items() if k != "sha256"}
    with pytest.raises(KeyError):
        MediaUrlResponse.from_dict(missing)
    json.dumps(info.to_dict())


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("function", ["sync", "sync_detailed", "asyncio", "asyncio_detailed"])
def test_every_endpoint_function_requires_authenticated_client(
    module: ModuleType, function: str
) -> None:
    func = getattr(module, function)

    hints = typing.get_type_hints(func)
    parameter = inspect.signature(func).parameters["client"]

    assert hints["client"] is AuthenticatedClient
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert parameter.default is inspect.Parameter.empty
    assert not issubclass(Client, AuthenticatedClient)
