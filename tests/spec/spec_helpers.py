"""Helpers for the spec pipeline tests: paths, pages, copies of spec/, generate.py runs."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
GENERATE = SCRIPTS / "generate.py"
SPEC = REPO / "spec"
GENERATED = REPO / "generated"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_NAME = "360dialog-messaging-api-media.md"
SEED_PAGE = SPEC / "sources" / SEED_NAME
BUMPED_PAGE = FIXTURES / "360dialog-messaging-api-media-1.42.0.md"


def json_block_lines(text: str) -> list[int]:
    """1-based line numbers of the ```json fences of a page (read line by line)."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "```json"]


def json_blocks(text: str) -> list[dict[str, Any]]:
    """The parsed ```json blocks of a page, read line by line (independent of the subject)."""
    lines = text.splitlines()
    blocks = []
    for start in json_block_lines(text):
        end = next(i for i in range(start, len(lines)) if lines[i].strip() == "```")
        blocks.append(json.loads("\n".join(lines[start:end])))
    return blocks


def page_text(*documents: dict[str, Any], prose: str = "") -> str:
    """A docs page holding `documents` as ```json blocks, with some prose around them."""
    parts = ["# Page\n", prose]
    for document in documents:
        parts.append(f"\n## Op\n\n```json\n{json.dumps(document)}\n```\n")
    return "\n".join(parts)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root` (caches aside), by relative path."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def run_generate(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """scripts/generate.py's main() with these arguments, in this process, its output captured.

    In-process: a fresh interpreter per run spent ~0.6 s importing the spec tooling, a third of
    the suite's CPU. `run_generate_command` runs the script the way CI does.
    """
    import generate  # scripts/ is on sys.path (conftest)

    argv = list(map(str, args))
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        returncode = generate.main(argv)
    return subprocess.CompletedProcess(argv, returncode, stdout.getvalue(), stderr.getvalue())


def run_generate_command(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """scripts/generate.py as CI runs it: a subprocess of this interpreter (the .venv python)."""
    return subprocess.run(
        [sys.executable, str(GENERATE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )


def copy_repo_state(destination: Path) -> tuple[Path, Path]:
    """Copies of the committed spec/ and generated/ under `destination`: (spec_dir, generated)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    spec_dir = destination / "spec"
    generated = destination / "generated"
    shutil.copytree(SPEC, spec_dir, ignore=ignore)
    shutil.copytree(GENERATED, generated, ignore=ignore)
    return spec_dir, generated
