"""What changed between two built specs, in lines a reviewer can read."""

from __future__ import annotations

from typing import Any

from .merge import HTTP_METHODS, SOURCE_VERSIONS


def describe_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """One line per change from `old` to `new`; `old` None means there was no spec before."""
    if old is None:
        pages = ", ".join(f"{page} {v}" for page, v in _page_versions(new).items())
        summary = f"new spec: API version {_version(new)}, {len(_operations(new))} operations"
        return [summary + (f" (pages: {pages})" if pages else "")]
    lines: list[str] = []
    if _version(old) != _version(new):
        lines.append(f"API version: {_version(old)} -> {_version(new)}")
    lines.extend(_page_changes(_page_versions(old), _page_versions(new)))
    old_ops, new_ops = _operations(old), _operations(new)
    for key in sorted(new_ops.keys() - old_ops.keys()):
        lines.append(f"operation added: {_op_name(key, new_ops[key])}")
    for key in sorted(old_ops.keys() - new_ops.keys()):
        lines.append(f"operation removed: {_op_name(key, old_ops[key])}")
    for key in sorted(old_ops.keys() & new_ops.keys()):
        lines.extend(_operation_changes(_op_name(key, new_ops[key]), old_ops[key], new_ops[key]))
    old_hooks, new_hooks = _operations(old, "webhooks"), _operations(new, "webhooks")
    for key in sorted(new_hooks.keys() - old_hooks.keys()):
        lines.append(f"webhook added: {_op_name(key, new_hooks[key])}")
    for key in sorted(old_hooks.keys() - new_hooks.keys()):
        lines.append(f"webhook removed: {_op_name(key, old_hooks[key])}")
    old_schemas = old.get("components", {}).get("schemas", {})
    new_schemas = new.get("components", {}).get("schemas", {})
    for name in sorted(new_schemas.keys() - old_schemas.keys()):
        lines.append(f"schema added: {name}")
    for name in sorted(old_schemas.keys() - new_schemas.keys()):
        lines.append(f"schema removed: {name}")
    for name in sorted(old_schemas.keys() & new_schemas.keys()):
        lines.extend(_schema_changes(f"schema {name}", old_schemas[name], new_schemas[name]))
    return lines


def _version(spec: dict[str, Any]) -> str:
    return str(spec.get("info", {}).get("version", "?"))


def _page_versions(spec: dict[str, Any]) -> dict[str, str]:
    versions = spec.get("info", {}).get(SOURCE_VERSIONS, {})
    return {str(page): str(v) for page, v in versions.items()} if isinstance(versions, dict) else {}


def _page_changes(old: dict[str, str], new: dict[str, str]) -> list[str]:
    lines = [f"page added: {page} at {new[page]}" for page in sorted(new.keys() - old.keys())]
    lines += [f"page removed: {page} (was {old[page]})" for page in sorted(old.keys() - new.keys())]
    lines += [
        f"page {page}: {old[page]} -> {new[page]}"
        for page in sorted(old.keys() & new.keys())
        if old[page] != new[page]
    ]
    return lines


def _operations(
    spec: dict[str, Any], section: str = "paths"
) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in spec.get(section, {}).items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def _op_name(key: tuple[str, str], operation: dict[str, Any]) -> str:
    path, method = key
    op_id = operation.get("operationId")
    return f"{method.upper()} {path}" + (f" ({op_id})" if op_id else "")


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    kind = schema.get("type", "any")
    text = "|".join(kind) if isinstance(kind, list) else str(kind)
    if "format" in schema:
        text += f" ({schema['format']})"
    if text == "array" and isinstance(schema.get("items"), dict):
        text = f"array of {_type_of(schema['items'])}"
    return text


