"""Extract -> merge -> overlay -> validate: the spec document, and its canonical text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from .errors import SpecBuildError
from .generator_limits import Finding, unsupported_constructs
from .merge import MergedSpec, merge_sources
from .overlay import apply_overlays
from .sources import read_sources


def build_spec(sources: Path, overlays: Path) -> dict[str, Any]:
    """The merged, overlaid and validated OpenAPI document."""
    merged = merge_sources(read_sources(sources))
    published = set(unsupported_constructs(merged.document))
    defined_by = {address: fragment.where for address, fragment in merged.origins.items()}
    document = apply_overlays(merged.document, overlays, defined_by)
    findings = unsupported_constructs(document)
    if findings:
        raise SpecBuildError(_unsupported_message(findings, published, merged))
    try:
        validate(document)
    except OpenAPIValidationError as exc:
        raise SpecBuildError(f"the built spec is not valid OpenAPI: {exc.message}") from exc
    return document


def render_spec(document: dict[str, Any]) -> str:
    """Byte-stable JSON text: sorted keys, two-space indent, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _unsupported_message(
    findings: list[Finding], published: set[Finding], merged: MergedSpec
) -> str:
    lines = [
        "openapi-python-client cannot generate these parts of the spec; correct each with an "
        "overlay in spec/overlays/ (or leave the page out of spec/sources/):"
    ]
    for finding in findings:
        fragment = merged.origins.get(tuple(str(step) for step in finding.location[:3]))
        if finding in published and fragment is not None:
            where = fragment.where
        else:
            where = "added by an overlay"
        lines.append(f"  {where}: {finding.json_path}: {finding.problem}")
    return "\n".join(lines)
