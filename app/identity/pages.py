"""The pages people see: sign-in (``/oauth/login``), sign-out and the consent screen
(``/oauth/authorize``).

Every page is self-contained (its stylesheet inline, under a per-response CSP nonce), cannot be
framed (``frame-ancestors 'none'``), is never cached and sends no referrer. Forms carry a CSRF
token: before sign-in a double-submit cookie, after it the session's own token. Redirects only
ever go to a path on this server (``next``) or to a redirect URI the client registered.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import quote, urlsplit

from authlib.oauth2.rfc6749.errors import OAuth2Error
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.auth.network import Network, client_address
from app.auth.scopes import DESCRIPTIONS, Scope
from app.database import Database
from app.http.page_security import content_security_policy, page_headers
from app.identity.accounts import check_credentials, normalise_email
from app.identity.authorization import AuthorizationRequest, AuthorizationServer, AuthorizeProblem
from app.identity.forms import FormError, query_of, read_form
from app.identity.sessions import Sessions, SignedIn, cookies_of, tokens_match
from app.identity.throttle import LoginThrottle
from app.settings import Settings

LOGIN_PATH = "/oauth/login"
LOGIN_CSRF_SECONDS = 3600
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")

_templates = Environment(
    loader=PackageLoader("app.identity", "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)


def safe_next(value: str | None) -> str:
    """``next`` when it is a path on this server, else empty: never a way off-site."""
    if not value or len(value) > 2000 or _CONTROL.search(value):
        return ""
    if not value.startswith("/") or value.startswith("//"):
        return ""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return ""
    return value


def _origin_source(uri: str) -> str:
    """The CSP source that lets the consent form's redirect reach ``uri``."""
    parts = urlsplit(uri)
    if parts.scheme in ("http", "https"):
        return f"{parts.scheme}://{parts.netloc}"
    return f"{parts.scheme}:"


