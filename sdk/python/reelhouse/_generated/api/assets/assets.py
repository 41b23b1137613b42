from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.asset_list import AssetList
from ...models.assets_review_status import AssetsReviewStatus
from ...models.assets_sort import AssetsSort
from ...models.assets_status import AssetsStatus
from ...models.assets_type import AssetsType
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast
import datetime


def _get_kwargs(
    *,
    project_id: str | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: str | Unset = UNSET,
    status: AssetsStatus | Unset = UNSET,
    review_status: AssetsReviewStatus | Unset = UNSET,
    type_: AssetsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    mime_type: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: AssetsSort | Unset = UNSET,
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

    json_review_status: str | Unset = UNSET
    if not isinstance(review_status, Unset):
        json_review_status = review_status.value

    params["review_status"] = json_review_status

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_.value

    params["type"] = json_type_

    params["tag"] = tag

    params["mime_type"] = mime_type

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
        "url": "/v1/assets",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AssetList | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AssetList.from_dict(response.json())

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
) -> Response[AssetList | ErrorResponse]:
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
    status: AssetsStatus | Unset = UNSET,
    review_status: AssetsReviewStatus | Unset = UNSET,
    type_: AssetsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    mime_type: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: AssetsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[AssetList | ErrorResponse]:
    """Assets of one project, or of every project the key sees if `project_id` is omitted.

     Assets of one project, or of every project the key sees if `project_id` is omitted.

    Runs GraphQL `query { assets }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        status (AssetsStatus | Unset):
        review_status (AssetsReviewStatus | Unset):
        type_ (AssetsType | Unset):
        tag (str | Unset):
        mime_type (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (AssetsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetList | ErrorResponse]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        status=status,
        review_status=review_status,
        type_=type_,
        tag=tag,
        mime_type=mime_type,
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
    status: AssetsStatus | Unset = UNSET,
    review_status: AssetsReviewStatus | Unset = UNSET,
    type_: AssetsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    mime_type: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: AssetsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> AssetList | ErrorResponse | None:
    """Assets of one project, or of every project the key sees if `project_id` is omitted.

     Assets of one project, or of every project the key sees if `project_id` is omitted.

    Runs GraphQL `query { assets }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        status (AssetsStatus | Unset):
        review_status (AssetsReviewStatus | Unset):
        type_ (AssetsType | Unset):
        tag (str | Unset):
        mime_type (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (AssetsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetList | ErrorResponse
    """

    return sync_detailed(
        client=client,
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        status=status,
        review_status=review_status,
        type_=type_,
        tag=tag,
        mime_type=mime_type,
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
    status: AssetsStatus | Unset = UNSET,
    review_status: AssetsReviewStatus | Unset = UNSET,
    type_: AssetsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    mime_type: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: AssetsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> Response[AssetList | ErrorResponse]:
    """Assets of one project, or of every project the key sees if `project_id` is omitted.

     Assets of one project, or of every project the key sees if `project_id` is omitted.

    Runs GraphQL `query { assets }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        status (AssetsStatus | Unset):
        review_status (AssetsReviewStatus | Unset):
        type_ (AssetsType | Unset):
        tag (str | Unset):
        mime_type (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (AssetsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetList | ErrorResponse]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        status=status,
        review_status=review_status,
        type_=type_,
        tag=tag,
        mime_type=mime_type,
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
    status: AssetsStatus | Unset = UNSET,
    review_status: AssetsReviewStatus | Unset = UNSET,
    type_: AssetsType | Unset = UNSET,
    tag: str | Unset = UNSET,
    mime_type: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    updated_before: datetime.datetime | Unset = UNSET,
    sort: AssetsSort | Unset = UNSET,
    ending_before: str | Unset = UNSET,
) -> AssetList | ErrorResponse | None:
    """Assets of one project, or of every project the key sees if `project_id` is omitted.

     Assets of one project, or of every project the key sees if `project_id` is omitted.

    Runs GraphQL `query { assets }`.

    Args:
        project_id (str | Unset):
        limit (int | Unset):  Default: 25.
        cursor (str | Unset):
        status (AssetsStatus | Unset):
        review_status (AssetsReviewStatus | Unset):
        type_ (AssetsType | Unset):
        tag (str | Unset):
        mime_type (str | Unset):
        updated_after (datetime.datetime | Unset):
        updated_before (datetime.datetime | Unset):
        sort (AssetsSort | Unset):
        ending_before (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetList | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            project_id=project_id,
            limit=limit,
            cursor=cursor,
            status=status,
            review_status=review_status,
            type_=type_,
            tag=tag,
            mime_type=mime_type,
            updated_after=updated_after,
            updated_before=updated_before,
            sort=sort,
            ending_before=ending_before,
        )
    ).parsed
