"""What partners copy: each operation's SDK name (``x-sdk``) and code samples
(``x-codeSamples``: curl, the Python SDK, the TypeScript SDK), from the route alone.

The SDK name is ``<resource>.<method>``: ``list``, ``get``, the mutation's verb for creates,
updates and deletes (``jobs.submit``, ``projects.archive``) and the action's name otherwise
(``webhook_endpoints.test``). The SDK generators (``sdk/generate.py``) read the same names,
so the samples call what the SDKs define.
"""

from __future__ import annotations

import json
from typing import Any

from rest_compat.naming import snake
from rest_compat.routes import Kind, Route, words


def sdk_method(route: Route) -> str:
    if route.kind is Kind.LIST:
        return "list"
    if route.kind is Kind.GET:
        return "get"
    if route.kind is Kind.QUERY:
        return snake(route.field)
    last = route.path.rsplit("/", 1)[1]
    if route.kind is Kind.ACTION and not last.startswith("{"):
        return last
    return words(route.field)[0]


def example(name: str, schema: dict[str, Any]) -> Any:
    """A readable placeholder value for a parameter or body field."""
    if "enum" in schema:
        return next((v for v in schema["enum"] if v is not None), None)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object" or not schema:
        return {}
    if name.endswith("_id") or name == "id":
        return f"{name}_…" if name != "id" else "id_…"
    return f"<{name}>"


def camel(name: str) -> str:
    """``rotate_secret`` → ``rotateSecret``: method names in TypeScript."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def code_samples(
    route: Route,
    resource: str,
    method: str,
    path_args: dict[str, Any],
    query_args: dict[str, Any],
    body_args: dict[str, Any] | None,
) -> list[dict[str, str]]:
    """curl, Python and TypeScript, each a complete call with the required arguments."""
    url = route.path
    for name, value in path_args.items():
        url = url.replace(f"{{{name}}}", str(value))
    query = "&".join(f"{k}={v}" for k, v in query_args.items())
    full = f"$REELHOUSE_URL{url}" + (f"?{query}" if query else "")
    curl = [f'curl -X {route.method} "{full}"', '  -H "Authorization: Bearer $REELHOUSE_API_KEY"']
    if body_args is not None:
        curl.append('  -H "Content-Type: application/json"')
        curl.append(f"  -d '{json.dumps(body_args, ensure_ascii=False)}'")
    arguments = {**path_args, **query_args, **(body_args or {})}
    python_args = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    ts_args = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items())
    ts_call = f"{{ {ts_args} }}" if ts_args else ""
    ts_method = camel(method)
    if route.kind is Kind.LIST:
        python = (
            f"for item in client.{resource}.list({python_args}):  # every page, fetched as needed\n"
            "    print(item)"
        )
        typescript = (
            f"for await (const item of client.{resource}.list({ts_call})) {{\n"
            "  console.log(item);\n}"
        )
    else:
        python = f"result = client.{resource}.{method}({python_args})"
        typescript = f"const result = await client.{resource}.{ts_method}({ts_call});"
    setup_python = (
        "from reelhouse import Reelhouse\n\n"
        'client = Reelhouse(base_url="https://api.reelhouse.example", api_key="rh_live_…")\n'
    )
    setup_ts = (
        'import { ReelhouseClient } from "@reelhouse/sdk";\n\n'
        'const client = new ReelhouseClient({ baseUrl: "https://api.reelhouse.example", '
        'apiKey: "rh_live_…" });\n'
    )
    return [
        {"lang": "Shell", "label": "curl", "source": " \\\n".join(curl)},
        {"lang": "Python", "label": "Python SDK", "source": setup_python + python},
        {"lang": "TypeScript", "label": "TypeScript SDK", "source": setup_ts + typescript},
    ]
