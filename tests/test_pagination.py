"""Connections page both ways (``first``/``after`` and ``last``/``before``; REST ``cursor`` and
``ending_before``) with exact ``hasPreviousPage``/``hasNextPage``, and one page-size cap on
both transports."""

from __future__ import annotations

from typing import Any

from tests.api_client import Api
from tests.conftest import Tenant

PROJECTS = """
query($first: Int, $after: String, $last: Int, $before: String) {
  projects(first: $first, after: $after, last: $last, before: $before,
           orderBy: {field: NAME, direction: ASC}) {
    nodes { slug }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def _projects(api: Api, count: int) -> list[str]:
    slugs = [f"page-{i:02d}" for i in range(count)]
    for slug in slugs:
        (await api.create("projects", {"slug": slug, "name": slug})).ok()
    return slugs


def _slugs(outcome: Any) -> list[str]:
    return [item["slug"] for item in outcome.ok()]


async def test_rest_and_graphql_page_backwards_to_the_start(api: Api) -> None:
    slugs = await _projects(api, 7)
    forward: list[str] = []
    cursor: dict[str, str] = {}
    pages = []
    while True:
        page = await api.list("projects", limit=3, sort="name", **cursor)
        forward += _slugs(page)
        pages.append(page)
        if not page.has_more:
            break
        cursor = {"cursor": page.next_cursor or ""}
    assert forward == slugs
    assert [p.previous_cursor is None for p in pages] == [True, False, False]
    backward: list[str] = []
    before = pages[-1].previous_cursor
    while before is not None:
        page = await api.list("projects", limit=3, sort="name", ending_before=before)
        backward = _slugs(page) + backward
        assert page.has_more, "the page a backward walk came from is still ahead"
        before = page.previous_cursor
    assert backward == slugs[:6]


async def test_last_without_a_cursor_is_the_end_of_the_list(api: Api) -> None:
    slugs = await _projects(api, 5)
    tail = await api.list("projects", limit=2, sort="name", ending_before="")
    assert _slugs(tail) == slugs[3:] and tail.has_more is False
    first = await api.list("projects", limit=2, sort="name")
    middle = await api.list("projects", limit=2, sort="name", cursor=first.next_cursor)
    back = await api.list("projects", limit=5, sort="name", ending_before=middle.previous_cursor)
    assert _slugs(back) == slugs[:2] and back.previous_cursor is None and back.has_more


async def test_graphql_last_and_before(tenant: Tenant) -> None:
    api = Api(tenant.http, tenant.token, "graphql", tenant)
    slugs = await _projects(api, 5)
    last = (await tenant.gql(PROJECTS, {"last": 2})).ok()["projects"]
    assert [n["slug"] for n in last["nodes"]] == slugs[3:]
    assert (last["pageInfo"]["hasPreviousPage"], last["pageInfo"]["hasNextPage"]) == (True, False)
    before = await tenant.gql(PROJECTS, {"last": 2, "before": last["pageInfo"]["startCursor"]})
    page = before.ok()["projects"]
    assert [n["slug"] for n in page["nodes"]] == slugs[1:3]
    assert (page["pageInfo"]["hasPreviousPage"], page["pageInfo"]["hasNextPage"]) == (True, True)
    start = (await tenant.gql(PROJECTS, {"first": 2})).ok()["projects"]
    assert start["pageInfo"]["hasPreviousPage"] is False
    after = await tenant.gql(PROJECTS, {"first": 2, "after": start["pageInfo"]["endCursor"]})
    assert after.ok()["projects"]["pageInfo"]["hasPreviousPage"] is True
    ranged = await tenant.gql(
        PROJECTS,
        {"after": start["pageInfo"]["startCursor"], "before": last["pageInfo"]["endCursor"]},
    )
    assert [n["slug"] for n in ranged.ok()["projects"]["nodes"]] == slugs[1:4]
    both = await tenant.gql(PROJECTS, {"first": 1, "last": 1})
    assert both.codes == ["VALIDATION_FAILED"]


async def test_one_page_size_cap_on_both_transports(api: Api) -> None:
    over = await api.list("projects", limit=101)
    assert (over.error, over.fields) == ("VALIDATION_FAILED", [("limit", "OUT_OF_RANGE")])
    over.on_rest(422)
    backward = await api.list("projects", limit=101, ending_before="x")
    assert backward.error == "VALIDATION_FAILED"
    assert (await api.list("projects", limit=100)).ok() == []


def test_every_connection_pages_both_ways() -> None:
    """``query_field`` gives every connection ``last``/``before``: a list added later gets
    them without asking."""
    from graphql import get_named_type

    from rest_compat.api import graphql_schema_of
    from schema import build_schema

    schema = graphql_schema_of(build_schema())
    connections = [
        (type_.name, name, field)
        for type_ in schema.type_map.values()
        if not type_.name.startswith("__")
        for name, field in (getattr(type_, "fields", None) or {}).items()
        if getattr(get_named_type(field.type), "name", "").endswith("Connection")
    ]
    assert len(connections) >= 12
    for type_name, name, field in connections:
        assert {"first", "after", "last", "before"} <= set(field.args), f"{type_name}.{name}"
