from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...models.media_url_response import MediaUrlResponse
from ...types import Response


def _get_kwargs(
    media_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/{media_id}".format(
            media_id=quote(str(media_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | MediaUrlResponse | None:
    if response.status_code == 200:
        response_200 = MediaUrlResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResp.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResp.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResp.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResp.from_dict(response.json())

        return response_404

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
) -> Response[ErrorResp | MediaUrlResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    media_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorResp | MediaUrlResponse]:
    """Get Media by ID

     Retrieve media URL and metadata by media ID. URL is valid for 5 minutes. Includes security
    validation.

    Args:
        media_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | MediaUrlResponse]
    """

    kwargs = _get_kwargs(
        media_id=media_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    media_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorResp | MediaUrlResponse | None:
    """Get Media by ID

     Retrieve media URL and metadata by media ID. URL is valid for 5 minutes. Includes security
    validation.

    Args:
        media_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | MediaUrlResponse
    """

    return sync_detailed(
        media_id=media_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    media_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorResp | MediaUrlResponse]:
    """Get Media by ID

     Retrieve media URL and metadata by media ID. URL is valid for 5 minutes. Includes security
    validation.

    Args:
        media_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | MediaUrlResponse]
    """

    kwargs = _get_kwargs(
        media_id=media_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    media_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorResp | MediaUrlResponse | None:
    """Get Media by ID

     Retrieve media URL and metadata by media ID. URL is valid for 5 minutes. Includes security
    validation.

    Args:
        media_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | MediaUrlResponse
    """

    return (
        await asyncio_detailed(
            media_id=media_id,
            client=client,
        )
    ).parsed
