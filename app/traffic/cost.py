"""What a GraphQL operation costs, known before it runs and again once it has run.

The rule (README "Cost"): an object is 1 point, a scalar 0; a connection is 1 plus its page
size (`first`, `last`, else the default page size) times the cost of one node; a mutation
field is 10 plus what its payload selects. Where this default is wrong a field declares its
own `FieldCost`: a plain list (not a connection) counts at its `max_items` and is never longer;
a list of small embedded values counts `items_per_point` of them as one point; a JSON value
that may be larger than the usual 64 KiB declares `max_bytes` and costs one point per started
64 KiB (its largest size before execution, its real size after);
`per_input_item` charges a mutation by the size of a list in its input (a telemetry batch);
`free` fields (`rateLimit`) cost nothing.

A `CostModel` is built once from the schema and refuses a schema with an undeclared plain
list of objects, so a new field cannot ship unbounded. An operation is compiled once into an
`OperationCost` (kept with its parsed document) and then priced per request: `requested(variables)`
before execution, `actual(data)` after (the objects and values really returned).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    is_list_type,
    is_object_type,
    value_from_ast_untyped,
)

MUTATION_COST = 10
JSON_BYTES_PER_POINT = 64 * 1024
INTROSPECTION_COST = {"__schema": 50, "__type": 5, "__typename": 0}
"""The whole schema is a large answer; a single type a small one; children are not priced."""


MAX_PRICED_FIELDS = 20_000
"""Fields of an operation once its fragments are expanded; reused fragments can multiply a
small document past any execution budget, so such an operation is refused unpriced."""


class TooManyFields(ValueError):
    """The operation expands past ``MAX_PRICED_FIELDS``."""


class CostDeclarationError(TypeError):
    """The schema has a field the cost model cannot price (an unbounded plain list)."""


@dataclass(frozen=True, slots=True)
class FieldCost:
    """A field's cost where the default rule is wrong; see the module docstring."""

    weight: int | None = None
    """The field's own cost in place of 1 (an object), 0 (a scalar) or 10 (a mutation)."""
    max_items: int | None = None
    """A plain list: counted at this many items before execution; it never returns more."""
    items_per_point: int = 1
    """A list of small values: this many items cost one point (rounded up)."""
    max_bytes: int | None = None
    """A JSON value's largest size, priced one point per started 64 KiB."""
    per_input_item: tuple[str, ...] | None = None
    """Path of a list in the field's arguments, e.g. ``("input", "events")``: each
    ``items_per_point`` of its items cost one point on top of the field's own cost."""
    free: bool = False
    """The field and everything below it cost nothing."""

    def __post_init__(self) -> None:
        if self.items_per_point < 1:
            raise CostDeclarationError("items_per_point must be at least 1")
        if self.max_items is not None and self.max_items < 0:
            raise CostDeclarationError("max_items must not be negative")
        if self.free and (self.weight or self.max_items or self.per_input_item):
            raise CostDeclarationError("a free field declares nothing else")


FREE = FieldCost(free=True)


