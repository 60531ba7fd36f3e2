"""Clients verify https with one TLS context per process instead of loading the CAs each.

Loading the CA bundle costs ~30 ms of CPU, which every `Dialog360(...)` paid when each transport
built its own context. The shared context is made on first use and again only when the
variables that choose the CAs change.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import certifi
import pytest
from dialog360 import AsyncDialog360, Dialog360
from dialog360._tls import _context_for, shared_ssl_context


@pytest.fixture
def ca_loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The CA files loaded into any SSL context while the test runs, in order."""
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE"):
        monkeypatch.delenv(name, raising=False)
    loads: list[str] = []
    real = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, cafile: Any = None, *args: Any, **kwargs: Any) -> None:
        loads.append(str(cafile))
        real(self, cafile, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    _context_for.cache_clear()
    yield loads
    _context_for.cache_clear()


async def test_clients_of_every_kind_load_the_cas_once(ca_loads: list[str]):
    clients: list[Dialog360 | AsyncDialog360] = [
        Dialog360("k", base_url="https://waba-v2.360dialog.io"),
        Dialog360("k", base_url="https://waba-v2.360dialog.io"),
        AsyncDialog360("k", base_url="https://waba-v2.360dialog.io"),
        AsyncDialog360("k", base_url="https://waba-v2.360dialog.io", engine="aiohttp"),
    ]
    assert ca_loads == [certifi.where()]
    context = shared_ssl_context()
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    for client in clients:
        if isinstance(client, AsyncDialog360):
            await client.close()
        else:
            client.close()
    assert ca_loads == [certifi.where()]


def test_ssl_cert_file_chooses_the_cas_and_a_change_makes_a_new_context(
    ca_loads: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    before = shared_ssl_context()
    bundle = tmp_path / "company-ca.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    Dialog360("k").close()
    after = shared_ssl_context()
    assert ca_loads == [certifi.where(), str(bundle)]
    assert after is not before
    assert shared_ssl_context() is after
