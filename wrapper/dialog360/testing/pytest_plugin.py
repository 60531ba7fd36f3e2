"""pytest plugin (entry point `dialog360`): the `fake_360dialog` and `make_fake_360dialog`
fixtures.

Kept import-light: the server is imported when a fixture is first used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

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


@pytest.fixture
def make_fake_360dialog() -> Iterator[Callable[..., FakeServer]]:
    """A factory of started `FakeServer`s, all stopped after the test: call it with any
    `FakeServer` arguments (api_key defaults to "test-key"), for instance a webhook receiver
    started by the test itself:

    ```python
    def test_receiver(make_fake_360dialog, my_receiver_url):
        server = make_fake_360dialog(webhook_url=my_receiver_url, webhook_secret="s3cret")
        inbound = server.send_inbound_media(b"...", "image/jpeg")
        server.wait_for_deliveries()
    ```

    Clients retry without waiting during the test, as with `fake_360dialog`.
    """
    from dialog360 import retry_sleep_disabled
    from dialog360.testing import FakeServer

    with ExitStack() as stack:
        stack.enter_context(retry_sleep_disabled())

        def make(**options: Any) -> FakeServer:
            options.setdefault("api_key", "test-key")
            return stack.enter_context(FakeServer(**options))

        yield make
