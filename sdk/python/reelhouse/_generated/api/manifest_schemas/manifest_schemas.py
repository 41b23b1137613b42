from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.manifest_schema_list import ManifestSchemaList
from ...models.manifest_schemas_sort import ManifestSchemasSort
from ...types import UNSET, Unset
from typing import cast


def _get_kwargs(
    *,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    name: str | Unset = UNSET,
    sort: ManifestSchemasSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["name"] = name

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["ending_before"] = ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/manifest_schemas",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ManifestSchemaList | None:
    if response.status_code == 200:
        response_200 = ManifestSchemaList.from_dict(response.json())

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
) -> Response[ErrorResponse | ManifestSchemaList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    name: str | Unset = UNSET,
    sort: ManifestSchemasSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | ManifestSchemaList]:
    """The organisation's manifest schemas and the built-in ones.

     The organisation's manifest schemas and the built-in ones.

    Runs GraphQL `query { manifestSchemas }`.

    Args:
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        name (str | Unset):
        sort (ManifestSchemasSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ManifestSchemaList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        name=name,
        sort=sort,
        ending_before=ending_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    name: str | Unset = UNSET,
    sort: ManifestSchemasSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | ManifestSchemaList | None:
    """The organisation's manifest schemas and the built-in ones.

     The organisation's manifest schemas and the built-in ones.

    Runs GraphQL `query { manifestSchemas }`.

    Args:
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        name (str | Unset):
        sort (ManifestSchemasSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ManifestSchemaList
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        name=name,
        sort=sort,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    name: str | Unset = UNSET,
    sort: ManifestSchemasSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | ManifestSchemaList]:
    """The organisation's manifest schemas and the built-in ones.

     The organisation's manifest schemas and the built-in ones.

    Runs GraphQL `query { manifestSchemas }`.

    Args:
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        name (str | Unset):
        sort (ManifestSchemasSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ManifestSchemaList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        name=name,
        sort=sort,
        ending_before=ending_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    name: str | Unset = UNSET,
    sort: ManifestSchemasSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | ManifestSchemaList | None:
    """The organisation's manifest schemas and the built-in ones.

     The organisation's manifest schemas and the built-in ones.

    Runs GraphQL `query { manifestSchemas }`.

    Args:
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        name (str | Unset):
        sort (ManifestSchemasSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ManifestSchemaList
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            name=name,
            sort=sort,
            ending_before=ending_before,
        )
    ).parsed
