"""Every tunable number of dialog360 in one place."""

from __future__ import annotations

DEFAULT_BASE_URL = "https://waba-v2.360dialog.io"
API_KEY_HEADER = "D360-API-KEY"
API_KEY_ENV = "D360_API_KEY"
BASE_URL_ENV = "D360_BASE_URL"

# Media ids are ASCII digits only.
MEDIA_ID_MAX_LENGTH = 64

# Retries: 0 turns them off.
DEFAULT_MAX_RETRIES = 2
RETRY_BACKOFF_INITIAL = 0.5  # seconds, doubled each attempt
RETRY_BACKOFF_MAX = 8.0
RETRY_JITTER_MIN = 0.75  # the backoff is multiplied by a random factor in [min, 1]
RETRY_AFTER_MAX = 60.0  # a longer Retry-After on 429 is raised at once, not waited for
RETRYABLE_STATUSES = frozenset({408, 500, 502, 503, 504})
UPLOAD_RETRYABLE_STATUSES = frozenset({429, 503})  # only with Retry-After

# Timeouts (seconds).
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0  # per API call; for downloads it is the idle time between chunks
WRITE_TIMEOUT = 30.0
POOL_TIMEOUT = 30.0

# Downloads.
DEFAULT_MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024  # the Cloud API's largest media
TRUSTED_MEDIA_HOSTS = frozenset({"lookaside.fbsbx.com"})
ATTACHMENTS_PATH = "/whatsapp_business/attachments/"
# Requests for media bytes carry this httpx request extension: the retry transport streams their
# bodies untouched (raw, refused if encoded) instead of reading and capping them like API answers.
MEDIA_BYTES_EXTENSION = "dialog360.media_bytes"
# Hashing and writing run on a worker thread beside the receive; at most this many received
# bytes wait for it (memory stays flat), and writeback to disk is started every step so the
# final fsync is short.
WRITER_MAX_PENDING_BYTES = 4 * 1024 * 1024
# Received chunks (64 KiB) are handed to that thread in blocks of this size: per chunk, passing
# the GIL and the lock between the two threads cost more than the hashing.
WRITER_BLOCK_BYTES = 1024 * 1024
WRITEBACK_STEP_BYTES = 8 * 1024 * 1024
# Media up to this size are held whole and hashed and written in one hand-off at the end: a
# worker thread per download costs more than it saves when the file is small.
BUFFERED_HASHING_MAX_BYTES = 1024 * 1024
# Download files: the name limit assumed when the filesystem does not tell (Linux's NAME_MAX).
DEFAULT_NAME_MAX = 255
# Statuses on the bytes that mean "the url expired": fetch fresh metadata once.
EXPIRED_URL_STATUSES = frozenset({401, 403, 404, 410})

# The media url handed out by GET /{media_id} is valid this long (seconds).
MEDIA_URL_TTL = 5 * 60

# Error reporting: an error's message is shown up to this length.
MAX_ERROR_MESSAGE_CHARS = 300

# Transport: API answers, retries, secrets.
# Every API answer (success or error) is read up to this many bytes, on the wire and after
# decoding its Content-Encoding; a success over it is refused, an error's message comes from it.
MAX_API_BODY_BYTES = 1024 * 1024
API_ACCEPT_ENCODING = "gzip, deflate"  # what API answers may be compressed with (and decoded)
MAX_CONTENT_CODINGS = 3  # stacked encodings ("gzip, gzip") refused beyond this many
DECODE_STEP_BYTES = 64 * 1024  # a decompressor yields at most this much at a time
# A delta-seconds Retry-After longer than this many digits (300+ years) counts as absent.
RETRY_AFTER_MAX_DIGITS = 10
# Server text (bodies, headers, log lines) is scrubbed of API keys at least this long; a
# shorter one is a test placeholder whose every occurrence is not worth destroying.
MIN_REDACTED_KEY_CHARS = 8

# The aiohttp engine (AsyncDialog360 on aiohttp): httpx's own defaults, so both engines allow
# the same number of connections.
ENGINE_MAX_CONNECTIONS = 100
ENGINE_MAX_KEEPALIVE_CONNECTIONS = 20  # 0 closes every connection after its response
ENGINE_KEEPALIVE_EXPIRY = 5.0  # seconds an idle connection is kept

# Messages (POST /messages): what WhatsApp accepts, checked before anything is sent.
PHONE_MIN_DIGITS = 7  # a recipient's number, country code first
PHONE_MAX_DIGITS = 15  # E.164's longest
TEXT_BODY_MAX_CHARS = 4096
CAPTION_MAX_CHARS = 1024
DOCUMENT_FILENAME_MAX_CHARS = 240
MESSAGE_ID_PREFIX = "wamid."  # every WhatsApp message id starts so
MESSAGE_ID_MAX_CHARS = 512  # real ids are ~60 characters; anything far longer is not one

# Webhooks (dialog360.webhooks): what one delivery may be before it is refused unread.
WEBHOOK_MAX_BODY_BYTES = 3 * 1024 * 1024  # Meta caps a webhook payload at 3 MB
WEBHOOK_MAX_DEPTH = 64  # nesting of JSON objects and arrays; the envelope itself needs ~10
WEBHOOK_MAX_ARRAY_ITEMS = 10_000  # any one array; Meta batches at most 1000 updates
WEBHOOK_SIGNATURE_HEADER = "X-360Dialog-Signature"  # 360dialog's; hex or sha256=<hex>
WEBHOOK_META_SIGNATURE_HEADER = "X-Hub-Signature-256"  # Meta's own; sha256=<hex>
# A document's filename kept by download(use_filename=True) is cut to this many UTF-8 bytes,
# leaving room in NAME_MAX for the temp file's prefix and suffix.
INBOUND_FILENAME_MAX_BYTES = 200
