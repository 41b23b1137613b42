from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.job_list import JobList
from ...models.jobs_kind import JobsKind
from ...models.jobs_sort import JobsSort
from ...models.jobs_status import JobsStatus
from ...types import UNSET, Unset
from typing import cast
import datetime


def _get_kwargs(
    *,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    status: JobsStatus | Unset = UNSET,
    kind: JobsKind | Unset = UNSET,
    template_id: str | Unset = UNSET,
    claimed_by: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: JobsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["project_id"] = project_id

    params["limit"] = limit

    params["cursor"] = cursor

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params["template_id"] = template_id

    params["claimed_by"] = claimed_by

    json_updated_after: str | Unset = UNSET
    if not isinstance(updated_after, Unset):
        json_updated_after = updated_after.isoformat()
    params["updated_after"] = json_updated_after

    json_updated_before: str | Unset = UNSET
    if not isinstance(updated_before, Unset):
        json_updated_before = updated_before.isoformat()
    params["updated_before"] = json_updated_before

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["ending_before"] = ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | JobList | None:
    if response.status_code == 200:
        response_200 = JobList.from_dict(response.json())

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
) -> Response[ErrorResponse | JobList]:
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
    status: JobsStatus | Unset = UNSET,
    kind: JobsKind | Unset = UNSET,
    template_id: str | Unset = UNSET,
    claimed_by: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: JobsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | JobList]:
    """Jobs of one project, or of every project the key sees (a render farm's `jobs:execute` key: the jobs
    it claimed).

     Jobs of one project, or of every project the key sees (a render farm's `jobs:execute` key: the jobs
    it claimed).

    Runs GraphQL `query { jobs }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        status (JobsStatus | Unset):
        kind (JobsKind | Unset):
        template_id (str | Unset):
        claimed_by (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (JobsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | JobList]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        status=status,
        kind=kind,
        template_id=template_id,
        claimed_by=claimed_by,
        updated_after=updated_after,
        updated_before=updated_before,
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
    status: JobsStatus | Unset = UNSET,
    kind: JobsKind | Unset = UNSET,
    template_id: str | Unset = UNSET,
    claimed_by: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: JobsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | JobList | None:
    """Jobs of one project, or of every project the key sees (a render farm's `jobs:execute` key: the jobs
    it claimed).

     Jobs of one project, or of every project the key sees (a render farm's `jobs:execute` key: the jobs
    it claimed).

    Runs GraphQL `query { jobs }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        status (JobsStatus | Unset):
        kind (JobsKind | Unset):
        template_id (str | Unset):
        claimed_by (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (JobsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | JobList
    """

    return sync_detailed(
        client=client,
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        status=status,
        kind=kind,
        template_id=template_id,
        claimed_by=claimed_by,
        updated_after=updated_after,
        updated_before=updated_before,
        sort=sort,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    status: JobsStatus | Unset = UNSET,
    kind: JobsKind | Unset = UNSET,
    template_id: str | Unset = UNSET,
    claimed_by: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: JobsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[ErrorResponse | JobList]:
    """Jobs of one project, or of every project the key sees (a render farm's `jobs:execute` key: the jobs
    it claimed).

     Jobs of one project, or of every project the key sees (a render farm's `jobs:execute` key: the jobs
    it claimed).

    Runs GraphQL `query { jobs }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        status (JobsStatus | Unset):
        kind (JobsKind | Unset):
        template_id (str | Unset):
        claimed_by (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (JobsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | JobList]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        status=status,
        kind=kind,
        template_id=template_id,
        claimed_by=claimed_by,
        updated_after=updated_after,
        updated_before=updated_before,
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
    status: JobsStatus | Unset = UNSET,
    kind: JobsKind | Unset = UNSET,
    template_id: str | Unset = UNSET,
    claimed_by: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: JobsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> ErrorResponse | JobList | None:
    """Jobs of one project, or of every project the key sees (a render farm's `jobs:execute` key: the jobs
    it claimed).

     Jobs of one project, or of every project the key sees (a render farm's `jobs:execute` key: the jobs
    it claimed).

    Runs GraphQL `query { jobs }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        status (JobsStatus | Unset):
        kind (JobsKind | Unset):
        template_id (str | Unset):
        claimed_by (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (JobsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | JobList
    """

    return (
        await asyncio_detailed(
            client=client,
            project_id=project_id,
            limit=limit,
            cursor=cursor,
            status=status,
            kind=kind,
            template_id=template_id,
            claimed_by=claimed_by,
            updated_after=updated_after,
            updated_before=updated_before,
            sort=sort,
            ending_before=ending_before,
        )
    ).parsed
