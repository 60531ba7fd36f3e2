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
    """A started `FakeServer` (API key "test-key", ephemeral port), stopped after the test.

    During the test (and only then) clients retry without waiting, as inside
    `dialog360.retry_sleep_disabled()`: the next test waits between retries as usual.
    """
    from dialog360 import retry_sleep_disabled
    from dialog360.testing import FakeServer

    with retry_sleep_disabled(), FakeServer(api_key="test-key") as server:
        yield server
