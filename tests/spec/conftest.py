"""Fixtures for the spec pipeline tests; makes scripts/ and the generated client importable."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

_HERE = Path(__file__).resolve().parent
_REPO = _HERE.parents[1]
# scripts/ is not a package on the import path, and the generated client is not installed:
# put both (and this folder, for spec_helpers) first on sys.path.
for _folder in (_HERE, _REPO / "scripts", _REPO / "generated"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from spec_helpers import SEED_PAGE, copy_repo_state, json_blocks, page_text  # noqa: E402


@pytest.fixture
def repo_copy(tmp_path: Path) -> tuple[Path, Path]:
    return copy_repo_state(tmp_path)


@pytest.fixture
def seed_documents() -> list[dict[str, Any]]:
    return json_blocks(SEED_PAGE.read_text(encoding="utf-8"))


@pytest.fixture
def write_page(tmp_path: Path) -> Callable[..., Path]:
    """Write a page of ```json blocks into tmp_path/sources (created on first use)."""

    def write(name: str, *documents: dict[str, Any], prose: str = "") -> Path:
        folder = tmp_path / "sources"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_text(page_text(*documents, prose=prose), encoding="utf-8")
        return path

    return write
