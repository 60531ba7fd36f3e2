"""Printing results: one JSON object for scripts, or a few short lines for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping

_UNITS = ("bytes", "kB", "MB", "GB")


def emit_json(document: Mapping[str, object]) -> None:
    """One JSON object on one line of stdout."""
    print(json.dumps(document, ensure_ascii=False), flush=True)


def emit(line: str = "") -> None:
    """A line of human output on stdout."""
    print(line, flush=True)


def human_size(size: int | None) -> str:
    """`1234567` -> `1.2 MB` (decimal units, as the progress bar shows them)."""
    if size is None:
        return "unknown size"
    if size < 1000:
        return f"{size} byte" + ("" if size == 1 else "s")
    value = float(size)
    for unit in _UNITS[1:]:
        value /= 1000
        if value < 1000 or unit == _UNITS[-1]:
            break
    return f"{value:.1f} {unit}"


def short_hash(sha256: str) -> str:
    """The first 12 hex digits, enough to recognise a file."""
    return sha256[:12] + "…" if len(sha256) > 12 else sha256


def stderr_is_terminal() -> bool:
    """Whether progress bars may be drawn (stderr is a terminal)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (raw media bytes must not go there)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
