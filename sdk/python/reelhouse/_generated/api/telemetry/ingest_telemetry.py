from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.ingest_telemetry_body import IngestTelemetryBody
from ...models.ingest_telemetry_response_200 import IngestTelemetryResponse200
from typing import cast


def _get_kwargs(
    *,
    body: IngestTelemetryBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/telemetry/events",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | IngestTelemetryResponse200 | None:
    if response.status_code == 200:
        response_200 = IngestTelemetryResponse200.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorResponse.from_dict(response.json())

        return response_415

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
) -> Response[ErrorResponse | IngestTelemetryResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IngestTelemetryBody,
) -> Response[ErrorResponse | IngestTelemetryResponse200]:
    """Store 1-500 telemetry events. Each is checked on its own: refused ones are listed with their index,
    the others stored; duplicates of an `insert_id` seen in the last 7 days are accepted and not stored
    twice. A `telemetry.flushed` event follows each batch that stored something. Costs 10 write points
    plus one per 10 events (a full batch of 500: 60).

     Store 1-500 telemetry events. Each is checked on its own: refused ones are listed with their index,
    the others stored; duplicates of an `insert_id` seen in the last 7 days are accepted and not stored
    twice. A `telemetry.flushed` event follows each batch that stored something. Costs 10 write points
    plus one per 10 events (a full batch of 500: 60).

    Runs GraphQL `mutation { ingestTelemetry }`.

    Args:
        body (IngestTelemetryBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | IngestTelemetryResponse200]
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
    client: AuthenticatedClient | Client,
    body: IngestTelemetryBody,
) -> ErrorResponse | IngestTelemetryResponse200 | None:
    """Store 1-500 telemetry events. Each is checked on its own: refused ones are listed with their index,
    the others stored; duplicates of an `insert_id` seen in the last 7 days are accepted and not stored
    twice. A `telemetry.flushed` event follows each batch that stored something. Costs 10 write points
    plus one per 10 events (a full batch of 500: 60).

     Store 1-500 telemetry events. Each is checked on its own: refused ones are listed with their index,
    the others stored; duplicates of an `insert_id` seen in the last 7 days are accepted and not stored
    twice. A `telemetry.flushed` event follows each batch that stored something. Costs 10 write points
    plus one per 10 events (a full batch of 500: 60).

    Runs GraphQL `mutation { ingestTelemetry }`.

    Args:
        body (IngestTelemetryBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | IngestTelemetryResponse200
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IngestTelemetryBody,
) -> Response[ErrorResponse | IngestTelemetryResponse200]:
    """Store 1-500 telemetry events. Each is checked on its own: refused ones are listed with their index,
    the others stored; duplicates of an `insert_id` seen in the last 7 days are accepted and not stored
    twice. A `telemetry.flushed` event follows each batch that stored something. Costs 10 write points
    plus one per 10 events (a full batch of 500: 60).

     Store 1-500 telemetry events. Each is checked on its own: refused ones are listed with their index,
    the others stored; duplicates of an `insert_id` seen in the last 7 days are accepted and not stored
    twice. A `telemetry.flushed` event follows each batch that stored something. Costs 10 write points
    plus one per 10 events (a full batch of 500: 60).

    Runs GraphQL `mutation { ingestTelemetry }`.

    Args:
        body (IngestTelemetryBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | IngestTelemetryResponse200]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: IngestTelemetryBody,
) -> ErrorResponse | IngestTelemetryResponse200 | None:
    """Store 1-500 telemetry events. Each is checked on its own: refused ones are listed with their index,
    the others stored; duplicates of an `insert_id` seen in the last 7 days are accepted and not stored
    twice. A `telemetry.flushed` event follows each batch that stored something. Costs 10 write points
    plus one per 10 events (a full batch of 500: 60).

     Store 1-500 telemetry events. Each is checked on its own: refused ones are listed with their index,
    the others stored; duplicates of an `insert_id` seen in the last 7 days are accepted and not stored
    twice. A `telemetry.flushed` event follows each batch that stored something. Costs 10 write points
    plus one per 10 events (a full batch of 500: 60).

    Runs GraphQL `mutation { ingestTelemetry }`.

    Args:
        body (IngestTelemetryBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | IngestTelemetryResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
