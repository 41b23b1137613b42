from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.asset import Asset
from ...models.error_response import ErrorResponse
from ...models.update_asset_body import UpdateAssetBody
from ...types import UNSET, Unset
from typing import cast


def _get_kwargs(
    id: str,
    *,
    body: UpdateAssetBody | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/assets/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Asset | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = Asset.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[Asset | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateAssetBody | Unset = UNSET,
) -> Response[Asset | ErrorResponse]:
    """Change fields of an asset; omitted fields are kept. Pointing a reviewed asset at another file
    (`url`, `sha256`, `size_bytes`, `mime_type`) resets its review to `pending`.

     Change fields of an asset; omitted fields are kept. Pointing a reviewed asset at another file
    (`url`, `sha256`, `size_bytes`, `mime_type`) resets its review to `pending`.

    Runs GraphQL `mutation { updateAsset }`.

    Args:
        id (str):
        body (UpdateAssetBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Asset | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateAssetBody | Unset = UNSET,
) -> Asset | ErrorResponse | None:
    """Change fields of an asset; omitted fields are kept. Pointing a reviewed asset at another file
    (`url`, `sha256`, `size_bytes`, `mime_type`) resets its review to `pending`.

     Change fields of an asset; omitted fields are kept. Pointing a reviewed asset at another file
    (`url`, `sha256`, `size_bytes`, `mime_type`) resets its review to `pending`.

    Runs GraphQL `mutation { updateAsset }`.

    Args:
        id (str):
        body (UpdateAssetBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Asset | ErrorResponse
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateAssetBody | Unset = UNSET,
) -> Response[Asset | ErrorResponse]:
    """Change fields of an asset; omitted fields are kept. Pointing a reviewed asset at another file
    (`url`, `sha256`, `size_bytes`, `mime_type`) resets its review to `pending`.

     Change fields of an asset; omitted fields are kept. Pointing a reviewed asset at another file
    (`url`, `sha256`, `size_bytes`, `mime_type`) resets its review to `pending`.

    Runs GraphQL `mutation { updateAsset }`.

    Args:
        id (str):
        body (UpdateAssetBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Asset | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateAssetBody | Unset = UNSET,
) -> Asset | ErrorResponse | None:
    """Change fields of an asset; omitted fields are kept. Pointing a reviewed asset at another file
    (`url`, `sha256`, `size_bytes`, `mime_type`) resets its review to `pending`.

     Change fields of an asset; omitted fields are kept. Pointing a reviewed asset at another file
    (`url`, `sha256`, `size_bytes`, `mime_type`) resets its review to `pending`.

    Runs GraphQL `mutation { updateAsset }`.

    Args:
        id (str):
        body (UpdateAssetBody | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Asset | ErrorResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
