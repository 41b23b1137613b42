"""``/docs``: Swagger UI for ``/v1``, served from the installed ``swagger-ui-bundle-v2``
package (Swagger UI 5, which renders OpenAPI 3.1), so it works offline. The online validator
badge is off: the page makes no request beyond this server.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from app.errors import ApiError, ErrorCode
from app.http.caching import PUBLIC, PublicCache
from rest_compat.app import OPENAPI_PATH
from rest_compat.deprecation import CHANGELOG_PATH

DOCS_PATH = "/docs"
STATIC_PREFIX = "/docs/static"
ASSETS_DIR = Path(swagger_ui_bundle.swagger_ui_path)

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Reelhouse REST API (v1)</title>
  <link rel="stylesheet" href="{STATIC_PREFIX}/swagger-ui.css">
  <link rel="icon" type="image/png" href="{STATIC_PREFIX}/favicon-32x32.png">
  <style>body {{ margin: 0; }} .rh-note {{ font: 14px sans-serif; padding: 8px 20px;
    background: #f5f5f5; border-bottom: 1px solid #ddd; }}
    .rh-samples {{ padding: 8px 20px; }} .rh-samples pre {{ white-space: pre-wrap; }}
    .rh-samples summary {{ cursor: pointer; font: bold 13px sans-serif; }}</style>
</head>
<body>
  <div class="rh-note">Reelhouse <code>/v1</code> REST API, generated from the GraphQL schema
    (<a href="/graphql">GraphQL</a>). OpenAPI 3.1 document:
    <a href="{OPENAPI_PATH}">{OPENAPI_PATH}</a>. Use <b>Authorize</b> with your API key.</div>
  <div id="swagger-ui"></div>
  <script src="{STATIC_PREFIX}/swagger-ui-bundle.js"></script>
  <script>
    // Shows each operation's x-codeSamples (curl, Python SDK, TypeScript SDK) above its
    // parameters: Swagger UI has no view of its own for that extension.
    const CodeSamples = () => ({{
      wrapComponents: {{
        parameters: (Original, system) => (props) => {{
          const el = system.React.createElement;
          const found = props.operation && props.operation.get("x-codeSamples");
          const samples = found ? found.toJS() : [];
          return el("div", null,
            samples.length ? el("div", {{ className: "rh-samples" }},
              el("h4", null, "Code samples"),
              samples.map((s) => el("details", {{ key: s.label, open: s.lang === "Shell" }},
                el("summary", null, s.label),
                el("pre", {{ className: "microlight" }}, s.source)))) : null,
            el(Original, props));
        }},
      }},
    }});
    window.ui = SwaggerUIBundle({{
      url: "{OPENAPI_PATH}",
      dom_id: "#swagger-ui",
      deepLinking: true,
      persistAuthorization: true,
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis],
      plugins: [CodeSamples],
      layout: "BaseLayout",
    }});
  </script>
</body>
</html>
"""


CHANGELOG_FILES = (
    Path(__file__).resolve().parent.parent / "CHANGELOG.md",
    Path("CHANGELOG.md"),
)
"""The checkout's changelog, or the one in the working directory (the container's)."""


def docs_routes() -> list[BaseRoute]:
    async def page(_request: Request) -> HTMLResponse:
        return HTMLResponse(PAGE, headers={"Cache-Control": PUBLIC.decode()})

    found = next((path for path in CHANGELOG_FILES if path.is_file()), None)
    changelog = found.read_bytes() if found is not None else None

    async def changelog_page(request: Request) -> Response:
        if changelog is None:
            raise ApiError(ErrorCode.NOT_FOUND, "This deployment ships no changelog.")
        response = Response(changelog, media_type="text/markdown; charset=utf-8")
        response.headers["Cache-Control"] = PUBLIC.decode()
        return response

    assets = PublicCache(StaticFiles(directory=ASSETS_DIR))
    return [
        Route(DOCS_PATH, page),
        Route(CHANGELOG_PATH, changelog_page),
        Mount(STATIC_PREFIX, assets),
    ]
