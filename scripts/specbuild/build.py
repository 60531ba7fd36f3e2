"""Extract -> merge -> overlay -> validate: the spec document, and its canonical text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from .errors import SpecBuildError
from .merge import merge_fragments
from .overlay import apply_overlays
from .sources import read_sources


def build_spec(sources: Path, overlays: Path) -> dict[str, Any]:
    """The merged, overlaid and validated OpenAPI document."""
    document = apply_overlays(merge_fragments(read_sources(sources)), overlays)
    try:
        validate(document)
    except OpenAPIValidationError as exc:
        raise SpecBuildError(f"the built spec is not valid OpenAPI: {exc.message}") from exc
    return document


def render_spec(document: dict[str, Any]) -> str:
    """Byte-stable JSON text: sorted keys, two-space indent, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
