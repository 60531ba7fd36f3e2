"""Run the pinned openapi-python-client on the built spec and produce the package folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import SpecBuildError

PACKAGE_NAME = "dialog360_api"
CONFIG_FILE = Path(__file__).resolve().parent.parent / "openapi-python-client.yaml"
# Our replacements for some of the generator's templates (the rest come from the package).
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def generate_package(spec_path: Path, destination: Path) -> None:
    """Generate the client for `spec_path` into `destination` (which must not exist yet)."""
    if destination.exists():
        raise SpecBuildError(f"{destination}: already exists; generate into a fresh folder")
    # The generator and its ruff post-hooks come from the interpreter running this script, so
    # the pinned versions in that environment decide the output, not whatever is on PATH.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    with tempfile.TemporaryDirectory(prefix="dialog360-gen-") as work:
        output = Path(work) / PACKAGE_NAME
        command = [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(spec_path),
            "--config",
            str(CONFIG_FILE),
            "--custom-template-path",
            str(TEMPLATES_DIR),
            "--meta",
            "none",
            "--fail-on-warning",
            "--output-path",
            str(output),
        ]
        result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
        if result.returncode != 0 or not (output / "__init__.py").is_file():
            raise SpecBuildError(
                "openapi-python-client failed:\n" + (result.stdout + result.stderr).strip()
            )
        (output / "py.typed").write_text("")
        for cache in output.rglob("__pycache__"):
            shutil.rmtree(cache)
        shutil.copytree(output, destination)


def replace_package(generated: Path, target: Path) -> None:
    """Put `generated` in place of `target` whole, so no stale module survives a rebuild."""
    staging = target.with_name(f".{target.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(generated, staging)
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)
