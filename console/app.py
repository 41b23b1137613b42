"""The console's request handling: who is signed in, which section they may open, the forms'
CSRF check, rendering with the security headers, and our own error pages.

Sign-in, sessions and CSRF tokens are the identity package's (``/oauth/login``, the session
cookie, each session's CSRF token); the console adds none of its own. Every page's data comes
from ``console.graphql.Caller``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from app.auth.principal import Principal
from app.auth.scopes import Scope
from app.database import Database
from app.errors import ApiError, ErrorCode
from app.http.caching import PublicCache
from app.http.errors import request_id_of
from app.http.graphql import Executor
from app.http.page_security import content_security_policy, page_headers
from app.idempotency.requests import HEADER as IDEMPOTENCY_HEADER
from app.identity.forms import FormError, read_form
from app.identity.pages import LOGIN_PATH
from app.identity.sessions import Sessions, SignedIn, principal_of, tokens_match
from app.transaction import RequestTransactions
from app.types import Message, Receive, Send
from app.types import Scope as AsgiScope
from console import formatting
from console.graphql import Caller
from console.sections import PREFIX, SECTIONS, Section

logger = logging.getLogger("reelhouse.console")

MAX_FORM_FIELDS = 400
"""Scope and event-type pickers name one field per box."""

POLICY = content_security_policy(style_src="'self'", script_src="'self'")

_environment = Environment(
    loader=PackageLoader("console", "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    auto_reload=False,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters.update(formatting.FILTERS)
templates = Jinja2Templates(env=_environment)


class Refused(Exception):
    """A page or action this person may not have (403), or one that does not exist (404)."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


@dataclass
class View:
    """One console request, signed in: its API caller, its section, its forms and pages."""

    request: Request
    signed_in: SignedIn
    api: Caller
    section: Section
    sections: list[Section]
    """The navigation: the sections this person may open."""

    @property
    def principal(self) -> Principal:
        return self.api.principal

    def may(self, scope: Scope) -> bool:
        return self.principal.has(scope)

    @property
    def manages(self) -> bool:
        """Whether this section's actions are offered."""
        return self.section.manageable_by(self.principal)

    def require_manage(self) -> None:
        if not self.manages:
            raise Refused(
                403,
                "Not allowed",
                f"Your role cannot change {self.section.title.lower()}; nothing was changed.",
            )

    async def form(self) -> dict[str, str]:
        """The posted form, once its CSRF token is this session's."""
        try:
            form = await read_form(self.request, MAX_FORM_FIELDS)
        except FormError as error:
            raise Refused(400, "Bad request", f"The form is malformed: {error}.") from None
        if not tokens_match(form.pop("csrf_token", None), self.signed_in.session.csrf_token):
            raise Refused(
                403,
                "Form expired",
                "This form did not come from this console session (it may have expired). "
                "Reload the page and try again; nothing was changed.",
            )
        return form

    async def action(self) -> dict[str, str]:
        """The posted form of one of this section's actions: refused unless this person's role
        manages the section, then checked as ``form`` does."""
        self.require_manage()
        return await self.form()

    async def page(self, document: str, field: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """One page of a ``listing`` (after the ``?after=`` cursor it was linked with): its
        nodes and ``pageInfo``."""
        after = self.request.query_params.get("after") or None
        found = (await self.api.query(document, {"after": after}))[field]
        return found["nodes"], found["pageInfo"]

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return render(self.request, template, status, view=self, **context)

    def redirect(self, path: str) -> RedirectResponse:
        return RedirectResponse(path, status_code=303)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    view: View | None = context.get("view")
    response = templates.TemplateResponse(
        request,
        template,
        {
            "sections": view.sections if view is not None else [],
            "signed_in": view.signed_in if view is not None else None,
            "csrf_token": view.signed_in.session.csrf_token if view is not None else "",
            "request_id": request_id_of(request.scope),
            **context,
        },
        status_code=status,
        headers=page_headers(POLICY),
    )
    assert isinstance(response, HTMLResponse)
    return response


Handler = Callable[[View], Awaitable[Response]]

_TITLES = {
    400: "Bad request",
    401: "Signed out",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Not accepted",
    429: "Slow down",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}


def problem(request: Request, status: int, message: str, title: str | None = None) -> Response:
    """Our own error page: what happened, in words, and the request id to quote."""
    return render(
        request,
        "problem.html",
        status,
        title=title or _TITLES.get(status, "Error"),
        message=message,
        code=status,
        view=request.scope.get("state", {}).get("console_view"),
    )


class Console:
    """The ASGI app mounted at ``/console``."""

    def __init__(self, executor: Executor, sessions: Sessions) -> None:
        self.executor = executor
        self.sessions = sessions
        from console import pages

        routes: list[BaseRoute] = [
            Mount("/static", PublicCache(StaticFiles(packages=[("console", "static")])))
        ]
        for section, path, handler, methods in pages.ROUTES:
            routes.append(Route(path, self._page(section, handler), methods=list(methods)))
        self.router = Router(routes=routes)
        served = {section.key for section, *_ in pages.ROUTES}
        self.sections = [s for s in SECTIONS if s.key in served]

    def _page(self, section: Section, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            signed_in = await self.sessions.current(request.scope)
            if signed_in is None:
                here = request.url.path + ("?" + request.url.query if request.url.query else "")
                return RedirectResponse(
                    f"{LOGIN_PATH}?next={quote(here, safe='')}", status_code=303
                )
            principal = principal_of(signed_in)
            view = View(
                request,
                signed_in,
                Caller(self.executor, request.scope, principal),
                section,
                [s for s in self.sections if s.open_to(principal)],
            )
            request.scope["state"]["console_view"] = view
            if not section.open_to(principal):
                return problem(
                    request,
                    403,
                    f"Your role does not include {section.title}. Ask an owner or admin of "
                    "your organisation if you need it.",
                )
            try:
                return await handler(view)
            except Refused as refused:
                return problem(request, refused.status, refused.message, refused.title)
            except ApiError as error:
                if error.code is ErrorCode.INTERNAL:
                    raise
                return problem(request, error.http_status, error.message)

        return endpoint

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.router(scope, receive, send)
            return
        # A form is guarded by its CSRF token and answered with a page: never one replayed
        # from the API's idempotency store.
        headers = [(k, v) for k, v in scope["headers"] if k != IDEMPOTENCY_HEADER]
        scope = {**scope, "headers": headers}
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.router(scope, receive, tracking)
        except HTTPException as error:
            if started:
                raise
            message = (
                "There is no console page at this address."
                if error.status_code == 404
                else str(error.detail)
            )
            await problem(Request(scope), error.status_code, message)(scope, receive, send)
        except Exception:
            if started:
                raise
            logger.exception("console page %s failed", scope.get("path"))
            response = problem(
                Request(scope),
                500,
                "The page could not be shown because of an error on our side. It has been "
                "logged; quote the request id below if you report it.",
            )
            await response(scope, receive, send)


def console_routes(executor: Executor, sessions: Sessions, db: Database) -> Sequence[BaseRoute]:
    """``/console`` and everything under it, for the app factory. Each request runs in a
    ``RequestTransaction`` as ``/graphql``'s do: a form's writes and their audit record commit
    together before the page (or the redirect) is sent, and an error page keeps none."""
    console = RequestTransactions(Console(executor, sessions), db)

    async def home(_request: Request) -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    return [Route(PREFIX, home), Mount(PREFIX, console)]