def _operation_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    old_params = {(p.get("in"), p.get("name")): p for p in old.get("parameters", [])}
    new_params = {(p.get("in"), p.get("name")): p for p in new.get("parameters", [])}
    for where in sorted(new_params.keys() - old_params.keys(), key=str):
        lines.append(f"{name}: parameter added: {where[0]} {where[1]}")
    for where in sorted(old_params.keys() - new_params.keys(), key=str):
        lines.append(f"{name}: parameter removed: {where[0]} {where[1]}")
    for where in sorted(old_params.keys() & new_params.keys(), key=str):
        before = _type_of(old_params[where].get("schema", {}))
        after = _type_of(new_params[where].get("schema", {}))
        if before != after:
            lines.append(f"{name}: parameter {where[0]} {where[1]} retyped: {before} -> {after}")
        else:
            lines.extend(
                _constraint_changes(
                    f"{name}: parameter {where[0]} {where[1]}",
                    old_params[where].get("schema", {}),
                    new_params[where].get("schema", {}),
                )
            )
        if bool(old_params[where].get("required")) != bool(new_params[where].get("required")):
            state = "required" if new_params[where].get("required") else "optional"
            lines.append(f"{name}: parameter {where[0]} {where[1]} is now {state}")
    lines.extend(
        _content_changes(f"{name}: request body", old.get("requestBody"), new.get("requestBody"))
    )
    old_responses, new_responses = old.get("responses", {}), new.get("responses", {})
    for status in sorted(new_responses.keys() - old_responses.keys()):
        lines.append(f"{name}: response {status} added")
    for status in sorted(old_responses.keys() - new_responses.keys()):
        lines.append(f"{name}: response {status} removed")
    for status in sorted(old_responses.keys() & new_responses.keys()):
        lines.extend(
            _content_changes(
                f"{name}: response {status}", old_responses[status], new_responses[status]
            )
        )
    return lines


def _content_changes(
    name: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> list[str]:
    if old is None and new is None:
        return []
    if old is None:
        return [f"{name} added"]
    if new is None:
        return [f"{name} removed"]
    lines: list[str] = []
    old_content, new_content = old.get("content", {}), new.get("content", {})
    for media in sorted(new_content.keys() - old_content.keys()):
        lines.append(f"{name}: content type {media} added")
    for media in sorted(old_content.keys() - new_content.keys()):
        lines.append(f"{name}: content type {media} removed")
    for media in sorted(old_content.keys() & new_content.keys()):
        lines.extend(
            _schema_changes(
                f"{name} ({media})",
                old_content[media].get("schema", {}),
                new_content[media].get("schema", {}),
            )
        )
    return lines


def _schema_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    if _type_of(old) != _type_of(new):
        return [f"{name}: retyped {_type_of(old)} -> {_type_of(new)}"]
    lines: list[str] = []
    old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
    for field in sorted(new_fields.keys() - old_fields.keys()):
        lines.append(f"{name}: field added: {field} ({_type_of(new_fields[field])})")
    for field in sorted(old_fields.keys() - new_fields.keys()):
        lines.append(f"{name}: field removed: {field}")
    for field in sorted(old_fields.keys() & new_fields.keys()):
        before, after = _type_of(old_fields[field]), _type_of(new_fields[field])
        if before != after:
            lines.append(f"{name}: field {field} retyped: {before} -> {after}")
        else:
            lines.extend(
                _constraint_changes(f"{name}: field {field}", old_fields[field], new_fields[field])
            )
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for field in sorted(new_required - old_required):
        lines.append(f"{name}: field {field} is now required")
    for field in sorted(old_required - new_required):
        lines.append(f"{name}: field {field} is now optional")
    return lines


# What a schema says about the values it accepts, beyond its type.
_CONSTRAINTS = (
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
)


def _constraint_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines = []
    for key in _CONSTRAINTS:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "enum" and before is not None and after is not None:
            added = sorted(set(after) - set(before), key=str)
            removed = sorted(set(before) - set(after), key=str)
            lines.append(f"{name}: enum values added {added}, removed {removed}")
        else:
            lines.append(f"{name}: {key} {before!r} -> {after!r}")
    return lines
