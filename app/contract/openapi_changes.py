"""Breaking changes between two OpenAPI documents of ``/v1``: removed routes, parameters,
body and response fields and enum values, and inputs that became required.

Removing what the old document marked ``deprecated`` (an operation, parameter or property;
enum values listed in ``x-deprecated-values``) is allowed: that was announced first."""

from __future__ import annotations

from typing import Any

Document = dict[str, Any]
METHODS = ("get", "post", "put", "patch", "delete")


class _Differ:
    def __init__(self, old: Document, new: Document) -> None:
        self.old = old
        self.new = new
        self.changes: list[str] = []
        self.seen: set[tuple[str, str, str, bool]] = set()

    def report(self, where: str, what: str) -> None:
        self.changes.append(f"REST: {where}: {what}")

    def resolve(self, document: Document, schema: Any) -> tuple[Any, str]:
        """A schema with ``$ref`` followed and ``anyOf [x, null]`` unwrapped, and its name."""
        name = ""
        for _ in range(20):
            if not isinstance(schema, dict):
                return {}, name
            if "$ref" in schema:
                name = schema["$ref"].rsplit("/", 1)[-1]
                schema = document["components"]["schemas"].get(name, {})
                continue
            options = [s for s in schema.get("anyOf", ()) if s.get("type") != "null"]
            if len(options) == 1:
                schema = options[0]
                continue
            return schema, name
        return schema, name

    def compare(self, old: Any, new: Any, where: str, *, sent: bool) -> None:
        """``sent``: the schema of what callers send (inputs), else of what they receive."""
        old, old_name = self.resolve(self.old, old)
        new, new_name = self.resolve(self.new, new)
        if old_name and new_name:
            key = (old_name, new_name, "", sent)
            if key in self.seen:
                return
            self.seen.add(key)
        removed = set(old.get("enum") or ()) - set(new.get("enum") or ())
        removed -= set(old.get("x-deprecated-values") or ())
        if removed and "enum" in new:
            shown = ", ".join(sorted(str(v) for v in removed))
            self.report(where, f"enum values removed: {shown}")
        if "items" in old:
            self.compare(old["items"], new.get("items", {}), f"{where}[]", sent=sent)
        old_props: dict[str, Any] = old.get("properties") or {}
        new_props: dict[str, Any] = new.get("properties") or {}
        for name, schema in old_props.items():
            deprecated = self.resolve(self.old, schema)[0].get("deprecated") or schema.get(
                "deprecated"
            )
            if name not in new_props:
                if not deprecated:
                    self.report(where, f"field `{name}` removed")
                continue
            self.compare(schema, new_props[name], f"{where}.{name}", sent=sent)
        if sent:
            required = set(new.get("required") or ()) - set(old.get("required") or ())
            for name in sorted(required):
                self.report(where, f"input `{name}` is now required")

    def run(self) -> list[str]:
        for path, operations in self.old.get("paths", {}).items():
            for method in METHODS:
                operation = operations.get(method)
                if operation is None or operation.get("deprecated"):
                    continue
                where = f"{method.upper()} {path}"
                current = self.new.get("paths", {}).get(path, {}).get(method)
                if current is None:
                    self.report(where, "route removed")
                    continue
                self.operation(where, operation, current)
        return self.changes

    def operation(self, where: str, old: Document, new: Document) -> None:
        def by_key(op: Document) -> dict[tuple[str, str], Any]:
            return {(p["name"], p["in"]): p for p in op.get("parameters", ())}

        old_params, new_params = by_key(old), by_key(new)
        for key, param in old_params.items():
            if key not in new_params:
                if not param.get("deprecated"):
                    self.report(where, f"parameter `{key[0]}` removed")
                continue
            self.compare(param.get("schema"), new_params[key].get("schema"), where, sent=True)
        for key, param in new_params.items():
            if param.get("required") and not old_params.get(key, {}).get("required"):
                self.report(where, f"parameter `{key[0]}` is now required")
        old_body = _json_schema(old.get("requestBody"))
        new_body = _json_schema(new.get("requestBody"))
        if old_body is not None or new_body is not None:
            self.compare(old_body or {}, new_body or {}, f"{where} body", sent=True)
        for status, response in old.get("responses", {}).items():
            if not status.startswith("2"):
                continue
            schema = _json_schema(response)
            current = new.get("responses", {}).get(status)
            if current is None:
                self.report(where, f"response {status} removed")
            elif schema is not None:
                self.compare(schema, _json_schema(current) or {}, f"{where} {status}", sent=False)


def _json_schema(holder: Any) -> Any:
    if not isinstance(holder, dict):
        return None
    return holder.get("content", {}).get("application/json", {}).get("schema")


def openapi_breaking_changes(old: Document, new: Document) -> list[str]:
    return _Differ(old, new).run()
