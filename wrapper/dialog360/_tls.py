"""The TLS context every client's transport verifies https with: one per process.

httpx builds a context for each transport it makes, loading the whole CA bundle each time:
about 30 ms of CPU for every client. A context may be shared by any number of connections,
threads and event loops, so all clients share the one made on first use. It is made again
only when the environment that chose it changes (httpx reads these three variables).
"""

from __future__ import annotations

import functools
import os
import ssl

import httpx

_CHOSEN_BY = ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE")


def shared_ssl_context() -> ssl.SSLContext:
    """httpx's default context (certifi's CAs unless SSL_CERT_FILE/SSL_CERT_DIR say otherwise),
    made once for the current values of those variables."""
    return _context_for(tuple(os.environ.get(name) for name in _CHOSEN_BY))


@functools.lru_cache(maxsize=1)
def _context_for(environment: tuple[str | None, ...]) -> ssl.SSLContext:
    del environment  # the cache key: httpx reads the same variables itself
    return httpx.create_ssl_context()
