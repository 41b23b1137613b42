"""GraphiQL for browsers, from the assets an installed package ships (works offline)."""

from __future__ import annotations

from pathlib import Path

import graphene_django_graphiql_static
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from app.http.caching import PublicCache
from app.types import Receive, Scope, Send

STATIC_PREFIX = "/static/graphiql"
ASSETS_DIR = (
    Path(graphene_django_graphiql_static.__file__).parent
    / "static"
    / "graphene_django_graphiql_static"
)

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Reelhouse GraphiQL</title>
  <style>html, body, #graphiql {{ height: 100%; margin: 0; overflow: hidden; }}</style>
  <link rel="stylesheet" href="{static}/graphiql.min.css">
  <script src="{static}/react.production.min.js"></script>
  <script src="{static}/react-dom.production.min.js"></script>
  <script src="{static}/graphiql.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script>
    const fetcher = GraphiQL.createFetcher({{ url: window.location.pathname }});
    ReactDOM.render(
      React.createElement(GraphiQL, {{
        fetcher,
        headerEditorEnabled: true,
        shouldPersistHeaders: true,
        defaultHeaders: JSON.stringify({{ Authorization: "Bearer <your API key>" }}, null, 2),
        defaultQuery: "# Set your API key in the Headers tab below, then run:\\n"
          + "query {{\\n  projects(first: 5) {{\\n    nodes {{ id slug name status }}\\n  }}\\n}}\\n",
      }}),
      document.getElementById("graphiql"),
    );
  </script>
</body>
</html>
"""

PAGE_HTML = _PAGE.format(static=STATIC_PREFIX)


async def graphiql_page(scope: Scope, receive: Receive, send: Send) -> None:
    await HTMLResponse(PAGE_HTML)(scope, receive, send)


def graphiql_assets() -> PublicCache:
    return PublicCache(StaticFiles(directory=ASSETS_DIR))
