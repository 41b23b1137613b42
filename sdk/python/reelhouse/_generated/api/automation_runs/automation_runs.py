from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.automation_run_list import AutomationRunList
from ...models.automation_runs_status import AutomationRunsStatus
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast


def _get_kwargs(
    *,
    automation_id: str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    status: AutomationRunsStatus | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["automation_id"] = automation_id

    params["project_id"] = project_id

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["limit"] = limit

    params["cursor"] = cursor

    params["ending_before"] = ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/automation_runs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AutomationRunList | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AutomationRunList.from_dict(response.json())

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
) -> Response[AutomationRunList | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    automation_id: str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    status: AutomationRunsStatus | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[AutomationRunList | ErrorResponse]:
    """Automation runs with their status, input, output, error and timings, newest first.

     Automation runs with their status, input, output, error and timings, newest first.

    Runs GraphQL `query { automationRuns }`.

    Args:
        automation_id (str | Unset):
        project_id (str | Unset):
        status (AutomationRunsStatus | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AutomationRunList | ErrorResponse]
    """

    kwargs = _get_kwargs(
        automation_id=automation_id,
        project_id=project_id,
        status=status,
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
    automation_id: str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    status: AutomationRunsStatus | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> AutomationRunList | ErrorResponse | None:
    """Automation runs with their status, input, output, error and timings, newest first.

     Automation runs with their status, input, output, error and timings, newest first.

    Runs GraphQL `query { automationRuns }`.

    Args:
        automation_id (str | Unset):
        project_id (str | Unset):
        status (AutomationRunsStatus | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AutomationRunList | ErrorResponse
    """

    return sync_detailed(
        client=client,
        automation_id=automation_id,
        project_id=project_id,
        status=status,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    automation_id: str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    status: AutomationRunsStatus | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[AutomationRunList | ErrorResponse]:
    """Automation runs with their status, input, output, error and timings, newest first.

     Automation runs with their status, input, output, error and timings, newest first.

    Runs GraphQL `query { automationRuns }`.

    Args:
        automation_id (str | Unset):
        project_id (str | Unset):
        status (AutomationRunsStatus | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AutomationRunList | ErrorResponse]
    """

    kwargs = _get_kwargs(
        automation_id=automation_id,
        project_id=project_id,
        status=status,
        limit=limit,
        cursor=cursor,
        ending_before=ending_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    automation_id: str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    status: AutomationRunsStatus | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> AutomationRunList | ErrorResponse | None:
    """Automation runs with their status, input, output, error and timings, newest first.

     Automation runs with their status, input, output, error and timings, newest first.

    Runs GraphQL `query { automationRuns }`.

    Args:
        automation_id (str | Unset):
        project_id (str | Unset):
        status (AutomationRunsStatus | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AutomationRunList | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            automation_id=automation_id,
            project_id=project_id,
            status=status,
            limit=limit,
            cursor=cursor,
            ending_before=ending_before,
        )
    ).parsed
