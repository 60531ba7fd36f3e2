"""Apply OpenAPI Overlay 1.0 documents (JSONPath `target` + `update`/`remove`)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from jsonpath_ng.ext import parse as parse_jsonpath

from .errors import SpecBuildError


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


def apply_overlay(document: dict[str, Any], overlay: dict[str, Any], name: str) -> dict[str, Any]:
    """Apply every action of `overlay` in order; a target that matches nothing is an error."""
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
            # Remove from the last match backwards so list indices stay valid.
            for match in reversed(matches):
                _remove(match)
        elif "update" in action:
            for match in matches:
                merged = deep_merge(match.value, copy.deepcopy(action["update"]), where)
                if merged is not match.value:
                    match.full_path.update(document, merged)
        else:
            raise SpecBuildError(f"{where}: an action needs 'update' or 'remove: true'")
    return document


def apply_overlays(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Apply every overlay in `folder`, in file name order."""
    for path in sorted(folder.glob("*.yaml")):
        document = apply_overlay(document, load_overlay(path), path.name)
    return document


def _remove(match: Any) -> None:
    parent = match.context.value if match.context is not None else None
    # jsonpath-ng names a dict match by Fields(key) and a list match by Index(i) (`indices`).
    if hasattr(match.path, "fields"):
        key = match.path.fields[0]
    elif getattr(match.path, "indices", None):
        key = match.path.indices[0]
    else:
        key = getattr(match.path, "index", None)
    removable = (isinstance(parent, dict) and key in parent) or (
        isinstance(parent, list) and isinstance(key, int)
    )
    if removable:
        del parent[key]
    else:
        raise SpecBuildError(f"cannot remove {match.full_path}: not a key or index of its parent")
