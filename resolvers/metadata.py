"""``updateMetadata``: merge keys into the metadata of any object, found by its id's prefix.

Partners sync their own ids and tags into metadata from many systems at once; merging keys
(instead of replacing the object) lets two such writers touch different keys without losing
each other's. The write scope is the one that guards the object's other writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.auth.scopes import Scope
from app.ids import IdPrefix, prefix_of
from app.json_bounds import MAX_BYTES, json_size
from app.models import Asset, Character, Job, Project, Scene, Segment, Template
from resolvers.context import Context
from resolvers.permissions import require_scope
from resolvers.unit_of_work import unit_of_work
from resolvers.validation import Checker, InputErrorCode, not_found
from resolvers.writes import load_for_update

MAX_KEYS = 200


@dataclass(frozen=True, slots=True)
class MetadataKind:
    model: Any
    write_scope: Scope
    what: str


METADATA_KINDS: dict[IdPrefix, MetadataKind] = {
    IdPrefix.PROJECT: MetadataKind(Project, Scope.PROJECTS_WRITE, "Project"),
    IdPrefix.CHARACTER: MetadataKind(Character, Scope.CONTENT_WRITE, "Character"),
    IdPrefix.SCENE: MetadataKind(Scene, Scope.CONTENT_WRITE, "Scene"),
    IdPrefix.SEGMENT: MetadataKind(Segment, Scope.CONTENT_WRITE, "Segment"),
    IdPrefix.ASSET: MetadataKind(Asset, Scope.CONTENT_WRITE, "Asset"),
    IdPrefix.TEMPLATE: MetadataKind(Template, Scope.CONTENT_WRITE, "Template"),
    IdPrefix.JOB: MetadataKind(Job, Scope.JOBS_WRITE, "Job"),
}
"""Every kind of object with metadata; a new one must be added here to be reachable."""


def _check(values: Any, remove: Sequence[str]) -> None:
    check = Checker()
    check.json_object("set", values, max_keys=MAX_KEYS)
    if len(remove) > MAX_KEYS:
        check.add("remove", InputErrorCode.TOO_LONG, f"At most {MAX_KEYS} keys can be removed.")
    elif isinstance(values, dict):
        for index, key in enumerate(remove):
            if key in values:
                check.add(
                    ("remove", str(index)),
                    InputErrorCode.INVALID,
                    f"{key!r} is both set and removed.",
                )
    check.raise_if_any()


async def update_metadata(
    ctx: Context, object_id: str, values: Any, remove: Sequence[str] | None
) -> Any:
    """The changed row; its version grows (with an ``<aggregate>.updated`` event) only if the
    merged metadata differs from what was stored."""
    prefix = prefix_of(object_id)
    kind = METADATA_KINDS.get(prefix) if prefix is not None else None
    if kind is None:
        raise not_found(("input", "id"), "Object")
    require_scope(ctx, kind.write_scope)
    remove = list(remove or [])
    _check(values, remove)
    async with unit_of_work(ctx) as uow:
        row = await load_for_update(uow, kind.model, object_id, what=kind.what)
        merged = {**row.meta, **(values or {})}
        for key in remove:
            merged.pop(key, None)
        check = Checker()
        if len(merged) > MAX_KEYS:
            check.add("set", InputErrorCode.TOO_LONG, f"Metadata would exceed {MAX_KEYS} keys.")
        elif json_size(merged) > MAX_BYTES:
            check.add(
                "set",
                InputErrorCode.TOO_LONG,
                f"Metadata would be larger than {MAX_BYTES} bytes as JSON.",
            )
        check.raise_if_any()
        if merged != row.meta:
            row.meta = merged
            uow.changed(row)
    return row
