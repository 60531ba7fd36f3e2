from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...models.upload_media_request import UploadMediaRequest
from ...models.upload_media_response import UploadMediaResponse
from ...types import Response


def _get_kwargs(
    *,
    body: UploadMediaRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/media",
    }

    _kwargs["files"] = body.to_multipart()

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | UploadMediaResponse | None:
    if response.status_code == 200:
        response_200 = UploadMediaResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResp.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResp.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = ErrorResp.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ErrorResp.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResp.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResp | UploadMediaResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadMediaRequest,
) -> Response[ErrorResp | UploadMediaResponse]:
    """Upload Media

     Upload a media file to Meta's storage; the id is valid for 30 days.

    Args:
        body (UploadMediaRequest): Multipart form of a media upload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | UploadMediaResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: UploadMediaRequest,
) -> ErrorResp | UploadMediaResponse | None:
    """Upload Media

     Upload a media file to Meta's storage; the id is valid for 30 days.

    Args:
        body (UploadMediaRequest): Multipart form of a media upload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | UploadMediaResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadMediaRequest,
) -> Response[ErrorResp | UploadMediaResponse]:
    """Upload Media

     Upload a media file to Meta's storage; the id is valid for 30 days.

    Args:
        body (UploadMediaRequest): Multipart form of a media upload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | UploadMediaResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UploadMediaRequest,
) -> ErrorResp | UploadMediaResponse | None:
    """Upload Media

     Upload a media file to Meta's storage; the id is valid for 30 days.

    Args:
        body (UploadMediaRequest): Multipart form of a media upload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | UploadMediaResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
