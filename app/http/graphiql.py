"""GraphiQL for browsers, from the assets an installed package ships (works offline).

The page needs no key to be useful: it loads the schema from ``/graphql/schema.json`` (the
public schema, built at start-up; no introspection request to ``/graphql``), so the docs
explorer and autocompletion work before a key is entered. Queries and mutations go over HTTP,
subscriptions over the same ``/graphql`` WebSocket partners use (``graphql-transport-ws``),
with the Headers tab's ``Authorization`` sent in ``connection_init``.

On the embedded default (``make run``) the Headers tab comes filled in with the demo key, for
browsers on this machine only.
"""

from __future__ import annotations

import json
from ipaddress import ip_address
from pathlib import Path

import graphene_django_graphiql_static
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from app.http.caching import PRIVATE, PublicCache
from app.http.headers import header
from app.types import Receive, Scope, Send

STATIC_PREFIX = "/static/graphiql"
SCHEMA_JSON_PATH = "/graphql/schema.json"
SCHEMA_SDL_PATH = "/graphql/schema.graphql"
ASSETS_DIR = (
    Path(graphene_django_graphiql_static.__file__).parent
    / "static"
    / "graphene_django_graphiql_static"
)
PLACEHOLDER_KEY = "<your API key>"

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Reelhouse GraphiQL</title>
  <link rel="icon" href="data:,">
  <style>html, body, #graphiql {{ height: 100%; margin: 0; overflow: hidden; }}</style>
  <link rel="stylesheet" href="{static}/graphiql.min.css">
  <script src="{static}/react.production.min.js"></script>
  <script src="{static}/react-dom.production.min.js"></script>
  <script src="{static}/graphiql.min.js"></script>
  <script src="{static}/graphql-ws.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script>
    const endpoint = window.location.pathname;
    const socketUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + endpoint;
    const http = GraphiQL.createFetcher({{ url: endpoint }});
    let socket = null;
    let socketHeaders = null;

    function client(headers) {{
      const wanted = JSON.stringify(headers || {{}});
      if (socket === null || socketHeaders !== wanted) {{
        if (socket !== null) socket.dispose();
        socketHeaders = wanted;
        socket = graphqlWs.createClient({{ url: socketUrl, connectionParams: headers || {{}}, lazy: true }});
      }}
      return socket;
    }}

    // The operation's type, read from the text sent (the editor's parsed document can lag
    // behind what was just typed or pasted): top-level definitions only, strings and comments
    // skipped, `{{ … }}` alone being a query.
    function operationOf(params) {{
      const text = (params.query || "").replace(/"{{3}}[\\s\\S]*?"{{3}}|"(?:[^"\\\\\\n]|\\\\.)*"|#[^\\n]*/g, " ");
      const operations = [];
      let depth = 0;
      let current = null;
      let naming = false;
      for (const [token] of text.matchAll(/[{{}}()]|[_A-Za-z][_0-9A-Za-z]*/g)) {{
        if (token === "{{" || token === "(") {{
          if (depth === 0 && token === "{{" && current === null) operations.push({{ type: "query", name: null }});
          if (depth === 0 && token === "{{") current = null;
          depth += 1;
          naming = false;
        }} else if (token === "}}" || token === ")") {{
          depth = Math.max(0, depth - 1);
        }} else if (depth === 0 && ["query", "mutation", "subscription", "fragment"].includes(token) && !naming) {{
          current = {{ type: token, name: null }};
          if (token !== "fragment") operations.push(current);
          naming = true;
        }} else if (depth === 0 && naming && current !== null) {{
          current.name = token;
          naming = false;
        }}
      }}
      const chosen = operations.find((o) => !params.operationName || o.name === params.operationName);
      return chosen ? chosen.type : "query";
    }}

    function fetcher(params, opts) {{
      if (operationOf(params) !== "subscription") return http(params, opts);
      const ws = client(opts && opts.headers);
      return {{
        subscribe(sink) {{
          const dispose = ws.subscribe(params, {{
            next: (value) => sink.next(value),
            error: (error) => sink.error(error instanceof Error ? error : new Error(error.reason || JSON.stringify(error))),
            complete: () => sink.complete(),
          }});
          return {{ unsubscribe: dispose }};
        }},
      }};
    }}

    fetch("{schema_json}").then((response) => response.json()).then((introspection) => {{
      ReactDOM.render(
        React.createElement(GraphiQL, {{
          fetcher,
          schema: introspection,
          headerEditorEnabled: true,
          shouldPersistHeaders: true,
          defaultHeaders: JSON.stringify({{ Authorization: "Bearer " + {key} }}, null, 2),
          defaultQuery: "# {hint}\\n"
            + "query {{\\n  projects(first: 5) {{\\n    nodes {{ id slug name status }}\\n  }}\\n}}\\n",
        }}),
        document.getElementById("graphiql"),
      );
    }});
  </script>
</body>
</html>
"""

_LOCAL = ("127.0.0.1", "::1", "localhost")
FORWARDING_HEADERS = (b"x-forwarded-for", b"forwarded", b"x-real-ip")


def page_html(demo_key: str | None) -> str:
    hint = (
        "The Headers tab holds this server's demo key. Run:"
        if demo_key
        else "Set your API key in the Headers tab below, then run:"
    )
    return _PAGE.format(
        static=STATIC_PREFIX,
        schema_json=SCHEMA_JSON_PATH,
        key=json.dumps(demo_key or PLACEHOLDER_KEY).replace("<", "\\u003c"),
        hint=hint,
    )


def _is_local(scope: Scope) -> bool:
    """A browser on this machine: a loopback peer that is not a proxy forwarding someone."""
    client = scope.get("client")
    if not client or any(header(scope, name) for name in FORWARDING_HEADERS):
        return False
    host = str(client[0])
    if host in _LOCAL:
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


class GraphiQLPage:
    """``demo_key``: filled into the Headers tab for browsers on this machine (the embedded
    default's demo key); never shown to anyone else."""

    def __init__(self, demo_key: str | None = None) -> None:
        self.public = page_html(None)
        self.local = page_html(demo_key) if demo_key else self.public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        local = self.local is not self.public and _is_local(scope)
        html = self.local if local else self.public
        headers = {"Cache-Control": PRIVATE.decode()}
        await HTMLResponse(html, headers=headers)(scope, receive, send)


def graphiql_assets() -> PublicCache:
    return PublicCache(StaticFiles(directory=ASSETS_DIR))
