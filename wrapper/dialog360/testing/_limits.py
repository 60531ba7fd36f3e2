"""Every tunable number of the fake server (dialog360.testing), and the facts of the API it
keeps for itself (not shared with the client, so that a wrong fact cannot pass on both sides)."""

from __future__ import annotations

# The API.
API_KEY_HEADER = "D360-API-KEY"
ATTACHMENTS_PATH = "/whatsapp_business/attachments/"
MEDIA_ID_MAX_DIGITS = 64
MEDIA_URL_TTL = 5 * 60  # seconds a url handed out by GET /{media_id} stays valid

# Hostile clients: every request is read within these bounds.
UPLOAD_BODY_LIMIT = 100 * 1024 * 1024 + 1024 * 1024  # the 100 MiB maximum plus form overhead
CLIENT_TIMEOUT = 30.0  # seconds: idle keep-alive, a whole request head, one stalled write
MIN_BODY_RATE = 64 * 1024  # bytes/s a body must average once CLIENT_TIMEOUT is used up
MAX_REQUEST_LINE = 8 * 1024  # longer -> 414
MAX_FIELD_LINE = 8 * 1024  # one header or trailer line; longer -> 431
MAX_FIELDS = 100  # header (or trailer) lines per request; more -> 431
MAX_HEAD_BYTES = 64 * 1024  # all header (or trailer) lines together; more -> 431
MAX_CHUNK_LINE = 4 * 1024  # one chunk-size line, extensions included; longer -> 400
MAX_CHUNK_EXTENSIONS = 16 * 1024  # chunk extensions of a whole body together; more -> 400
MAX_FORM_PARTS = 64  # parts of one multipart upload; more -> 400
LINGER_SECONDS = 2.0  # after a 413, keep reading the unwanted body so the client sees it

# Connections.
LISTEN_BACKLOG = 128  # 32+ clients connecting at once must not hit SYN retries
JOIN_TIMEOUT = 5.0  # seconds stop() waits for each connection thread

# POST /messages: a JSON body larger than this is refused with 413 (a 4096-character text,
# every character escaped, plus the rest of a message fits several times over).
MAX_MESSAGE_BODY_BYTES = 256 * 1024

# Webhooks: a receiver that does not answer 200 gets the same delivery again after each of these
# delays in turn (360dialog keeps trying for about a day; the fake is quick by default).
WEBHOOK_RETRY_DELAYS = (0.1, 0.2, 0.4, 0.8, 1.6)
WEBHOOK_TIMEOUT = 10.0  # seconds to connect to the receiver and to wait for its answer
WEBHOOK_ANSWER_BYTES = 64 * 1024  # of a receiver's answer, read and dropped
WEBHOOK_WAIT_TIMEOUT = 30.0  # default of FakeServer.wait_for_deliveries()
