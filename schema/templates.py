"""Templates in the GraphQL contract."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.ids import IdPrefix
from app.models import Project, Template
from app.traffic.cost import FieldCost
from resolvers import templates as logic
from resolvers.template_variables import MAX_VARIABLES, VariableDefinition, definitions_of
from resolvers.template_variables import VariableType as VariableTypeValue
from schema.connections import Connection, order_by_input, ordering
from schema.costs import cost_metadata
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.inputs import changes_of
from schema.models import FromRow, Node
from schema.node import register_node
from schema.projects import ProjectType
from schema.scalars import JSON

TemplateVariableType = strawberry.enum(VariableTypeValue, name="TemplateVariableType")


@strawberry.type(description="A value a job fills into the template's `{{key}}` placeholders.")
class TemplateVariable:
    key: str = strawberry.field(description="`^[a-zA-Z_][a-zA-Z0-9_]{0,63}$`, unique.")
    type: TemplateVariableType  # type: ignore[valid-type]
    required: bool = strawberry.field(description="A job must give it unless it has a default.")
    default: JSON | None = strawberry.field(description="Used when a job does not give one.")
    options: list[str] | None = strawberry.field(description="The allowed values of a select.")

    @classmethod
    def of(cls, definition: VariableDefinition) -> TemplateVariable:
        return cls(
            key=definition.key,
            type=definition.type,
            required=definition.required,
            default=definition.default,
            options=list(definition.options) if definition.options is not None else None,
        )


def _declared_variables(root: TemplateType) -> list[TemplateVariable]:
    return [TemplateVariable.of(d) for d in definitions_of(root.stored().variables)]


def _unused_variables(root: TemplateType) -> list[str]:
    return logic.template_unused_variables(root.stored())


@strawberry.type(
    name="Template",
    description="A style (JSON) with `{{key}}` placeholders and the variables jobs fill in. "
    "A string that is exactly one placeholder takes the value with its type; placeholders "
    "inside longer text take the value as text.",
)
class TemplateType(FromRow, Node):
    project_id: strawberry.ID
    name: str
    description: str
    style: JSON | None
    metadata: JSON | None
    version: int = strawberry.field(description="Grows by one with every change.")
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[Template | None] = None

    def stored(self) -> Template:
        assert self.row is not None
        return self.row

    variables: list[TemplateVariable] = strawberry.field(
        resolver=_declared_variables,
        description="Declared variables, in order.",
        metadata=cost_metadata(FieldCost(max_items=MAX_VARIABLES, items_per_point=10)),
    )
    unused_variables: list[str] = strawberry.field(
        resolver=_unused_variables,
        description="Declared variables no placeholder of the style uses (allowed: a render "
        "farm may read them from the job's variables).",
    )

    @query_field(scope=Scope.PROJECTS_READ, description="The project the template belongs to.")
    async def project(self, info: Info) -> ProjectType | None:
        row = await info.context.loaders.by_id(Project).load(self.stored().project_id)
        return ProjectType.maybe(row)


@strawberry.input
class TemplateFilter:
    name: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None

    def to_logic(self) -> logic.TemplateFilter:
        return logic.TemplateFilter(
            name=self.name, updated_after=self.updated_after, updated_before=self.updated_before
        )


@strawberry.input(description="A variable declaration; `options` only (and always) for select.")
class TemplateVariableInput:
    key: str
    type: TemplateVariableType  # type: ignore[valid-type]
    required: bool = False
    default: JSON | None = None
    options: list[str] | None = None

    def to_logic(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "options": self.options,
        }


@strawberry.input
class CreateTemplateInput:
    project_id: strawberry.ID
    name: str
    style: JSON
    description: str | None = None
    variables: list[TemplateVariableInput] | None = None
    metadata: JSON | None = None


@strawberry.input
class UpdateTemplateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    style: JSON | None = strawberry.UNSET
    variables: list[TemplateVariableInput] | None = strawberry.UNSET
    metadata: JSON | None = strawberry.UNSET


@strawberry.input
class DeleteTemplateInput:
    id: strawberry.ID


@strawberry.type
class TemplatePayload(MutationPayload):
    template: TemplateType | None = None


@strawberry.type
class DeleteTemplatePayload(MutationPayload):
    deleted_template_id: strawberry.ID | None = None


def _values(input: Any, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    values = changes_of(input, exclude=exclude)
    if values.get("variables") is not None:
        values["variables"] = [v.to_logic() for v in values["variables"]]
    return values


TemplateOrderBy = order_by_input(
    "Template", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="name"
)


@strawberry.type
class TemplateQueries:
    @query_field(scope=Scope.CONTENT_READ, description="One template by id; null if not visible.")
    async def template(self, info: Info, id: strawberry.ID) -> TemplateType | None:
        return TemplateType.maybe(await logic.get_template(info.context, id))

    @query_field(
        scope=Scope.CONTENT_READ,
        description="Templates of one project, or of every project the key can see.",
    )
    async def templates(
        self,
        info: Info,
        project_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        filter: TemplateFilter | None = None,
        order_by: TemplateOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[TemplateType]:
        page = await logic.list_templates(
            info.context,
            project_id,
            (filter or TemplateFilter()).to_logic(),
            ordering(order_by),
            first,
            after,
        )
        return Connection.from_page(page, TemplateType.from_row)


@strawberry.type
class TemplateMutations:
    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Create a template; every placeholder of the style must be a variable.",
    )
    async def create_template(self, info: Info, input: CreateTemplateInput) -> TemplatePayload:
        template = await logic.create_template(info.context, _values(input))
        return TemplatePayload(template=TemplateType.from_row(template))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Change fields of a template; omitted fields are kept. Jobs already "
        "submitted keep the style they were resolved with.",
    )
    async def update_template(self, info: Info, input: UpdateTemplateInput) -> TemplatePayload:
        template = await logic.update_template(
            info.context, input.id, _values(input, exclude=("id",))
        )
        return TemplatePayload(template=TemplateType.from_row(template))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Delete a template; refused (INVALID_STATE) while queued or running jobs "
        "use it. Finished jobs keep their variables and resolved style.",
    )
    async def delete_template(
        self, info: Info, input: DeleteTemplateInput
    ) -> DeleteTemplatePayload:
        deleted = await logic.delete_template(info.context, input.id)
        return DeleteTemplatePayload(deleted_template_id=strawberry.ID(deleted))


register_node(IdPrefix.TEMPLATE, Template, TemplateType, Scope.CONTENT_READ)

QUERIES: tuple[type, ...] = (TemplateQueries,)
MUTATIONS: tuple[type, ...] = (TemplateMutations,)
