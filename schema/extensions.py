"""Schema extensions: parse/validation caches, document limits with contract codes (depth,
tokens, aliases, root fields, directives), and the checks every operation's input gets
whichever transport carried it (one operation chosen, no text the store cannot keep, no list
longer than the limit)."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectFieldNode,
    OperationDefinitionNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    get_nullable_type,
    parse,
    type_from_ast,
)
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ValidationCache
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.types import ExecutionContext

from app.audit.operations import AuditOperation
from app.errors import ApiError, ErrorCode, FieldError

UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
"""NUL (PostgreSQL refuses it in text and JSON) and lone surrogates (not encodable as UTF-8):
refused wherever input text arrives, rather than stored on one backend and not the other."""


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    class DepthLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    depth = _depth(definition.selection_set, fragments, 0, set())
                    if depth > max_depth:
                        context.report_error(
                            GraphQLError(
                                f"Query is {depth} levels deep; the limit is {max_depth}.",
                                definition,
                                extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value},
                            )
                        )

    return DepthLimit


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """How large a document's shape may be before it is refused, unexecuted."""

    max_aliases: int = 30
    """Aliased fields per operation, counted through fragments as often as they are spread."""
    max_root_fields: int = 20
    max_directives: int = 5
    """Directives on one field, fragment spread or inline fragment."""
    max_list_items: int = 500
    """Items of one list input (a literal or a variable's value)."""
    max_response_bytes: int = 10 * 1024**2
    """Size of a query's answer (``schema.response_size``)."""


def _too_complex(message: str, node: Any) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value})


class SelectionCounter:
    """Counts selections of one document, each fragment counted once and reused wherever it is
    spread (so a fragment spread in many places costs one walk)."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self._aliases: dict[str, int] = {}
        self._roots: dict[str, int] = {}

    def aliases(self, selection_set: Any, seen: frozenset[str] = frozenset()) -> int:
        total = 0
        for selection in selection_set.selections if selection_set is not None else ():
            if isinstance(selection, FieldNode):
                total += selection.alias is not None
                total += self.aliases(selection.selection_set, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += self.aliases(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, seen, self._aliases, self.aliases)
        return total

    def roots(self, selection_set: Any, seen: frozenset[str] = frozenset()) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += 1
            elif isinstance(selection, InlineFragmentNode):
                total += self.roots(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, seen, self._roots, self.roots)
        return total

    def _fragment(
        self,
        name: str,
        seen: frozenset[str],
        memo: dict[str, int],
        count: Callable[[Any, frozenset[str]], int],
    ) -> int:
        if name in seen or name not in self.fragments:
            return 0
        if name not in memo:
            memo[name] = count(self.fragments[name].selection_set, seen | {name})
        return memo[name]


def shape_limit_rule(limits: DocumentLimits) -> type[ValidationRule]:
    """Aliases and root fields per operation, directives per selection, literal lists."""

    class ShapeLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            counter = SelectionCounter(context.document)
            for definition in context.document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                aliases = counter.aliases(definition.selection_set)
                if aliases > limits.max_aliases:
                    context.report_error(
                        _too_complex(
                            f"The operation has {aliases} aliased fields; "
                            f"the limit is {limits.max_aliases}.",
                            definition,
                        )
                    )
                roots = counter.roots(definition.selection_set)
                if roots > limits.max_root_fields:
                    context.report_error(
                        _too_complex(
                            f"The operation selects {roots} root fields; "
                            f"the limit is {limits.max_root_fields}.",
                            definition,
                        )
                    )

        def _directives(self, node: Any) -> None:
            if len(node.directives or ()) > limits.max_directives:
                self.report_error(
                    _too_complex(
                        f"{len(node.directives)} directives on one selection; "
                        f"the limit is {limits.max_directives}.",
                        node,
                    )
                )

        def enter_field(self, node: FieldNode, *_args: Any) -> None:
            self._directives(node)

        def enter_fragment_spread(self, node: FragmentSpreadNode, *_args: Any) -> None:
            self._directives(node)

        def enter_inline_fragment(self, node: InlineFragmentNode, *_args: Any) -> None:
            self._directives(node)

        def enter_list_value(
            self, node: ListValueNode, _key: Any, parent: Any, _path: Any, ancestors: Any
        ) -> None:
            expected = self.context.get_parent_input_type()
            if not isinstance(get_nullable_type(expected), GraphQLList):
                return  # a JSON value's array: bounded by the JSON limits
            if len(node.values) > limits.max_list_items:
                where = tuple(
                    a.name.value
                    for a in (*ancestors, parent)
                    if isinstance(a, ArgumentNode | ObjectFieldNode)
                )
                self.report_error(
                    _too_long_list(len(node.values), limits.max_list_items, where, node)
                )

    return ShapeLimits


def _too_long_list(
    length: int, limit: int, path: tuple[str, ...], node: Any = None
) -> GraphQLError:
    message = f"At most {limit} items are accepted; the list holds {length}."
    error = ApiError(
        ErrorCode.VALIDATION_FAILED,
        f"Invalid input: {message}",
        fields=[FieldError(path, "TOO_LONG", message)] if path else [],
    )
    return GraphQLError(
        error.message, node, extensions={"code": error.code.value}, original_error=error
    )


class TextLiterals(ValidationRule):
    """String literals in a document follow the same rule as variables (``UNSTORABLE_TEXT``)."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if UNSTORABLE_TEXT.search(node.value):
            self.report_error(
                GraphQLError(
                    "String values must not contain NUL characters or lone surrogates.",
                    node,
                    extensions={"code": ErrorCode.VALIDATION_FAILED.value},
                )
            )