def _points(items: int, per_point: int) -> int:
    return -(-items // per_point)


def json_points(size: int) -> int:
    return _points(size, JSON_BYTES_PER_POINT)


@dataclass(frozen=True, slots=True)
class _Condition:
    include: bool
    value: ValueNode


@dataclass(slots=True)
class _Field:
    """One field of the operation, as priced: its response key, where it applies, its own
    cost and its children."""

    key: str
    on: frozenset[str] | None
    """The concrete parent types it applies to (inside a type-conditioned fragment)."""
    conditions: tuple[_Condition, ...]
    own: int
    is_list: bool
    list_size: int | None
    """A plain list's declared bound; None inside a connection (the connection's size)."""
    page_size: FieldNode | None
    """Set on a connection field: its `first`/`last` are read from this node."""
    in_connection: bool
    """`nodes`/`edges` of a connection: one item per page entry."""
    items_per_point: int
    json_bytes: int | None
    input_items: tuple[str, ...] | None
    node: FieldNode
    always: bool
    """A mutation's own cost is charged even when it answers null."""
    possible: tuple[str, ...]
    """Concrete types the value may have, for children that apply to some of them only."""
    children: list[_Field] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Paging:
    """The connection page sizes resolvers apply (``resolvers.pagination``)."""

    default: int
    maximum: int


class CostModel:
    """Prices operations against one schema, with its declared field costs."""

    def __init__(
        self,
        schema: GraphQLSchema,
        declared: Mapping[tuple[str, str], FieldCost],
        paging: Paging,
    ) -> None:
        """``declared`` is keyed by (type name, field name)."""
        self.schema = schema
        self.declared = dict(declared)
        self.paging = paging
        self._check()

    def _check(self) -> None:
        problems = []
        for type_name, type_ in self.schema.type_map.items():
            if type_name.startswith("__") or not is_object_type(type_):
                continue
            assert isinstance(type_, GraphQLObjectType)
            if _is_connection(type_):
                continue
            for name, definition in type_.fields.items():
                declared = self.declared.get((type_name, name))
                inner = _unwrap(definition.type)
                if not (is_list_type(inner) and is_composite_type(get_named_type(inner))):
                    continue
                if declared is None or (declared.max_items is None and not declared.free):
                    problems.append(f"{type_name}.{name}")
        for type_name, name in self.declared:
            fields = getattr(self.schema.type_map.get(type_name), "fields", None) or {}
            if name not in fields:
                problems.append(f"{type_name}.{name} (declared, but not in the schema)")
        if problems:
            raise CostDeclarationError(
                "plain lists need a declared `max_items` (or become connections): "
                + ", ".join(sorted(problems))
            )

    def compile(self, document: DocumentNode, operation_name: str | None) -> OperationCost | None:
        """The priced operation, or None when the document names no such operation (the
        executor reports that); ``TooManyFields`` when it expands past the bound."""
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is None:
            chosen = operations[0] if len(operations) == 1 else None
        else:
            chosen = next(
                (o for o in operations if o.name and o.name.value == operation_name), None
            )
        if chosen is None:
            return None
        root = self.schema.get_root_type(chosen.operation)
        if root is None:
            return None
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        compiler = _Compiler(self, fragments, chosen.operation)
        fields = compiler.selections(chosen.selection_set, root, None, (), root=True)
        return OperationCost(self, chosen.operation, fields)


def _unwrap(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return type_


def _is_connection(type_: Any) -> bool:
    fields = getattr(type_, "fields", None) or {}
    return is_object_type(type_) and {"edges", "nodes", "pageInfo"} <= fields.keys()


def _is_edge(type_: Any) -> bool:
    fields = getattr(type_, "fields", None) or {}
    return is_object_type(type_) and set(fields) == {"cursor", "node"}


class _Compiler:
    def __init__(
        self,
        model: CostModel,
        fragments: dict[str, FragmentDefinitionNode],
        operation: OperationType,
    ) -> None:
        self.model = model
        self.fragments = fragments
        self.operation = operation
        self.count = 0

    def possible(self, type_: GraphQLNamedType) -> tuple[str, ...]:
        if is_abstract_type(type_):
            return tuple(t.name for t in self.model.schema.get_possible_types(type_))
        return (type_.name,)

    def selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        on: frozenset[str] | None,
        conditions: tuple[_Condition, ...],
        *,
        root: bool = False,
        in_connection: bool = False,
        seen: frozenset[str] = frozenset(),
    ) -> list[_Field]:
        if selection_set is None:
            return []
        fields: list[_Field] = []
        for selection in selection_set.selections:
            extra = conditions + _conditions(selection)
            if isinstance(selection, FieldNode):
                built = self.field(selection, parent, on, extra, root, in_connection)
                if built is not None:
                    fields.append(built)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                sub = selection.selection_set
                name = condition.name.value if condition else None
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None or fragment.name.value in seen:
                    continue
                seen = seen | {fragment.name.value}
                sub = fragment.selection_set
                name = fragment.type_condition.name.value
                extra = extra + _conditions(fragment)
            else:
                continue
            narrowed = on
            if name is not None and name != parent.name:
                target = self.model.schema.get_type(name)
                if target is None:
                    continue
                types = frozenset(self.possible(target)) & frozenset(self.possible(parent))
                narrowed = types if on is None else on & types
            fields.extend(
                self.selections(
                    sub,
                    parent,
                    narrowed,
                    extra,
                    root=root,
                    in_connection=in_connection,
                    seen=seen,
                )
            )
        return fields

    def field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType,
        on: frozenset[str] | None,
        conditions: tuple[_Condition, ...],
        root: bool,
        in_connection: bool,
    ) -> _Field | None:
        self.count += 1
        if self.count > MAX_PRICED_FIELDS:
            raise TooManyFields(
                f"more than {MAX_PRICED_FIELDS:,} fields once fragments are expanded"
            )
        name = node.name.value
        key = node.alias.value if node.alias else name
        if name.startswith("__"):
            own = INTROSPECTION_COST.get(name, 0)
            return self._leaf(key, on, conditions, node, own)
        definition = _definition(parent, name, on, self.model.schema)
        if definition is None:
            return None
        owner, field_def = definition
        declared = self.model.declared.get((owner, name))
        if declared is not None and declared.free:
            return None
        inner = _unwrap(field_def.type)
        named = get_named_type(field_def.type)
        is_list = is_list_type(inner)
        composite = is_composite_type(named)
        json_bytes = None
        own = (0 if _is_edge(named) else 1) if composite else 0
        if root and self.operation is OperationType.MUTATION:
            own = MUTATION_COST
        if declared is not None:
            if declared.weight is not None:
                own = declared.weight
            if declared.max_bytes is not None:
                json_bytes = declared.max_bytes
        connection = composite and _is_connection(named)
        child_in_connection = in_connection and name in ("nodes", "edges")
        built = _Field(
            key=key,
            on=on,
            conditions=conditions,
            own=own,
            is_list=is_list and composite,
            list_size=declared.max_items if declared is not None else None,
            page_size=node if connection else None,
            in_connection=child_in_connection,
            items_per_point=declared.items_per_point if declared is not None else 1,
            json_bytes=json_bytes,
            input_items=declared.per_input_item if declared is not None else None,
            node=node,
            always=root and self.operation is OperationType.MUTATION,
            possible=self.possible(named) if composite else (),
        )
        if composite:
            built.children = self.selections(
                node.selection_set, named, None, (), in_connection=connection
            )
        return built

    @staticmethod
    def _leaf(
        key: str,
        on: frozenset[str] | None,
        conditions: tuple[_Condition, ...],
        node: FieldNode,
        own: int,
    ) -> _Field:
        return _Field(
            key=key,
            on=on,
            conditions=conditions,
            own=own,
            is_list=False,
            list_size=None,
            page_size=None,
            in_connection=False,
            items_per_point=1,
            json_bytes=None,
            input_items=None,
            node=node,
            always=False,
            possible=(),
        )


