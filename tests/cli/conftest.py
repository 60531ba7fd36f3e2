"""A real loopback FakeServer in the test process. The CLI runs in this process through
main(argv) (`run_cli`); as a real subprocess (`cli`) only where the process itself is under test:
signals, pipes, imports."""

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

from cli_helpers import KEY, PHOTO, CLIRunner, Ran, RunCLI, RunWithTerminal  # noqa: E402


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
    fake: FakeServer, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> RunCLI:
    """Runs the CLI's main(argv) in this process against the fake API (or `base_url=`), with
    KEY in the environment (or `key=`, None for none)."""
    for name in list(os.environ):
        if name.startswith("D360_"):
            monkeypatch.delenv(name)

    def run(*argv: str, base_url: str | None = None, key: str | None = KEY) -> Ran:
        monkeypatch.setenv("D360_BASE_URL", base_url or fake.base_url)
        if key is None:
            monkeypatch.delenv("D360_API_KEY", raising=False)
        else:
            monkeypatch.setenv("D360_API_KEY", key)
        capsysbinary.readouterr()
        code = main(list(argv))
        captured = capsysbinary.readouterr()
        return Ran(code, captured.out, captured.err.decode("utf-8", "replace"))

    return run


# -- a terminal on stderr, for the progress bar --------------------------------------------


@pytest.fixture
def on_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunWithTerminal]:
    monkeypatch.setenv("COLUMNS", "50")
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    yield RunWithTerminal()
