"""Every tunable number of the fake server (dialog360.testing) in one place."""

from __future__ import annotations

# POST /messages: a JSON body larger than this is refused with 413 (a 4096-character text,
# every character escaped, plus the rest of a message fits several times over).
MAX_MESSAGE_BODY_BYTES = 256 * 1024
