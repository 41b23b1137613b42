from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.webhook_deliveries_status import WebhookDeliveriesStatus
from ...models.webhook_delivery_list import WebhookDeliveryList
from ...types import UNSET, Unset
from typing import cast
import datetime


def _get_kwargs(
    *,
    endpoint_id: str | Unset = UNSET,
    status: WebhookDeliveriesStatus | Unset = UNSET,
    event_id: str | Unset = UNSET,
    event_types: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["endpoint_id"] = endpoint_id

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["event_id"] = event_id

    json_event_types: list[str] | Unset = UNSET
    if not isinstance(event_types, Unset):
        json_event_types = event_types

    params["event_types"] = json_event_types

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    params["limit"] = limit

    params["cursor"] = cursor

    params["ending_before"] = ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhook_deliveries",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | WebhookDeliveryList | None:
    if response.status_code == 200:
        response_200 = WebhookDeliveryList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | WebhookDeliveryList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    endpoint_id: str | Unset = UNSET,
    status: WebhookDeliveriesStatus | Unset = UNSET,
    event_id: str | Unset = UNSET,
    event_types: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | WebhookDeliveryList]:
    """Deliveries, newest first.

     Deliveries, newest first.

    Runs GraphQL `query { webhookDeliveries }`.

    Args:
        endpoint_id (str | Unset):
        status (WebhookDeliveriesStatus | Unset):
        event_id (str | Unset):
        event_types (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | WebhookDeliveryList]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        event_id=event_id,
        event_types=event_types,
        created_after=created_after,
        created_before=created_before,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    endpoint_id: str | Unset = UNSET,
    status: WebhookDeliveriesStatus | Unset = UNSET,
    event_id: str | Unset = UNSET,
    event_types: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | WebhookDeliveryList | None:
    """Deliveries, newest first.

     Deliveries, newest first.

    Runs GraphQL `query { webhookDeliveries }`.

    Args:
        endpoint_id (str | Unset):
        status (WebhookDeliveriesStatus | Unset):
        event_id (str | Unset):
        event_types (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | WebhookDeliveryList
    """

    return sync_detailed(
        client=client,
        endpoint_id=endpoint_id,
        status=status,
        event_id=event_id,
        event_types=event_types,
        created_after=created_after,
        created_before=created_before,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    endpoint_id: str | Unset = UNSET,
    status: WebhookDeliveriesStatus | Unset = UNSET,
    event_id: str | Unset = UNSET,
    event_types: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | WebhookDeliveryList]:
    """Deliveries, newest first.

     Deliveries, newest first.

    Runs GraphQL `query { webhookDeliveries }`.

    Args:
        endpoint_id (str | Unset):
        status (WebhookDeliveriesStatus | Unset):
        event_id (str | Unset):
        event_types (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | WebhookDeliveryList]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        status=status,
        event_id=event_id,
        event_types=event_types,
        created_after=created_after,
        created_before=created_before,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    endpoint_id: str | Unset = UNSET,
    status: WebhookDeliveriesStatus | Unset = UNSET,
    event_id: str | Unset = UNSET,
    event_types: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | WebhookDeliveryList | None:
    """Deliveries, newest first.

     Deliveries, newest first.

    Runs GraphQL `query { webhookDeliveries }`.

    Args:
        endpoint_id (str | Unset):
        status (WebhookDeliveriesStatus | Unset):
        event_id (str | Unset):
        event_types (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | WebhookDeliveryList
    """

    return (
        await asyncio_detailed(
            client=client,
            endpoint_id=endpoint_id,
            status=status,
            event_id=event_id,
            event_types=event_types,
            created_after=created_after,
            created_before=created_before,
            limit=limit,
            cursor=cursor,
            ending_before=ending_before,
        )
    ).parsed
