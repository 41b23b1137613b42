"""``application/x-www-form-urlencoded`` bodies and query strings, read strictly: OAuth
parameters must not repeat (RFC 6749 §3.1), and a form has a bounded number of fields."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

MAX_FIELDS = 40


class FormError(ValueError):
    """A body or query that is not a well-formed form (the message says why)."""


def parse_form(raw: str, max_fields: int = MAX_FIELDS) -> dict[str, str]:
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, max_num_fields=max_fields)
    except ValueError:
        raise FormError(f"at most {max_fields} parameters are accepted") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise FormError(f"parameter `{name}` is repeated")
        if "\x00" in value:
            raise FormError(f"parameter `{name}` holds a NUL character")
        form[name] = value
    return form


def query_of(request: Request) -> dict[str, str]:
    return parse_form(request.scope.get("query_string", b"").decode("latin-1"))


async def read_form(request: Request, max_fields: int = MAX_FIELDS) -> dict[str, str]:
    """The request's form body; refuses any other content type. A form with many checkboxes
    (the console's scope and event-type pickers) names each one, so nothing repeats."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise FormError("send the parameters as application/x-www-form-urlencoded")
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise FormError("the body is not UTF-8") from None
    return parse_form(text, max_fields)
