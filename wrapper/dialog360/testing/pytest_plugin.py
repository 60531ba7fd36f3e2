"""pytest plugin (entry point `dialog360`): the `fake_360dialog` fixture.

Kept import-light: the server is imported when the fixture is first used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from dialog360.testing import FakeServer


@pytest.fixture
def fake_360dialog() -> Iterator[FakeServer]:
    """A started `FakeServer` (API key "test-key", ephemeral port), stopped after the test."""
    from dialog360.testing import FakeServer

    with FakeServer(api_key="test-key") as server:
        yield server
