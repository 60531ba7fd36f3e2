from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.meta_error import MetaError
from ...models.send_message_request import SendMessageRequest
from ...models.send_message_response import SendMessageResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SendMessageRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/messages",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MetaError | SendMessageResponse | None:
    if response.status_code == 200:
        response_200 = SendMessageResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = MetaError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = MetaError.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = MetaError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = MetaError.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MetaError | SendMessageResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
) -> Response[MetaError | SendMessageResponse]:
    """Send Message

     Send a text or media message. Not idempotent: a retry may send the message twice.

    Args:
        body (SendMessageRequest): A text or media message to one WhatsApp user Example: {'image':
            {'caption': 'Your receipt', 'id': '1234567890123456'}, 'messaging_product': 'whatsapp',
            'recipient_type': 'individual', 'to': '4915112345678', 'type': 'image'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MetaError | SendMessageResponse]
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
    body: SendMessageRequest,
) -> MetaError | SendMessageResponse | None:
    """Send Message

     Send a text or media message. Not idempotent: a retry may send the message twice.

    Args:
        body (SendMessageRequest): A text or media message to one WhatsApp user Example: {'image':
            {'caption': 'Your receipt', 'id': '1234567890123456'}, 'messaging_product': 'whatsapp',
            'recipient_type': 'individual', 'to': '4915112345678', 'type': 'image'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MetaError | SendMessageResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
) -> Response[MetaError | SendMessageResponse]:
    """Send Message

     Send a text or media message. Not idempotent: a retry may send the message twice.

    Args:
        body (SendMessageRequest): A text or media message to one WhatsApp user Example: {'image':
            {'caption': 'Your receipt', 'id': '1234567890123456'}, 'messaging_product': 'whatsapp',
            'recipient_type': 'individual', 'to': '4915112345678', 'type': 'image'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MetaError | SendMessageResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
) -> MetaError | SendMessageResponse | None:
    """Send Message

     Send a text or media message. Not idempotent: a retry may send the message twice.

    Args:
        body (SendMessageRequest): A text or media message to one WhatsApp user Example: {'image':
            {'caption': 'Your receipt', 'id': '1234567890123456'}, 'messaging_product': 'whatsapp',
            'recipient_type': 'individual', 'to': '4915112345678', 'type': 'image'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MetaError | SendMessageResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
