"""A real loopback FakeServer in the test process; the CLI runs as a real subprocess."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dialog360.testing import FakeServer

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

from cli_helpers import KEY, PHOTO, CLIRunner  # noqa: E402


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
