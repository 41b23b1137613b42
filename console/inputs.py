"""Form fields to GraphQL variables. Only the shape is translated here (text to numbers, lines to
lists, dates to timestamps); whether a value is acceptable is the API's to say, and its
``userErrors`` are shown next to the field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from app.auth.scopes import DESCRIPTIONS, Scope
from console.graphql import UserErrors

AREA_TITLES: dict[str, str] = {
    "projects": "Projects",
    "content": "Content",
    "jobs": "Jobs",
    "assets": "Assets",
    "webhooks": "Webhooks",
    "events": "Events",
    "keys": "API keys and OAuth apps",
    "audit": "Audit",
    "automations": "Automations",
    "users": "Users",
    "telemetry": "Telemetry",
    "admin": "Everything",
}


class BadField(ValueError):
    """A field whose text is not even of the right kind (a number, a date)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message

    @property
    def errors(self) -> UserErrors:
        """This field's message, as the form shows the API's."""
        return UserErrors({self.name: [self.message]})


def confirmation(form: dict[str, str], what: str) -> UserErrors:
    """No errors (falsy) if the form's ``confirm`` box is ticked, else the message asking for it."""
    if form.get("confirm") == "yes":
        return UserErrors()
    return UserErrors({"confirm": [f"Tick the box to confirm the {what}."]})


def kept(params: dict[str, str], names: Iterable[str]) -> dict[str, str]:
    """The filters of ``names`` a list page was asked for, for its next page's link."""
    return {name: params[name] for name in names if params.get(name)}


def text(form: dict[str, str], name: str) -> str:
    return form.get(name, "").strip()


def optional_text(form: dict[str, str], name: str) -> str | None:
    return text(form, name) or None


def lines(form: dict[str, str], name: str) -> list[str] | None:
    """One value per line (or comma); None when empty."""
    raw = form.get(name, "").replace(",", "\n")
    values = [v.strip() for v in raw.splitlines() if v.strip()]
    return values or None


def integer(form: dict[str, str], name: str) -> int | None:
    raw = text(form, name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise BadField(name, "Enter a whole number.") from None


def day(form: dict[str, str], name: str) -> str | None:
    """A ``<input type=date>`` as the start of that day, UTC."""
    raw = text(form, name)
    if not raw:
        return None
    try:
        moment = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise BadField(name, "Enter a date as YYYY-MM-DD.") from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def moment(form: dict[str, str], name: str) -> str | None:
    """A ``<input type=datetime-local>`` read as UTC."""
    raw = text(form, name)
    if not raw:
        return None
    for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(raw, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")
    raise BadField(name, "Enter a date and time as YYYY-MM-DDTHH:MM (UTC).")


def checked(form: dict[str, str], prefix: str) -> list[str]:
    """The values of the ticked boxes named ``<prefix><value>``."""
    return [
        name[len(prefix) :] for name, value in form.items() if name.startswith(prefix) and value
    ]


def scope_groups(offered: list[Scope]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Scopes by area (``jobs:read`` is in ``Jobs``), each with its description."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for scope in offered:
        area = scope.value.split(":", 1)[0]
        groups.setdefault(area, []).append((scope.value, DESCRIPTIONS[scope]))
    return [(AREA_TITLES.get(area, area.title()), items) for area, items in groups.items()]
