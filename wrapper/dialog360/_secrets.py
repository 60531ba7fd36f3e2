"""Keeping the API key and signed-url query values out of reprs, messages and log lines.

The key lives in the client's settings and in the one request copy the transport sends; every
object handed out (the httpx client, requests, responses, errors) holds a placeholder instead.
What a server sends back is scrubbed of the key before anyone can read it, and the loggers of
dialog360, httpx, httpcore and hpack pass through a filter that removes the key and every url's
query values from each line they emit.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
import urllib.parse
import weakref

import httpx

from . import _constants as C

REDACTED = "<redacted>"
_REDACTED_BYTES = REDACTED.encode()

# Header names whose values no repr shows (httpx itself masks only the first two).
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", C.API_KEY_HEADER.lower()})


class MaskedHeaders(httpx.Headers):
    """httpx.Headers whose repr shows the API key header (and Authorization) as <redacted>."""

    def __repr__(self) -> str:
        shown = [
            (name, REDACTED if name.lower() in _SECRET_HEADERS else value)
            for name, value in self.multi_items()
        ]
        names = [name.lower() for name, _ in shown]
        listing = repr(dict(shown)) if len(set(names)) == len(names) else repr(shown)
        return f"{type(self).__name__}({listing})"


def echo_forms(secret: str) -> tuple[str, ...]:
    """`secret`, and the forms a server may echo it in: percent-encoded, and inside base64
    (standard or url-safe alphabet) at each of the three byte alignments a longer encoded text
    may put it in. Of a base64 form, only the characters that encode the secret's bytes alone
    are known, whatever surrounds it; longest first."""
    raw = secret.encode("utf-8")
    forms = {secret, urllib.parse.quote(secret, safe="")}
    for shift in range(3):
        padded = bytes(shift) + raw
        # Whole 3-byte groups of the secret's own bytes: the first one shared with the bytes
        # before it (when shifted) and a last partial one are left out.
        first_group, end_group = (1 if shift else 0), len(padded) // 3
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            forms.add(encode(padded)[4 * first_group : 4 * end_group].decode("ascii"))
    return tuple(sorted((form for form in forms if form), key=len, reverse=True))


class Redactor:
    """Removes one API key from text, bytes and headers, also when echoed encoded (`echo_forms`).

    A key shorter than MIN_REDACTED_KEY_CHARS is no real key (a placeholder in a test): every
    occurrence of "k" in every answer is not worth destroying, so such a key is left alone.
    """

    def __init__(self, secret: str):
        forms = echo_forms(secret) if len(secret) >= C.MIN_REDACTED_KEY_CHARS else ()
        self._texts = forms
        self._bytes = tuple(form.encode("utf-8") for form in forms)
        with _live_lock:
            _live_redactors.add(self)

    def text(self, value: str) -> str:
        for form in self._texts:
            if form in value:
                value = value.replace(form, REDACTED)
        return value

    def bytes(self, value: bytes) -> bytes:
        for form in self._bytes:
            if form in value:
                value = value.replace(form, _REDACTED_BYTES)
        return value

    def shows_in(self, text: str) -> bool:
        return any(form in text for form in self._texts)

    def in_error(self, error: BaseException) -> bool:
        """Whether the key shows in the text of `error` or of any exception it chains to."""
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            if self.shows_in(str(current)) or any(self.shows_in(repr(a)) for a in current.args):
                return True
            current = current.__cause__ or current.__context__
        return False

    def headers(self, headers: httpx.Headers) -> httpx.Headers:
        """`headers`, with the key replaced wherever a value echoes it."""
        values = b"\n".join(value for _, value in headers.raw)  # one search per form
        if not any(form in values for form in self._bytes):
            return headers
        return httpx.Headers(
            [(name, self.bytes(value)) for name, value in headers.raw], encoding=headers.encoding
        )


# Every client's redactor, for the log filter; a client that is gone drops out by itself.
# The lock: a client built in one thread while another thread logs.
_live_redactors: weakref.WeakSet[Redactor] = weakref.WeakSet()
_live_lock = threading.Lock()

_URL = re.compile(r"""[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]+""")


def hide_query_values(url: str) -> str:
    """`url` with every query value replaced by …: a media url's `hash` is a credential."""
    base, question, query = url.partition("?")
    if not question:
        return url
    query, hash_sign, fragment = query.partition("#")
    names = [part.split("=", 1)[0] + "=…" if "=" in part else "…" for part in query.split("&")]
    return base + "?" + "&".join(names) + hash_sign + fragment


def scrub(text: str) -> str:
    """`text` without any live API key and without the query values of any url in it."""
    with _live_lock:
        redactors = list(_live_redactors)
    for redactor in redactors:
        text = redactor.text(text)
    return _URL.sub(lambda match: hide_query_values(match.group()), text)


class RedactingFilter(logging.Filter):
    """Rewrites a log record whose message shows a key or a url's query values."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message)
        if clean != message:
            record.msg = clean
            record.args = None
        return True


# Filters on a logger see only the records logged to that very logger (not its children), so
# every logger that may print a url or a header is named. httpx logs each request's full url
# at INFO; httpcore, hpack and aiohttp log response (and, for HTTP/2, request) headers at DEBUG.
_FILTERED_LOGGERS = (
    "dialog360",
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "hpack.hpack",
    "hpack.table",
    # The aiohttp engine's: aiohttp logs client-side problems, urls included, here.
    "aiohttp.client",
    "aiohttp.internal",
)
_FILTER = RedactingFilter()


def install_log_filter() -> None:
    """Put the redacting filter on every logger that may show a url or a header (idempotent)."""
    for name in _FILTERED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
            logger.addFilter(_FILTER)
