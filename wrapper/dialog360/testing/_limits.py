"""Every tunable number of the fake server (dialog360.testing) in one place."""

from __future__ import annotations

# POST /messages: a JSON body larger than this is refused with 413 (a 4096-character text,
# every character escaped, plus the rest of a message fits several times over).
MAX_MESSAGE_BODY_BYTES = 256 * 1024

# Webhooks: a receiver that does not answer 200 gets the same delivery again after each of these
# delays in turn (360dialog keeps trying for about a day; the fake is quick by default).
WEBHOOK_RETRY_DELAYS = (0.1, 0.2, 0.4, 0.8, 1.6)
WEBHOOK_TIMEOUT = 10.0  # seconds to connect to the receiver and to wait for its answer
WEBHOOK_ANSWER_BYTES = 64 * 1024  # of a receiver's answer, read and dropped
WEBHOOK_WAIT_TIMEOUT = 30.0  # default of FakeServer.wait_for_deliveries()