class Pages:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        server: AuthorizationServer,
        sessions: Sessions,
        throttle: LoginThrottle,
        trusted_proxies: tuple[Network, ...],
    ) -> None:
        self.db = db
        self.settings = settings
        self.server = server
        self.sessions = sessions
        self.throttle = throttle
        self.trusted_proxies = trusted_proxies

    def render(
        self,
        template: str,
        status: int = 200,
        *,
        form_targets: tuple[str, ...] = (),
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        html = _templates.get_template(template).render(nonce=nonce, **context)
        policy = content_security_policy(style_src=f"'nonce-{nonce}'", form_targets=form_targets)
        return HTMLResponse(
            html, status_code=status, headers={**page_headers(policy), **(headers or {})}
        )

    def problem(
        self, title: str, message: str, status: int, signed_in: SignedIn | None = None
    ) -> HTMLResponse:
        return self.render(
            "problem.html", status, title=title, message=message, signed_in=signed_in
        )

    def _client_ip(self, request: Request) -> str:
        peer = request.scope.get("client")
        address = client_address(
            peer[0] if peer else None,
            request.headers.getlist("x-forwarded-for"),
            self.trusted_proxies,
        )
        return str(address) if address is not None else "unknown"

    # -- sign-in ---------------------------------------------------------------------------

    def _login_form(
        self,
        status: int = 200,
        *,
        next: str = "",
        email: str = "",
        organization: str = "",
        error: str | None = None,
        ask_organization: bool = False,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        csrf = secrets.token_urlsafe(32)
        response = self.render(
            "login.html",
            status,
            csrf_token=csrf,
            next=next,
            email=email,
            organization=organization,
            error=error,
            ask_organization=ask_organization,
            signed_in=None,
            headers=headers,
        )
        response.headers.append(
            "Set-Cookie",
            self.sessions.cookie(self.sessions.login_csrf_cookie, csrf, LOGIN_CSRF_SECONDS),
        )
        return response

    async def login_page(self, request: Request) -> Response:
        try:
            query = query_of(request)
        except FormError as error:
            return self.problem("Bad request", f"The address is malformed: {error}.", 400)
        next = safe_next(query.get("next"))
        signed_in = await self.sessions.current(request.scope)
        if signed_in is not None:
            if next:
                return RedirectResponse(next, status_code=303)
            return self.render("login.html", signed_in=signed_in)
        return self._login_form(next=next, organization=query.get("organization", ""))

    async def login(self, request: Request) -> Response:
        try:
            form = await read_form(request)
        except FormError as error:
            return self.problem("Bad request", f"The form is malformed: {error}.", 400)
        next = safe_next(form.get("next"))
        email = form.get("email", "")[:254]
        organization = form.get("organization", "")[:50]
        expected = cookies_of(request.scope).get(self.sessions.login_csrf_cookie)
        if not tokens_match(form.get("csrf_token"), expected):
            return self._login_form(
                403,
                next=next,
                email=email,
                error="This sign-in form has expired or did not come from this site. "
                "Please sign in again.",
            )
        password = form.get("password", "")
        if not email.strip() or not password:
            return self._login_form(
                400, next=next, email=email, error="Enter your email and password."
            )
        account = normalise_email(email)
        address = self._client_ip(request)
        throttled = await self.throttle.check(account, address)
        if throttled is not None:
            minutes = max(1, (throttled.retry_after + 59) // 60)
            who = "this account" if throttled.scope == "account" else "your network address"
            return self._login_form(
                429,
                next=next,
                email=email,
                error=f"Too many failed sign-ins for {who}. Try again in {minutes} "
                f"minute{'s' if minutes != 1 else ''}.",
                headers={"Retry-After": str(throttled.retry_after)},
            )
        result = await check_credentials(self.db, account, password, organization or None)
        if result.ambiguous:
            return self._login_form(
                400,
                next=next,
                email=email,
                ask_organization=True,
                error="This email belongs to several organisations: enter the one to sign in to.",
            )
        if result.user is None:
            await self.throttle.failed(account, address)
            return self._login_form(
                401,
                next=next,
                email=email,
                organization=organization,
                error="Wrong email or password.",
            )
        await self.throttle.succeeded(account)
        token, _ = await self.sessions.start(
            result.user, client_ip=address, user_agent=request.headers.get("user-agent")
        )
        response = RedirectResponse(next or LOGIN_PATH, status_code=303)
        response.headers.append("Set-Cookie", self.sessions.session_cookie(token))
        response.headers.append(
            "Set-Cookie", self.sessions.cookie(self.sessions.login_csrf_cookie, "", 0)
        )
        return response

    async def logout(self, request: Request) -> Response:
        try:
            form = await read_form(request)
        except FormError as error:
            return self.problem("Bad request", f"The form is malformed: {error}.", 400)
        signed_in = await self.sessions.current(request.scope)
        if signed_in is not None:
            if not tokens_match(form.get("csrf_token"), signed_in.session.csrf_token):
                return self.problem(
                    "Not signed out",
                    "The sign-out form did not come from this site.",
                    403,
                    signed_in,
                )
            await self.sessions.end(signed_in.session.id)
        response = RedirectResponse(LOGIN_PATH, status_code=303)
        response.headers.append("Set-Cookie", self.sessions.cleared_session_cookie())
        return response

    # -- consent ---------------------------------------------------------------------------

    async def _request(self, params: dict[str, str]) -> AuthorizationRequest | Response:
        try:
            return await self.server.authorization_request(params)
        except AuthorizeProblem as problem:
            return self.problem("This request cannot be authorized", str(problem), 400)
        except OAuth2Error as error:
            status, _, headers = error()
            return Response(status_code=302 if status == 302 else 400, headers=dict(headers))

    def _foreign(self, signed_in: SignedIn) -> Response:
        return self.problem(
            "Another organisation's application",
            f"You are signed in as {signed_in.user.email}, whose organisation did not register "
            "this application. Sign out and sign in with an account of the organisation that "
            "did.",
            403,
            signed_in,
        )

    async def authorize(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._decide(request)
        try:
            params = query_of(request)
        except FormError as error:
            return self.problem("Bad request", f"The address is malformed: {error}.", 400)
        found = await self._request(params)
        if isinstance(found, Response):
            return found
        signed_in = await self.sessions.current(request.scope)
        if signed_in is None:
            here = request.url.path + ("?" + request.url.query if request.url.query else "")
            return RedirectResponse(f"{LOGIN_PATH}?next={quote(here, safe='')}", status_code=302)
        user = signed_in.user
        if user.org_id != found.client.org_id:
            return self._foreign(signed_in)
        if await self.server.remembered(user, found):
            return RedirectResponse(await self.server.approve(user, found), status_code=302)
        granted, refused = self.server.grantable(found, user)
        return self.render(
            "consent.html",
            form_targets=(_origin_source(found.redirect_uri),),
            client=found.client,
            user=user,
            granted=[(s, DESCRIPTIONS[Scope(s)]) for s in granted],
            refused=[(s, DESCRIPTIONS[Scope(s)]) for s in refused],
            redirect_uri=found.redirect_uri,
            terms_url=self.settings.oauth_terms_url,
            privacy_url=self.settings.oauth_privacy_url,
            csrf_token=signed_in.session.csrf_token,
            fields=found.form_fields(),
        )

    async def _decide(self, request: Request) -> Response:
        try:
            form = await read_form(request)
        except FormError as error:
            return self.problem("Bad request", f"The form is malformed: {error}.", 400)
        signed_in = await self.sessions.current(request.scope)
        if signed_in is None:
            return self.problem(
                "Signed out",
                "Your session has ended. Go back to the application and start again.",
                401,
            )
        if not tokens_match(form.pop("csrf_token", None), signed_in.session.csrf_token):
            return self.problem(
                "Not authorized",
                "This approval did not come from the consent screen of this site; nothing "
                "was granted.",
                403,
                signed_in,
            )
        decision = form.pop("decision", None)
        found = await self._request(form)
        if isinstance(found, Response):
            return found
        if signed_in.user.org_id != found.client.org_id:
            return self._foreign(signed_in)
        if decision == "allow":
            return RedirectResponse(
                await self.server.approve(signed_in.user, found), status_code=303
            )
        if decision == "deny":
            return RedirectResponse(self.server.deny(found), status_code=303)
        return self.problem("Bad request", "Choose allow or deny.", 400, signed_in)
