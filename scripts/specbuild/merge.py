"""Merge the per-operation OpenAPI fragments into one document; any conflict is an error."""

from __future__ import annotations

import copy
from typing import Any

from .errors import SpecBuildError
from .sources import Fragment

# Top-level keys every fragment must agree on.
_SHARED_KEYS = ("openapi", "info", "servers", "security")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def merge_fragments(fragments: list[Fragment]) -> dict[str, Any]:
    """One OpenAPI document holding every operation and component of `fragments`."""
    if not fragments:
        raise SpecBuildError("nothing to merge: no OpenAPI fragments")
    first = fragments[0]
    merged: dict[str, Any] = {
        key: copy.deepcopy(first.document[key]) for key in _SHARED_KEYS if key in first.document
    }
    shared_origin = {key: first.origin for key in merged}
    paths: dict[str, dict[str, Any]] = {}
    operation_origin: dict[tuple[str, str], str] = {}
    components: dict[str, dict[str, Any]] = {}
    component_origin: dict[tuple[str, str], str] = {}
    tags: dict[str, Any] = {}
    tag_origin: dict[str, str] = {}

    for fragment in fragments:
        document = fragment.document
        for key in _SHARED_KEYS:
            if document.get(key) != merged.get(key):
                first_origin = shared_origin.get(key, first.origin)
                raise SpecBuildError(
                    f"'{key}' differs between {first_origin} and {fragment.origin}: "
                    f"{merged.get(key)!r} != {document.get(key)!r}"
                )
        for tag in document.get("tags", []):
            name = tag["name"]
            if name in tags and tags[name] != tag:
                raise SpecBuildError(
                    f"tag '{name}' differs between {tag_origin[name]} and {fragment.origin}"
                )
            tags[name] = tag
            tag_origin.setdefault(name, fragment.origin)
        for path, item in document.get("paths", {}).items():
            target = paths.setdefault(path, {})
            for key, value in item.items():
                if key in HTTP_METHODS:
                    where = (path, key)
                    if where in operation_origin:
                        raise SpecBuildError(
                            f"{key.upper()} {path} is defined twice: in {operation_origin[where]} "
                            f"and in {fragment.origin}"
                        )
                    operation_origin[where] = fragment.origin
                elif key in target and target[key] != value:
                    raise SpecBuildError(f"'{key}' of path {path} differs in {fragment.origin}")
                target[key] = copy.deepcopy(value)
        for section, entries in document.get("components", {}).items():
            target_section = components.setdefault(section, {})
            for name, value in entries.items():
                where = (section, name)
                if name in target_section and target_section[name] != value:
                    raise SpecBuildError(
                        f"component {section}/{name} differs between {component_origin[where]} "
                        f"and {fragment.origin}"
                    )
                target_section[name] = copy.deepcopy(value)
                component_origin.setdefault(where, fragment.origin)

    if tags:
        merged["tags"] = [tags[name] for name in sorted(tags)]
    merged["paths"] = {path: _sorted_item(paths[path]) for path in sorted(paths)}
    merged["components"] = {
        section: {name: components[section][name] for name in sorted(components[section])}
        for section in sorted(components)
    }
    return merged


def _sorted_item(item: dict[str, Any]) -> dict[str, Any]:
    """Path item keys in a fixed order: methods as HTTP_METHODS lists them, then the rest."""
    methods = [m for m in HTTP_METHODS if m in item]
    rest = sorted(k for k in item if k not in HTTP_METHODS)
    return {key: item[key] for key in methods + rest}
