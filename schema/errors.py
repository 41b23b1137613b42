"""User errors and the payload interface every mutation result implements."""

from __future__ import annotations

import strawberry

from app.errors import FieldError
from app.traffic.cost import FREE
from resolvers.validation import InputErrorCode
from schema.costs import cost_metadata

UserErrorCode = strawberry.enum(InputErrorCode, name="UserErrorCode")


@strawberry.type(description="A problem with the input that the caller can fix.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field, e.g. `["input", "slug"]`.'
    )
    code: UserErrorCode  # type: ignore[valid-type]
    message: str

    @classmethod
    def from_field_error(cls, error: FieldError) -> UserError:
        return cls(field=list(error.field), code=InputErrorCode(error.code), message=error.message)


@strawberry.interface(description="Result of a mutation: on success the object, else userErrors.")
class MutationPayload:
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, metadata=cost_metadata(FREE)
    )
