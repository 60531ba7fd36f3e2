"""One TLS context for the tests' own raw httpx clients.

They only talk http:// to 127.0.0.1, but httpx builds a context for every client it makes,
loading the whole CA bundle: ~30 ms of CPU each, paid hundreds of times over the suite.
"""

from __future__ import annotations

import ssl

TLS = ssl.create_default_context()
