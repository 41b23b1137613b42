"""Schema extensions: parse/validation caches, depth and token limits with contract codes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, ValidationCache
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


def build_extensions(max_depth: int, max_tokens: int) -> list[Any]:
    """Factories, not instances: Strawberry builds fresh extensions for every operation."""
    depth_rule = depth_limit_rule(max_depth)
    return [
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: AddValidationRules([depth_rule]),
        ValidationErrorCodes,
    ]
