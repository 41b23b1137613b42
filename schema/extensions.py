"""Schema extensions: parse/validation caches, depth and token limits with contract codes, and
the checks every operation's input gets whichever transport carried it (one operation chosen,
no text the store cannot keep)."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any, TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    parse,
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
    store cannot keep, reported with the path of the offending value."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        problem = _unchosen_operation(context) or _unstorable_variable(context.variables)
        if problem is not None:
            context.pre_execution_errors = [*(context.pre_execution_errors or []), problem]
        yield


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
    would otherwise look like our fault (see ``tag_errors``)."""

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            _tag(error)


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


def build_extensions(max_depth: int, max_tokens: int, documents: DocumentCache) -> list[Any]:
    """Factories, not instances: Strawberry builds fresh extensions for every operation."""
    depth_rule = depth_limit_rule(max_depth)
    return [
        lambda: CachedParsing(documents),
        lambda: ValidationCache(maxsize=512),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: AddValidationRules([depth_rule, TextLiterals]),
        InputChecks,
        ValidationErrorCodes,
        AuditOperation,
    ]
