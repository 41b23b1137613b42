from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.submit_manifest_body import SubmitManifestBody
from ...models.submit_manifest_response_201 import SubmitManifestResponse201
from typing import cast


def _get_kwargs(
    project_id: str,
    *,
    body: SubmitManifestBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/{project_id}/manifests".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SubmitManifestResponse201 | None:
    if response.status_code == 201:
        response_201 = SubmitManifestResponse201.from_dict(response.json())

        return response_201

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
) -> Response[ErrorResponse | SubmitManifestResponse201]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitManifestBody,
) -> Response[ErrorResponse | SubmitManifestResponse201]:
    """Store a manifest version for a project and check it against its schema: a valid one registers its
    assets, an invalid one lists every error by JSON Pointer. The same (`manifest_id`, `version`) again
    with the same document changes nothing; with another document it is CONFLICT.

     Store a manifest version for a project and check it against its schema: a valid one registers its
    assets, an invalid one lists every error by JSON Pointer. The same (`manifest_id`, `version`) again
    with the same document changes nothing; with another document it is CONFLICT.

    Runs GraphQL `mutation { submitManifest }`.

    Args:
        project_id (str):
        body (SubmitManifestBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SubmitManifestResponse201]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitManifestBody,
) -> ErrorResponse | SubmitManifestResponse201 | None:
    """Store a manifest version for a project and check it against its schema: a valid one registers its
    assets, an invalid one lists every error by JSON Pointer. The same (`manifest_id`, `version`) again
    with the same document changes nothing; with another document it is CONFLICT.

     Store a manifest version for a project and check it against its schema: a valid one registers its
    assets, an invalid one lists every error by JSON Pointer. The same (`manifest_id`, `version`) again
    with the same document changes nothing; with another document it is CONFLICT.

    Runs GraphQL `mutation { submitManifest }`.

    Args:
        project_id (str):
        body (SubmitManifestBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SubmitManifestResponse201
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitManifestBody,
) -> Response[ErrorResponse | SubmitManifestResponse201]:
    """Store a manifest version for a project and check it against its schema: a valid one registers its
    assets, an invalid one lists every error by JSON Pointer. The same (`manifest_id`, `version`) again
    with the same document changes nothing; with another document it is CONFLICT.

     Store a manifest version for a project and check it against its schema: a valid one registers its
    assets, an invalid one lists every error by JSON Pointer. The same (`manifest_id`, `version`) again
    with the same document changes nothing; with another document it is CONFLICT.

    Runs GraphQL `mutation { submitManifest }`.

    Args:
        project_id (str):
        body (SubmitManifestBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SubmitManifestResponse201]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SubmitManifestBody,
) -> ErrorResponse | SubmitManifestResponse201 | None:
    """Store a manifest version for a project and check it against its schema: a valid one registers its
    assets, an invalid one lists every error by JSON Pointer. The same (`manifest_id`, `version`) again
    with the same document changes nothing; with another document it is CONFLICT.

     Store a manifest version for a project and check it against its schema: a valid one registers its
    assets, an invalid one lists every error by JSON Pointer. The same (`manifest_id`, `version`) again
    with the same document changes nothing; with another document it is CONFLICT.

    Runs GraphQL `mutation { submitManifest }`.

    Args:
        project_id (str):
        body (SubmitManifestBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SubmitManifestResponse201
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
