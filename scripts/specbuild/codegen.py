"""Run the pinned openapi-python-client on the built spec and produce the package folder."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ruff import find_ruff_bin

from .errors import SpecBuildError

if TYPE_CHECKING:
    from openapi_python_client.parser.errors import GeneratorError

PACKAGE_NAME = "dialog360_api"
CONFIG_FILE = Path(__file__).resolve().parent.parent / "openapi-python-client.yaml"
# Our replacements for some of the generator's templates (the rest come from the package).
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def generate_package(spec_path: Path, destination: Path) -> None:
    """Generate the client for `spec_path` into `destination` (which must not exist yet).

    The generator runs in this process (a fresh interpreter cost ~0.5 s of imports per build);
    any warning fails the build, as `--fail-on-warning` does. Ruff then formats the output:
    the one pinned in this environment, never whatever is on PATH.
    """
    if destination.exists():
        raise SpecBuildError(f"{destination}: already exists; generate into a fresh folder")
    # Imported here: the rest of the spec tooling (and its tests) never needs the generator.
    import openapi_python_client
    from openapi_python_client.config import Config, ConfigFile, MetaType

    with tempfile.TemporaryDirectory(prefix="dialog360-gen-") as work:
        output = Path(work) / PACKAGE_NAME
        config = Config.from_sources(
            config_file=ConfigFile.load_from_path(path=CONFIG_FILE),
            meta_type=MetaType.NONE,
            document_source=spec_path,
            file_encoding="utf-8",
            overwrite=False,
            output_path=output,
        )
        with contextlib.redirect_stdout(io.StringIO()):  # it prints "Generating <folder>"
            problems = openapi_python_client.generate(
                config=config, custom_template_path=TEMPLATES_DIR
            )
        if problems or not (output / "__init__.py").is_file():
            raise SpecBuildError(
                "openapi-python-client failed:\n"
                + "\n".join(describe_problem(problem) for problem in problems)
            )
        _format(output)
        (output / "py.typed").write_text("")
        for cache in output.rglob("__pycache__"):
            shutil.rmtree(cache)
        shutil.copytree(output, destination)


def describe_problem(problem: GeneratorError) -> str:
    """One generator error or warning, as its command line prints it."""
    from openapi_python_client.parser.errors import ParseError

    lines = [f"{problem.level.value}: {problem.header}"]
    if problem.detail:
        lines.append(f"  {problem.detail}")
    if isinstance(problem, ParseError) and problem.data is not None:  # the part it could not use
        lines.append(problem.data.model_dump_json(indent=2, exclude_unset=True, by_alias=True))
    return "\n".join(lines)


def _format(package: Path) -> None:
    """Sort the imports and format the code; `--isolated`: no surrounding ruff config applies."""
    ruff = find_ruff_bin()
    for command in (
        [
            ruff,
            "check",
            ".",
            "--fix-only",
            "--extend-select=I",
            "--isolated",
            "--no-cache",
            "--quiet",
        ],
        [ruff, "format", ".", "--isolated", "--no-cache", "--quiet"],
    ):
        result = subprocess.run(command, cwd=package, capture_output=True, text=True)
        if result.returncode != 0:
            raise SpecBuildError(
                f"ruff failed on the generated code:\n{(result.stdout + result.stderr).strip()}"
            )


def replace_package(generated: Path, target: Path) -> None:
    """Put `generated` in place of `target` whole, so no stale module survives a rebuild."""
    staging = target.with_name(f".{target.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(generated, staging)
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)