def _definition(
    parent: GraphQLNamedType, name: str, on: frozenset[str] | None, schema: GraphQLSchema
) -> tuple[str, GraphQLField] | None:
    """The field's definition, on the parent or (inside a fragment on an abstract parent) on
    one of the concrete types it applies to; declarations are looked up on that type."""
    fields = getattr(parent, "fields", None) or {}
    if name in fields and not is_abstract_type(parent):
        return parent.name, fields[name]
    for type_name in sorted(on or ()):
        concrete = schema.get_type(type_name)
        concrete_fields = getattr(concrete, "fields", None) or {}
        if name in concrete_fields:
            return type_name, concrete_fields[name]
    if name in fields:
        if is_abstract_type(parent):
            for concrete in schema.get_possible_types(parent):
                if name in concrete.fields:
                    return concrete.name, concrete.fields[name]
        return parent.name, fields[name]
    return None


def _conditions(node: Any) -> tuple[_Condition, ...]:
    found = []
    for directive in getattr(node, "directives", None) or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        for argument in directive.arguments:
            if argument.name.value == "if":
                found.append(_Condition(name == "include", argument.value))
    return tuple(found)


class OperationCost:
    """One compiled operation: `requested(variables)` and `actual(data)`."""

    def __init__(self, model: CostModel, operation: OperationType, fields: list[_Field]) -> None:
        self.model = model
        self.operation = operation
        self.fields = fields
        self._priced = _priced(fields)

    def requested(self, variables: Mapping[str, Any] | None) -> int:
        pricing = _Pricing(variables or {}, self.model.paging)
        return pricing.sum(self.fields, None, 0)

    def actual(self, data: Mapping[str, Any] | None, variables: Mapping[str, Any] | None) -> int:
        if not data:
            return 0
        pricing = _Pricing(variables or {}, self.model.paging)
        return pricing.actual_object(self._priced, data)


