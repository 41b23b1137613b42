from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.manifest_list import ManifestList
from ...models.manifests_sort import ManifestsSort
from ...models.manifests_status import ManifestsStatus
from ...types import UNSET, Unset
from typing import cast


def _get_kwargs(
    *,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    manifest_id: str | Unset = UNSET,
    status: ManifestsStatus | Unset = UNSET,
    sort: ManifestsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["project_id"] = project_id

    params["limit"] = limit

    params["cursor"] = cursor

    params["manifest_id"] = manifest_id

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["ending_before"] = ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/manifests",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ManifestList | None:
    if response.status_code == 200:
        response_200 = ManifestList.from_dict(response.json())

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
) -> Response[ErrorResponse | ManifestList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    manifest_id: str | Unset = UNSET,
    status: ManifestsStatus | Unset = UNSET,
    sort: ManifestsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | ManifestList]:
    """Submitted manifests of one project, or of every project the key sees.

     Submitted manifests of one project, or of every project the key sees.

    Runs GraphQL `query { manifests }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        manifest_id (str | Unset):
        status (ManifestsStatus | Unset):
        sort (ManifestsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ManifestList]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        manifest_id=manifest_id,
        status=status,
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
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    manifest_id: str | Unset = UNSET,
    status: ManifestsStatus | Unset = UNSET,
    sort: ManifestsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | ManifestList | None:
    """Submitted manifests of one project, or of every project the key sees.

     Submitted manifests of one project, or of every project the key sees.

    Runs GraphQL `query { manifests }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        manifest_id (str | Unset):
        status (ManifestsStatus | Unset):
        sort (ManifestsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ManifestList
    """

    return sync_detailed(
        client=client,
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        manifest_id=manifest_id,
        status=status,
        sort=sort,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    manifest_id: str | Unset = UNSET,
    status: ManifestsStatus | Unset = UNSET,
    sort: ManifestsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | ManifestList]:
    """Submitted manifests of one project, or of every project the key sees.

     Submitted manifests of one project, or of every project the key sees.

    Runs GraphQL `query { manifests }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        manifest_id (str | Unset):
        status (ManifestsStatus | Unset):
        sort (ManifestsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ManifestList]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        manifest_id=manifest_id,
        status=status,
        sort=sort,
        ending_before=ending_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    manifest_id: str | Unset = UNSET,
    status: ManifestsStatus | Unset = UNSET,
    sort: ManifestsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | ManifestList | None:
    """Submitted manifests of one project, or of every project the key sees.

     Submitted manifests of one project, or of every project the key sees.

    Runs GraphQL `query { manifests }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        manifest_id (str | Unset):
        status (ManifestsStatus | Unset):
        sort (ManifestsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ManifestList
    """

    return (
        await asyncio_detailed(
            client=client,
            project_id=project_id,
            limit=limit,
            cursor=cursor,
            manifest_id=manifest_id,
            status=status,
            sort=sort,
            ending_before=ending_before,
        )
    ).parsed
