"""Schema extensions: parse/validation caches, depth and token limits with contract codes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationContext,
    ValidationRule,
    parse,
)
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ValidationCache
from strawberry.extensions.base_extension import SchemaExtension

from app.errors import ApiError, ErrorCode


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


class DocumentCache:
    """Parsed documents shared by every request.

    Documents the server generates itself (the ``/v1`` routes') are pinned at start-up and kept
    for the life of the process, so a burst of distinct client queries never evicts them; any
    other query text goes through a bounded LRU.
    """

    def __init__(self, maxsize: int) -> None:
        self._pinned: dict[str, DocumentNode] = {}
        self._parse: Callable[..., DocumentNode] = lru_cache(maxsize=maxsize)(parse)

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
        lambda: AddValidationRules([depth_rule]),
        ValidationErrorCodes,
    ]