def _priced(fields: list[_Field]) -> list[_Field]:
    """``fields`` without those that add nothing to an answer's actual cost (no cost of their
    own, none below them): the walk of the answer skips them. For the bench's nested list
    (~700 scalars) the walk went from 0.68 to 0.20 ms."""
    kept = []
    for item in fields:
        children = _priced(item.children)
        if item.own or item.json_bytes is not None or item.input_items is not None or children:
            kept.append(replace(item, children=children))
    return kept


class _Pricing:
    def __init__(self, variables: Mapping[str, Any], paging: Paging) -> None:
        self.variables = dict(variables)
        self.paging = paging
        self.memo: dict[tuple[int, int], int] = {}

    def included(self, item: _Field) -> bool:
        for condition in item.conditions:
            value = value_from_ast_untyped(condition.value, self.variables)
            if bool(value) is not condition.include:
                return False
        return True

    def page_size(self, node: FieldNode) -> int:
        size = None
        for argument in node.arguments or ():
            if argument.name.value in ("first", "last"):
                value = value_from_ast_untyped(argument.value, self.variables)
                if isinstance(value, int) and not isinstance(value, bool):
                    size = max(size or 0, value)
        if size is None:
            return self.paging.default
        return max(0, min(size, self.paging.maximum))

    def input_items(self, item: _Field) -> int:
        assert item.input_items is not None
        name, *rest = item.input_items
        argument = next((a for a in item.node.arguments or () if a.name.value == name), None)
        if argument is None:
            return 0
        value: Any = value_from_ast_untyped(argument.value, self.variables)
        for step in rest:
            value = value.get(step) if isinstance(value, Mapping) else None
        return len(value) if isinstance(value, list) else 0

    def sum(self, fields: list[_Field], concrete: str | None, page: int) -> int:
        return sum(
            self.requested(f, page)
            for f in fields
            if (concrete is None or f.on is None or concrete in f.on) and self.included(f)
        )

    def requested(self, item: _Field, page: int) -> int:
        memo_key = (id(item), page)
        known = self.memo.get(memo_key)
        if known is not None:
            return known
        own = item.own
        if item.json_bytes is not None:
            own += json_points(item.json_bytes)
        if item.input_items is not None:
            own += _points(self.input_items(item), item.items_per_point)
        inner_page = self.page_size(item.page_size) if item.page_size is not None else 0
        children = self.children(item, inner_page)
        each = own + children
        if item.is_list:
            count = page if item.in_connection else (item.list_size or 0)
            total = _points(count * each, item.items_per_point)
        else:
            total = each
        self.memo[memo_key] = total
        return total

    def children(self, item: _Field, page: int) -> int:
        if not item.children:
            return 0
        if all(c.on is None for c in item.children) or len(item.possible) <= 1:
            return self.sum(item.children, None, page)
        return max(self.sum(item.children, t, page) for t in item.possible)

    def actual_object(self, fields: list[_Field], value: Mapping[str, Any]) -> int:
        by_key: dict[str, int] = {}
        for item in fields:
            if item.key in value:
                cost = self.actual(item, value[item.key])
                by_key[item.key] = max(by_key.get(item.key, 0), cost)
        return sum(by_key.values())

    def actual(self, item: _Field, value: Any) -> int:
        if item.input_items is not None:
            extra = _points(self.input_items(item), item.items_per_point)
        else:
            extra = 0
        if value is None:
            return item.own + extra if item.always else 0
        if item.is_list and isinstance(value, list):
            total = sum(self.actual_one(item, v) for v in value if v is not None)
            return _points(total, item.items_per_point) + extra
        return self.actual_one(item, value) + extra

    def actual_one(self, item: _Field, value: Any) -> int:
        own = item.own
        if item.json_bytes is not None:
            own += json_points(len(orjson.dumps(value))) if value is not None else 0
        if isinstance(value, Mapping) and item.children:
            return own + self.actual_object(item.children, value)
        return own
