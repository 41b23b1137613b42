"""``/docs``: Swagger UI for ``/v1``, served from the installed ``swagger_ui_bundle`` (offline).

The bundled Swagger UI (4.x) renders OpenAPI 3.0 only, so the page loads a 3.0 rendition of
the same generated document (``/docs/openapi-3.0.json``); ``/v1/openapi.json`` stays the
canonical OpenAPI 3.1 document and the page links to it. The online validator badge is off:
the page makes no request beyond this server.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from rest_compat.api import RestApi
from rest_compat.app import OPENAPI_PATH
from rest_compat.openapi import openapi_json

DOCS_PATH = "/docs"
STATIC_PREFIX = "/docs/static"
LEGACY_OPENAPI_PATH = "/docs/openapi-3.0.json"
ASSETS_DIR = Path(swagger_ui_bundle.swagger_ui_path)

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Reelhouse REST API (v1)</title>
  <link rel="stylesheet" href="{STATIC_PREFIX}/swagger-ui.css">
  <link rel="icon" type="image/png" href="{STATIC_PREFIX}/favicon-32x32.png">
  <style>body {{ margin: 0; }} .rh-note {{ font: 14px sans-serif; padding: 8px 20px;
    background: #f5f5f5; border-bottom: 1px solid #ddd; }}</style>
</head>
<body>
  <div class="rh-note">Reelhouse <code>/v1</code> REST API, generated from the GraphQL schema
    (<a href="/graphql">GraphQL</a>). OpenAPI 3.1 document:
    <a href="{OPENAPI_PATH}">{OPENAPI_PATH}</a>. Use <b>Authorize</b> with your API key.</div>
  <div id="swagger-ui"></div>
  <script src="{STATIC_PREFIX}/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({{
      url: "{LEGACY_OPENAPI_PATH}",
      dom_id: "#swagger-ui",
      deepLinking: true,
      persistAuthorization: true,
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    }});
  </script>
</body>
</html>
"""


def docs_routes(api: RestApi) -> list[BaseRoute]:
    legacy = openapi_json(api, legacy=True)

    async def page(_request: Request) -> HTMLResponse:
        return HTMLResponse(PAGE)

    async def legacy_document(_request: Request) -> Response:
        return Response(legacy, media_type="application/json")

    return [
        Route(DOCS_PATH, page),
        Route(LEGACY_OPENAPI_PATH, legacy_document),
        Mount(STATIC_PREFIX, StaticFiles(directory=ASSETS_DIR)),
    ]
