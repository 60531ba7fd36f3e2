"""A real loopback FakeServer in the test process; the CLI runs as a real subprocess, or
in-process through main(argv) (`run_cli`) where only its output is under test."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dialog360.cli import main
from dialog360.testing import FakeServer

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

from cli_helpers import KEY, PHOTO, CLIRunner, Ran, RunCLI  # noqa: E402


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeServer]:
    """One fake API for the whole session (tests add their own media when they change it)."""
    with FakeServer(api_key=KEY) as server:
        yield server


@pytest.fixture(scope="session")
def photo_id(fake: FakeServer) -> str:
    """A seeded JPEG no test deletes."""
    return fake.add_media(PHOTO, "image/jpeg")


@pytest.fixture
def cli(fake: FakeServer) -> CLIRunner:
    """Runs `python -m dialog360 ...` against the fake API with its key in the environment."""
    return CLIRunner(fake.base_url)


@pytest.fixture
def run_cli(
    fake: FakeServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> RunCLI:
    """Runs the CLI's main(argv) in this process against the fake API (or `base_url=`)."""
    for name in list(os.environ):
        if name.startswith("D360_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("D360_API_KEY", KEY)

    def run(*argv: str, base_url: str | None = None) -> Ran:
        monkeypatch.setenv("D360_BASE_URL", base_url or fake.base_url)
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run