class InputChecks(SchemaExtension):
    """Before validation: an operation must be chosen when a document holds several (the
    GraphQL spec's rule; Strawberry would run the first), and variables must hold no text the
    store cannot keep and no list input longer than the limit, reported with the path of the
    offending value."""

    def __init__(self, max_list_items: int = 500) -> None:
        self.max_list_items = max_list_items

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        problem = (
            _unchosen_operation(context)
            or _unstorable_variable(context.variables)
            or _long_variable_list(context, self.max_list_items)
        )
        if problem is not None:
            context.pre_execution_errors = [*(context.pre_execution_errors or []), problem]
        yield


def _long_variable_list(context: ExecutionContext, limit: int) -> GraphQLError | None:
    """The first list input (by the variables' declared types, so a JSON value's arrays are
    left to the JSON limits) holding more than ``limit`` items."""
    document = context.graphql_document
    variables = context.variables
    if document is None or not variables:
        return None
    schema: GraphQLSchema = context.schema._schema
    chosen = getattr(context, "_provided_operation_name", None)
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if chosen is not None and (definition.name is None or definition.name.value != chosen):
            continue
        for declared in definition.variable_definitions or ():
            name = declared.variable.name.value
            if name not in variables:
                continue
            type_ = type_from_ast(schema, declared.type)
            found = _long_list(variables[name], type_, (name,), limit)
            if found is not None:
                return found
    return None


def _long_list(value: Any, type_: Any, path: tuple[str, ...], limit: int) -> GraphQLError | None:
    stack = [(value, type_, path)]
    while stack:
        value, type_, path = stack.pop()
        nullable = get_nullable_type(type_) if type_ is not None else None
        if isinstance(nullable, GraphQLList) and isinstance(value, list):
            if len(value) > limit:
                return _too_long_list(len(value), limit, path)
            stack.extend((item, nullable.of_type, (*path, str(i))) for i, item in enumerate(value))
        elif isinstance(nullable, GraphQLInputObjectType) and isinstance(value, Mapping):
            fields = nullable.fields
            stack.extend(
                (item, fields[key].type, (*path, key))
                for key, item in value.items()
                if key in fields
            )
    return None


def _unchosen_operation(context: ExecutionContext) -> GraphQLError | None:
    document = context.graphql_document
    if document is None:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    # Strawberry keeps the name the client sent apart from the one it falls back to.
    chosen: str | None = getattr(context, "_provided_operation_name", None)
    if len(operations) > 1 and chosen is None:
        return GraphQLError(
            "The document holds several operations: name the one to run in `operationName`.",
            extensions={"code": ErrorCode.BAD_REQUEST.value},
        )
    return None


