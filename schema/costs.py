"""Declared field costs: where the default cost rule (``app.traffic.cost``) is wrong, a field
says so in its strawberry ``metadata``; ``declared_costs`` collects them for the cost model,
which refuses the schema if a plain list declares no bound."""

from __future__ import annotations

from graphql import GraphQLSchema, is_interface_type, is_object_type

from app.traffic.cost import FieldCost

COST_METADATA = "reelhouse.cost"

BACKREF = "strawberry-definition"


def cost_metadata(cost: FieldCost | None) -> dict[str, FieldCost]:
    """``metadata`` for a field that declares its cost (``query_field(cost=...)`` does this)."""
    return {COST_METADATA: cost} if cost is not None else {}


def declared_costs(schema: GraphQLSchema) -> dict[tuple[str, str], FieldCost]:
    """(type, field) → its declared cost, on object types (interfaces pass theirs down)."""
    declared: dict[tuple[str, str], FieldCost] = {}
    for type_name, type_ in schema.type_map.items():
        if type_name.startswith("__") or not (is_object_type(type_) or is_interface_type(type_)):
            continue
        for name, field in type_.fields.items():
            definition = (field.extensions or {}).get(BACKREF)
            cost = getattr(definition, "metadata", {}).get(COST_METADATA)
            if isinstance(cost, FieldCost) and is_object_type(type_):
                declared[(type_name, name)] = cost
    return declared
