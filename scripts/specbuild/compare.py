"""Differences between a freshly built tree and the committed one, as a readable diff."""

from __future__ import annotations

import difflib
from pathlib import Path

MAX_DIFF_LINES = 200


def _files(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {
        str(path.relative_to(root)): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def text_diff(label: str, committed: str, built: str) -> list[str]:
    """Unified diff lines from the committed text to the built one (empty when equal)."""
    return list(
        difflib.unified_diff(
            committed.splitlines(),
            built.splitlines(),
            fromfile=f"committed/{label}",
            tofile=f"built/{label}",
            lineterm="",
        )
    )


def tree_diff(label: str, committed: Path, built: Path) -> list[str]:
    """Diff lines for every file added, removed or changed between two folders."""
    old, new = _files(committed), _files(built)
    lines: list[str] = []
    for name in sorted(old.keys() | new.keys()):
        before = old[name].read_text(encoding="utf-8") if name in old else ""
        after = new[name].read_text(encoding="utf-8") if name in new else ""
        if name not in new:
            lines.append(f"only in committed: {label}/{name}")
        elif name not in old:
            lines.append(f"only in built: {label}/{name}")
        if before != after:
            lines.extend(text_diff(f"{label}/{name}", before, after))
    return lines


def shorten(lines: list[str]) -> list[str]:
    """At most MAX_DIFF_LINES lines, saying how many were left out."""
    if len(lines) <= MAX_DIFF_LINES:
        return lines
    return [*lines[:MAX_DIFF_LINES], f"... {len(lines) - MAX_DIFF_LINES} more diff lines"]
