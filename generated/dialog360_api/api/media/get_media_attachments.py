from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    mid: str,
    ext: str,
    hash_: str,
    range_: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(range_, Unset):
        headers["Range"] = range_

    params: dict[str, Any] = {}

    params["mid"] = mid

    params["ext"] = ext

    params["hash"] = hash_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/whatsapp_business/attachments/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 206:
        response_206 = File(payload=BytesIO(response.content))

        return response_206

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

    if response.status_code == 416:
        response_416 = ErrorResp.from_dict(response.json())

        return response_416

    if response.status_code == 500:
        response_500 = ErrorResp.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResp | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    mid: str,
    ext: str,
    hash_: str,
    range_: str | Unset = UNSET,
) -> Response[ErrorResp | File]:
    """Get Media Attachments

     Retrieve media attachments from WhatsApp Business attachments service.

    Args:
        mid (str):
        ext (str):
        hash_ (str):
        range_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | File]
    """

    kwargs = _get_kwargs(
        mid=mid,
        ext=ext,
        hash_=hash_,
        range_=range_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    mid: str,
    ext: str,
    hash_: str,
    range_: str | Unset = UNSET,
) -> ErrorResp | File | None:
    """Get Media Attachments

     Retrieve media attachments from WhatsApp Business attachments service.

    Args:
        mid (str):
        ext (str):
        hash_ (str):
        range_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | File
    """

    return sync_detailed(
        client=client,
        mid=mid,
        ext=ext,
        hash_=hash_,
        range_=range_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    mid: str,
    ext: str,
    hash_: str,
    range_: str | Unset = UNSET,
) -> Response[ErrorResp | File]:
    """Get Media Attachments

     Retrieve media attachments from WhatsApp Business attachments service.

    Args:
        mid (str):
        ext (str):
        hash_ (str):
        range_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | File]
    """

    kwargs = _get_kwargs(
        mid=mid,
        ext=ext,
        hash_=hash_,
        range_=range_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    mid: str,
    ext: str,
    hash_: str,
    range_: str | Unset = UNSET,
) -> ErrorResp | File | None:
    """Get Media Attachments

     Retrieve media attachments from WhatsApp Business attachments service.

    Args:
        mid (str):
        ext (str):
        hash_ (str):
        range_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | File
    """

    return (
        await asyncio_detailed(
            client=client,
            mid=mid,
            ext=ext,
            hash_=hash_,
            range_=range_,
        )
    ).parsed
