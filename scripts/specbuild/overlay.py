"""Apply OpenAPI Overlay 1.0 documents (JSONPath `target` + `update`/`remove`).

An action that targets the document, `paths`, a path item, `components` or one of its sections
*adds* the operations and components its update names. Adding one that is already defined is
an error naming the overlay: once a docs page publishes what an overlay used to supply, the
overlay's copy must be retired, not silently merged into the page's. Corrections to a defined
operation or component target it directly (`$.paths['/media'].post`).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from jsonpath_ng.ext import parse as parse_jsonpath

from .errors import SpecBuildError
from .merge import HTTP_METHODS, Address


def deep_merge(target: Any, update: Any, where: str) -> Any:
    """Overlay 1.0 merge: objects merge key by key, arrays append, anything else is replaced."""
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            target[key] = deep_merge(target[key], value, where) if key in target else value
        return target
    if isinstance(target, list):
        return target + (update if isinstance(update, list) else [update])
    if isinstance(target, dict) != isinstance(update, dict):
        raise SpecBuildError(
            f"{where}: cannot merge {type(update).__name__} into {type(target).__name__}"
        )
    return update


def load_overlay(path: Path) -> dict[str, Any]:
    """Read and check one overlay file."""
    try:
        overlay = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecBuildError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(overlay, dict) or not str(overlay.get("overlay", "")).startswith("1."):
        raise SpecBuildError(f"{path.name}: not an OpenAPI Overlay 1.x document ('overlay: 1.0.0')")
    if not isinstance(overlay.get("actions"), list) or not overlay["actions"]:
        raise SpecBuildError(f"{path.name}: an overlay needs a non-empty 'actions' list")
    return overlay


def apply_overlay(
    document: dict[str, Any],
    overlay: dict[str, Any],
    name: str,
    defined_by: dict[Address, str] | None = None,
) -> dict[str, Any]:
    """Apply every action of `overlay` in order; a target that matches nothing is an error.

    `defined_by` names where each operation and component comes from (a page block, an earlier
    overlay), for the error when an action adds one again; the actions' additions are recorded.
    """
    if defined_by is None:
        defined_by = {}
    for index, action in enumerate(overlay["actions"], start=1):
        target = action.get("target")
        where = f"{name} action {index} ({target})"
        if not isinstance(target, str):
            raise SpecBuildError(f"{where}: an action needs a 'target' JSONPath")
        try:
            expression = parse_jsonpath(target)
        except Exception as exc:  # jsonpath-ng raises JsonPathParserError and bare Exceptions
            raise SpecBuildError(f"{where}: bad JSONPath: {exc}") from exc
        matches = expression.find(document)
        if not matches:
            raise SpecBuildError(f"{where}: the target matches nothing in the spec")
        if action.get("remove") is True:
            expression.filter(lambda _value: True, document)  # jsonpath-ng removes every match
        elif "update" in action:
            for match in matches:
                for address, exists in _added_definitions(document, match.value, action["update"]):
                    if exists:
                        source = defined_by.get(address, "the spec")
                        raise SpecBuildError(
                            f"{where}: adds {_describe(address)}, which {source} already "
                            f"defines: retire this action from {name} (a correction to the "
                            "existing definition targets it directly)"
                        )
                    defined_by[address] = f"{name} action {index}"
                merged = deep_merge(match.value, copy.deepcopy(action["update"]), where)
                if merged is not match.value:
                    match.full_path.update(document, merged)
        else:
            raise SpecBuildError(f"{where}: an action needs 'update' or 'remove: true'")
    return document


def apply_overlays(
    document: dict[str, Any], folder: Path, defined_by: dict[Address, str] | None = None
) -> dict[str, Any]:
    """Apply every overlay in `folder`, in file name order."""
    defined_by = dict(defined_by or {})
    for path in sorted(folder.glob("*.yaml")):
        document = apply_overlay(document, load_overlay(path), path.name, defined_by)
    return document


def _added_definitions(
    document: dict[str, Any], target: Any, update: Any
) -> list[tuple[Address, bool]]:
    """The operations and components an update of `target` adds, each with whether it exists."""
    paths: dict[str, Any] = document["paths"] if isinstance(document.get("paths"), dict) else {}
    components: dict[str, Any] = (
        document["components"] if isinstance(document.get("components"), dict) else {}
    )
    if not isinstance(update, dict):
        return []
    added: list[tuple[Address, bool]] = []

    def operations(path: str, item: Any) -> None:
        existing: dict[str, Any] = paths[path] if isinstance(paths.get(path), dict) else {}
        for method in item if isinstance(item, dict) else {}:
            if method in HTTP_METHODS:
                added.append((("paths", path, method), method in existing))

    def entries(section: str, names: Any) -> None:
        existing: dict[str, Any] = (
            components[section] if isinstance(components.get(section), dict) else {}
        )
        for entry in names if isinstance(names, dict) else {}:
            added.append((("components", section, entry), entry in existing))

    if target is document:
        for path, item in _items(update.get("paths")):
            operations(path, item)
        for section, names in _items(update.get("components")):
            entries(section, names)
    elif target is paths:
        for path, item in update.items():
            operations(path, item)
    elif target is components:
        for section, names in update.items():
            entries(section, names)
    else:
        for path, item in paths.items():
            if target is item:
                operations(path, update)
        for section, names in components.items():
            if target is names:
                entries(section, update)
    return added


def _items(value: Any) -> list[tuple[str, Any]]:
    return list(value.items()) if isinstance(value, dict) else []


def _describe(address: Address) -> str:
    if address[0] == "paths":
        return f"{address[2].upper()} {address[1]}"
    return f"component {address[1]}/{address[2]}"