def _unstorable_variable(variables: Mapping[str, Any] | None) -> GraphQLError | None:
    stack: list[tuple[Any, tuple[str, ...]]] = [(variables or {}, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            bad = UNSTORABLE_TEXT.search(value) is not None
        elif isinstance(value, Mapping):
            bad = any(not isinstance(k, str) or UNSTORABLE_TEXT.search(k) for k in value)
            stack.extend((item, (*path, str(key))) for key, item in value.items())
        elif isinstance(value, list):
            bad = False
            stack.extend((item, (*path, str(index))) for index, item in enumerate(value))
        else:
            bad = False
        if bad:
            message = "Text must not contain NUL characters or lone surrogates."
            error = ApiError(
                ErrorCode.VALIDATION_FAILED,
                f"Invalid variables: {message}",
                fields=[FieldError(path, "INVALID", message)],
            )
            return GraphQLError(
                error.message,
                extensions={"code": error.code.value},
                original_error=error,
            )
    return None


def _depth(selection_set: Any, fragments: dict[str, Any], depth: int, seen: set[str]) -> int:
    if selection_set is None:
        return depth
    deepest = depth
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue
            deepest = max(deepest, _depth(selection.selection_set, fragments, depth + 1, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, depth, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue
            deepest = max(
                deepest, _depth(fragments[name].selection_set, fragments, depth, seen | {name})
            )
    return deepest


class ValidationErrorCodes(SchemaExtension):
    """Tags validation errors, which may wrap the ``ValueError`` of a scalar's parser and so
    would otherwise look like our fault (see ``tag_errors``), and answers a document over a
    size limit with that alone."""

    def on_validate(self) -> Iterator[None]:
        yield
        context = self.execution_context
        errors = context.pre_execution_errors or []
        for error in errors:
            _tag(error)
        too_complex = [e for e in errors if _is_too_complex(e)]
        if too_complex and len(too_complex) < len(errors):
            # Refused for its size alone: what else is wrong with it (one error per repeated
            # directive, say) is not worth a list the size of the document.
            errors[:] = too_complex  # in place: Strawberry already holds this list


def _is_too_complex(error: GraphQLError) -> bool:
    return (error.extensions or {}).get("code") == ErrorCode.QUERY_TOO_COMPLEX.value


def tag_errors(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Gives the caller's request errors (syntax, token limit, variables) a contract code and
    returns the rest: exceptions that are ours (``INTERNAL``).

    Runs from ``Schema.process_errors``, which sees every error once, including parse errors
    that a parser-cache extension raises outside the operation hooks. Variable errors wrap a
    ``GraphQLError``; ``ApiError`` carries its own code.
    """
    ours = []
    for error in errors:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            _tag(error)
        elif not has_code(error) and not isinstance(original, ApiError):
            ours.append(error)
    return ours


def _tag(error: GraphQLError) -> None:
    if not has_code(error):
        error.extensions = {**(error.extensions or {}), "code": classify(error).value}


def has_code(error: GraphQLError) -> bool:
    return bool(error.extensions and "code" in error.extensions)


def classify(error: GraphQLError) -> ErrorCode:
    message = error.message
    if "Document contains more than" in message:
        return ErrorCode.QUERY_TOO_COMPLEX
    if message.startswith("Variable '$"):
        return ErrorCode.VALIDATION_FAILED
    return ErrorCode.BAD_REQUEST


T = TypeVar("T")


class DocumentCache:
    """Parsed documents shared by every request, and what is derived from each once (its
    cost plan, per operation).

    Documents the server generates itself (the ``/v1`` routes') are pinned at start-up and kept
    for the life of the process, so a burst of distinct client queries never evicts them; any
    other query text goes through a bounded LRU.
    """

    def __init__(self, maxsize: int) -> None:
        self._pinned: dict[str, DocumentNode] = {}
        self._parse: Callable[..., DocumentNode] = lru_cache(maxsize=maxsize)(parse)
        self._maxsize = maxsize
        self._plans: OrderedDict[tuple[int, str | None], tuple[DocumentNode, Any]] = OrderedDict()

    def plan(
        self,
        document: DocumentNode,
        operation_name: str | None,
        build: Callable[[DocumentNode, str | None], T],
    ) -> T:
        """``build(document, operation_name)``, computed once per parsed document (a pinned
        one's plan is kept as long as it is, others in an LRU as large as the parse cache)."""
        key = (id(document), operation_name)
        found = self._plans.get(key)
        if found is not None and found[0] is document:
            self._plans.move_to_end(key)
            plan: T = found[1]
            return plan
        plan = build(document, operation_name)
        self._plans[key] = (document, plan)
        pinned = len(self._pinned)
        while len(self._plans) > self._maxsize + pinned:
            self._plans.popitem(last=False)
        return plan

    def pin(self, query: str) -> DocumentNode:
        document = self._pinned.get(query)
        if document is None:
            document = self._pinned[query] = parse(query)
        return document

    def get(self, query: str, options: Mapping[str, Any]) -> DocumentNode:
        pinned = self._pinned.get(query)
        return pinned if pinned is not None else self._parse(query, **options)


class CachedParsing(SchemaExtension):
    def __init__(self, documents: DocumentCache) -> None:
        self.documents = documents

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.graphql_document = self.documents.get(context.query or "", context.parse_options)
        yield


def build_extensions(
    max_depth: int,
    max_tokens: int,
    documents: DocumentCache,
    limits: DocumentLimits = DocumentLimits(),
) -> list[Any]:
    """Factories, not instances: Strawberry builds fresh extensions for every operation."""
    rules = [depth_limit_rule(max_depth), shape_limit_rule(limits), TextLiterals]
    return [
        lambda: CachedParsing(documents),
        lambda: ValidationCache(maxsize=512),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: AddValidationRules(rules),
        lambda: InputChecks(limits.max_list_items),
        ValidationErrorCodes,
        AuditOperation,
    ]
