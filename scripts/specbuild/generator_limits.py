"""Constructs the pinned openapi-python-client (0.29.1) cannot generate, found before it runs.

Run unchecked, these either stop the generator with a pydantic trace that names no page
(`type: file`), make it skip the operation (a content type it does not know), or make it write
code that drops or breaks the body without a warning (a form body that is not an object: the
generated call does `body.to_dict()` on a `str`, or never sends a multipart body at all).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .merge import HTTP_METHODS

Location = tuple[str | int, ...]

JSON_SCHEMA_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# What the generator sends (request bodies) and reads (responses); `*+json` counts as JSON.
REQUEST_CONTENT_TYPES = FORM_CONTENT_TYPES | {"application/json", "application/octet-stream"}
RESPONSE_CONTENT_TYPES = frozenset({"application/json", "application/octet-stream"})

# Keywords whose value is one schema, or a map or list of schemas (JSON Schema 2020-12).
_ONE_SCHEMA = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Finding:
    """One construct the generator cannot take: where it is and why."""

    location: Location
    problem: str

    @property
    def json_path(self) -> str:
        return json_path(self.location)


def json_path(location: Location) -> str:
    """`$.paths['/media'].post.requestBody` style JSONPath of a location."""
    text = "$"
    for step in location:
        if isinstance(step, int):
            text += f"[{step}]"
        elif _PLAIN_NAME.match(step):
            text += f".{step}"
        else:
            text += "['" + step.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return text


def unsupported_constructs(document: dict[str, Any]) -> list[Finding]:
    """Every construct of `document` the generator cannot take: schemas, then operations."""
    findings: list[Finding] = []
    for location, schema in _top_schemas(document):
        findings.extend(_schema_findings(schema, location))
    for path, item in _mapping(document.get("paths")).items():
        for method, operation in _mapping(item).items():
            if method in HTTP_METHODS and isinstance(operation, dict):
                findings.extend(_operation_findings(document, ("paths", path, method), operation))
    return findings


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _top_schemas(document: dict[str, Any]) -> Iterator[tuple[Location, Any]]:
    """Schemas that are not inside another schema: components, parameters, headers, content."""
    for name, schema in _mapping(_mapping(document.get("components")).get("schemas")).items():
        yield ("components", "schemas", name), schema
    yield from _nested_schemas(document.get("paths"), ("paths",))
    for section, entries in _mapping(document.get("components")).items():
        if section != "schemas":
            yield from _nested_schemas(entries, ("components", section))


def _nested_schemas(value: Any, location: Location) -> Iterator[tuple[Location, Any]]:
    """Every `schema` value below `value` (examples and extensions are data: skipped)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("example", "examples") or key.startswith("x-"):
                continue
            if key == "schema":
                yield (*location, key), item
            else:
                yield from _nested_schemas(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nested_schemas(item, (*location, index))


def _schema_findings(schema: Any, location: Location) -> Iterator[Finding]:
    if not isinstance(schema, dict):
        return
    declared = schema.get("type")
    for kind in declared if isinstance(declared, list) else [declared]:
        if kind is not None and kind not in JSON_SCHEMA_TYPES:
            yield Finding(
                (*location, "type"),
                f"type {kind!r} is not an OpenAPI 3 type (an upload is "
                "`type: string, format: binary` in a multipart/form-data body)",
            )
    for key in _ONE_SCHEMA:
        if isinstance(schema.get(key), dict):
            yield from _schema_findings(schema[key], (*location, key))
    for key in _SCHEMA_MAPS:
        for name, sub in _mapping(schema.get(key)).items():
            yield from _schema_findings(sub, (*location, key, name))
    for key in _SCHEMA_LISTS:
        subs = schema.get(key)
        for index, sub in enumerate(subs if isinstance(subs, list) else []):
            yield from _schema_findings(sub, (*location, key, index))


def _operation_findings(
    document: dict[str, Any], location: Location, operation: dict[str, Any]
) -> Iterator[Finding]:
    body = _mapping(operation.get("requestBody"))
    for content_type, media in _mapping(body.get("content")).items():
        where = (*location, "requestBody", "content", content_type)
        kind = _media_type(content_type)
        if kind not in REQUEST_CONTENT_TYPES and not kind.endswith("+json"):
            yield Finding(where, f"openapi-python-client cannot send a {content_type} body")
        elif kind in FORM_CONTENT_TYPES and not _is_object(document, _mapping(media).get("schema")):
            yield Finding(
                (*where, "schema"),
                f"a {kind} body must be an object schema (the generator sends form fields "
                "from a model; anything else is dropped or breaks the generated call)",
            )
    for status, response in _mapping(operation.get("responses")).items():
        for content_type in _mapping(_mapping(response).get("content")):
            kind = _media_type(content_type)
            readable = (
                kind in RESPONSE_CONTENT_TYPES or kind.endswith("+json") or kind.startswith("text/")
            )
            if not readable:
                yield Finding(
                    (*location, "responses", status, "content", content_type),
                    f"openapi-python-client cannot read a {content_type} answer "
                    "(use application/octet-stream for bytes)",
                )


def _is_object(document: dict[str, Any], schema: Any, seen: frozenset[str] = frozenset()) -> bool:
    """Whether `schema` (following local $refs) is an object schema."""
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith("#/") or ref in seen:
            return False
        target: Any = document
        for step in ref[2:].split("/"):
            target = _mapping(target).get(step.replace("~1", "/").replace("~0", "~"))
        return _is_object(document, target, seen | {ref})
    declared = schema.get("type")
    # The generator's own test for "this becomes a model".
    return (
        declared == "object"
        or bool(schema.get("allOf"))
        or (declared is None and bool(schema.get("properties")))
    )
