"""Merge the per-operation OpenAPI fragments of many pages into one document.

Each docs page is published at its own `info.version`. Pages at different versions merge: the
spec takes the highest version, and `info.x-source-versions` records each page's. The same
operation, component, tag or path-level key in several blocks: the block of the highest version
wins; two different definitions at that version are an error naming both blocks (an operation
may not be defined twice at one version at all). Everything else the pages share (`openapi`,
the rest of `info`, `servers`, `security`) must be equal.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .errors import SpecBuildError
from .sources import Fragment

# Top-level keys every fragment must agree on (`info` apart from its version).
_SHARED_KEYS = ("openapi", "info", "servers", "security")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SOURCE_VERSIONS = "x-source-versions"

Address = tuple[str, ...]  # ("paths", path, method), ("components", section, name), ...


@dataclass(frozen=True)
class MergedSpec:
    """The merged document, and the block each operation and component was taken from."""

    document: dict[str, Any]
    origins: dict[Address, Fragment]


@dataclass(frozen=True)
class _Candidate:
    version: tuple[int, ...]
    fragment: Fragment
    value: Any


def version_key(text: str, where: str) -> tuple[int, ...]:
    """A dotted version as comparable numbers (1.41 == 1.41.0); anything else is an error."""
    parts = text.split(".")
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise SpecBuildError(f"{where}: info.version {text!r} is not a dotted version like 1.41.0")
    numbers = [int(part) for part in parts]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def merge_fragments(fragments: list[Fragment]) -> dict[str, Any]:
    """One OpenAPI document holding every operation and component of `fragments`."""
    return merge_sources(fragments).document


def merge_sources(fragments: list[Fragment]) -> MergedSpec:
    """The merged document of `fragments`, with where each definition came from."""
    if not fragments:
        raise SpecBuildError("nothing to merge: no OpenAPI fragments")
    versions = _page_versions(fragments)
    merged = _shared_keys(fragments)
    candidates: dict[Address, list[_Candidate]] = defaultdict(list)
    for fragment in fragments:
        version = version_key(versions[fragment.page], fragment.origin)
        document = fragment.document
        for tag in document.get("tags", []):
            candidates[("tags", tag["name"])].append(_Candidate(version, fragment, tag))
        for path, item in document.get("paths", {}).items():
            for key, value in item.items():
                candidates[("paths", path, key)].append(_Candidate(version, fragment, value))
        for section, entries in document.get("components", {}).items():
            for name, value in entries.items():
                candidates[("components", section, name)].append(
                    _Candidate(version, fragment, value)
                )

    chosen = {address: _choose(address, found) for address, found in candidates.items()}
    tags = {address[1]: c.value for address, c in chosen.items() if address[0] == "tags"}
    paths: dict[str, dict[str, Any]] = defaultdict(dict)
    components: dict[str, dict[str, Any]] = defaultdict(dict)
    for address, candidate in chosen.items():
        if address[0] == "paths":
            paths[address[1]][address[2]] = copy.deepcopy(candidate.value)
        elif address[0] == "components":
            components[address[1]][address[2]] = copy.deepcopy(candidate.value)

    highest = max(versions.values(), key=lambda text: version_key(text, "info.version"))
    merged["info"]["version"] = highest
    merged["info"][SOURCE_VERSIONS] = dict(sorted(versions.items()))
    if tags:
        merged["tags"] = [copy.deepcopy(tags[name]) for name in sorted(tags)]
    merged["paths"] = {path: _sorted_item(paths[path]) for path in sorted(paths)}
    merged["components"] = {
        section: {name: components[section][name] for name in sorted(components[section])}
        for section in sorted(components)
    }
    origins = {
        address: candidate.fragment
        for address, candidate in chosen.items()
        if address[0] in ("paths", "components")
    }
    return MergedSpec(merged, origins)


def _page_versions(fragments: list[Fragment]) -> dict[str, str]:
    """Each page's `info.version`; the blocks of one page must agree on it."""
    versions: dict[str, str] = {}
    first_block: dict[str, Fragment] = {}
    for fragment in fragments:
        info = fragment.document.get("info")
        version = info.get("version") if isinstance(info, dict) else None
        if not isinstance(version, str):
            raise SpecBuildError(f"{fragment.origin}: the block has no info.version string")
        version_key(version, fragment.origin)
        page = fragment.page
        if page in versions and versions[page] != version:
            raise SpecBuildError(
                f"{page} mixes versions: {versions[page]} in {first_block[page].origin}, "
                f"{version} in {fragment.origin}"
            )
        versions.setdefault(page, version)
        first_block.setdefault(page, fragment)
    return versions


def _shared_keys(fragments: list[Fragment]) -> dict[str, Any]:
    """The keys every block must agree on, from the first block; any difference is an error."""
    first = fragments[0]
    merged = {
        key: copy.deepcopy(first.document[key]) for key in _SHARED_KEYS if key in first.document
    }
    for fragment in fragments[1:]:
        for key in _SHARED_KEYS:
            if _comparable(key, fragment.document) != _comparable(key, first.document):
                raise SpecBuildError(
                    f"'{key}' differs between {first.origin} and {fragment.origin}: "
                    f"{first.document.get(key)!r} != {fragment.document.get(key)!r}"
                )
    merged.setdefault("info", {})
    return merged


def _comparable(key: str, document: dict[str, Any]) -> Any:
    value = document.get(key)
    if key == "info" and isinstance(value, dict):
        return {name: item for name, item in value.items() if name != "version"}
    return value


def _choose(address: Address, found: list[_Candidate]) -> _Candidate:
    """The definition of the highest version; a different one at that version is an error."""
    highest = max(candidate.version for candidate in found)
    top = sorted(
        (candidate for candidate in found if candidate.version == highest),
        key=lambda candidate: (candidate.fragment.page, candidate.fragment.block),
    )
    winner = top[0]
    is_operation = address[0] == "paths" and address[2] in HTTP_METHODS
    for other in top[1:]:
        if is_operation:
            raise SpecBuildError(
                f"{address[2].upper()} {address[1]} is defined twice: in "
                f"{winner.fragment.origin} and in {other.fragment.origin}"
            )
        if other.value != winner.value:
            raise SpecBuildError(
                f"{_describe(address)} differs between {winner.fragment.origin} and "
                f"{other.fragment.origin}"
            )
    return winner


def _describe(address: Address) -> str:
    if address[0] == "tags":
        return f"tag '{address[1]}'"
    if address[0] == "paths":
        return f"'{address[2]}' of path {address[1]}"
    return f"component {address[1]}/{address[2]}"


def _sorted_item(item: dict[str, Any]) -> dict[str, Any]:
    """Path item keys in a fixed order: methods as HTTP_METHODS lists them, then the rest."""
    methods = [m for m in HTTP_METHODS if m in item]
    rest = sorted(k for k in item if k not in HTTP_METHODS)
    return {key: item[key] for key in methods + rest}
