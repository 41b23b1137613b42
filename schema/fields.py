"""``query_field``, ``mutation_field`` and ``subscription_field``: the only ways to declare a
root or relation resolver.

Each declaration states its scope and, for mutations, a payload implementing
``MutationPayload`` and a single ``input`` argument; a missing or wrong declaration raises at
import, so a field cannot ship unguarded. The scope is checked before the resolver runs, and
``InputErrors`` raised by the resolver become the payload's ``userErrors``.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from app.auth.scopes import Scope
from app.traffic.cost import FieldCost
from resolvers.context import Context
from resolvers.permissions import require_scope
from resolvers.validation import InputErrors
from schema.connections import PagesBothWays, returns_connection
from schema.costs import cost_metadata
from schema.errors import MutationPayload, UserError

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])

SCOPE_METADATA = "reelhouse.scope"
"""Key of the declared scope in each field's strawberry ``metadata`` (None for ``node``-like
fields), for tooling that walks the schema: the isolation tests, generated docs."""

ABOUT_CALLER_METADATA = "reelhouse.about_caller"
"""Marks fields that need no scope because they only describe the caller itself (``viewer``)."""


class DeclarationError(TypeError):
    """A schema field was declared without what every field must state."""


def _check_common(
    fn: Callable[..., Any],
    scope: object,
    description: str,
    scope_checked_by: str = "",
    *,
    generator: bool = False,
) -> inspect.Signature:
    where = f"{fn.__module__}.{fn.__qualname__}"
    if not isinstance(scope, Scope) and not (scope is None and scope_checked_by.strip()):
        raise DeclarationError(
            f"{where}: scope must be a Scope (or None with `scope_checked_by` saying where)"
        )
    if not description.strip():
        raise DeclarationError(f"{where}: a description is required (partners read it)")
    if generator and not inspect.isasyncgenfunction(fn):
        raise DeclarationError(f"{where}: a subscription is an async generator")
    if not generator and not inspect.iscoroutinefunction(fn):
        raise DeclarationError(f"{where}: resolvers must be async")
    signature = inspect.signature(fn)
    if "info" not in signature.parameters:
        raise DeclarationError(f"{where}: resolvers take `info`")
    return signature


def _context(kwargs: dict[str, Any]) -> Context:
    ctx: Context = kwargs["info"].context
    return ctx


def query_field(
    *,
    scope: Scope | None,
    description: str,
    name: str | None = None,
    scope_checked_by: str = "",
    about_caller: bool = False,
    cost: FieldCost | None = None,
) -> Callable[[F], Any]:
    """A read resolver. ``scope=None`` is for fields whose scope depends on what they return
    (``node``); ``scope_checked_by`` must then name the check. ``about_caller=True`` (with
    ``scope=None``) is for fields that describe only the caller, which any caller may ask.
    ``cost``: where the default cost rule is wrong (a plain list must declare its bound)."""

    def decorate(fn: F) -> Any:
        if about_caller and scope is not None:
            raise DeclarationError(f"{fn.__qualname__}: a field about the caller has no scope")
        signature = _check_common(
            fn, scope, description, scope_checked_by or ("about the caller" if about_caller else "")
        )

        @functools.wraps(fn)
        async def guarded(*args: Any, **kwargs: Any) -> Any:
            if scope is not None:
                require_scope(_context(kwargs), scope)
            return await fn(*args, **kwargs)

        connection = returns_connection(signature.return_annotation)
        return strawberry.field(
            resolver=guarded,
            description=description,
            name=name,
            metadata={
                SCOPE_METADATA: scope,
                ABOUT_CALLER_METADATA: about_caller,
                **cost_metadata(cost),
            },
            extensions=[PagesBothWays()] if connection else [],
        )

    return decorate


def mutation_field(
    *,
    scope: Scope | None,
    description: str,
    scope_checked_by: str = "",
    cost: FieldCost | None = None,
) -> Callable[[F], Any]:
    """A write resolver. ``scope=None`` is for mutations whose scope depends on the object they
    change (``updateMetadata``); ``scope_checked_by`` must then name the check. ``cost``: where
    the default (10 plus the payload) is wrong."""

    def decorate(fn: F) -> Any:
        signature = _check_common(fn, scope, description, scope_checked_by)
        where = f"{fn.__module__}.{fn.__qualname__}"
        arguments = [p for p in signature.parameters if p not in ("self", "root", "info")]
        if arguments != ["input"]:
            raise DeclarationError(f"{where}: a mutation takes exactly one argument, `input`")
        payload = typing.get_type_hints(fn, include_extras=False).get("return")
        if not (isinstance(payload, type) and issubclass(payload, MutationPayload)):
            raise DeclarationError(f"{where}: must return a type implementing MutationPayload")

        @functools.wraps(fn)
        async def guarded(*args: Any, **kwargs: Any) -> Any:
            if scope is not None:
                require_scope(_context(kwargs), scope)
            try:
                return await fn(*args, **kwargs)
            except InputErrors as errors:
                return payload(user_errors=[UserError.from_field_error(e) for e in errors.errors])

        return strawberry.mutation(
            resolver=guarded,
            description=description,
            metadata={SCOPE_METADATA: scope, **cost_metadata(cost)},
        )

    return decorate


G = TypeVar("G", bound=Callable[..., AsyncIterator[Any]])


def subscription_field(*, scope: Scope, description: str) -> Callable[[G], Any]:
    """A subscription: an async generator, its scope checked before the first event."""

    def decorate(fn: G) -> Any:
        _check_common(fn, scope, description, generator=True)

        @functools.wraps(fn)
        async def guarded(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            require_scope(_context(kwargs), scope)
            async for item in fn(*args, **kwargs):
                yield item

        return strawberry.subscription(resolver=guarded, description=description)

    return decorate
