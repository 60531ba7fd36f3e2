"""The API key stays secret: reprs, exceptions, logs, and other origins."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import dialog360
import httpx
import pytest

JPEG = b"\xff\xd8\xff\xe0" + b"fake jpeg body " * 100
BIG = bytes(range(256)) * 3000  # 768,000 bytes


def test_key_not_in_reprs(d360: Any, server: Any) -> None:
    client = d360.client
    token = client.api.token
    shown = [
        repr(client),
        str(client),
        repr(client.api),
        str(token),
        repr(token),
        f"{token}",
        f"{token!r}",
        "%s" % token,  # noqa: UP031
        format(token, ""),
        repr(client.media),
    ]
    for text in shown:
        assert server.key not in text, text
    assert token == "<redacted>"  # the transport puts the real key on the wire copy only


@pytest.mark.parametrize("other", ["https://other.example/x", "http://waba-v2.360dialog.io/x"])
async def test_key_not_sent_to_another_origin(d360: Any, server: Any, other: str) -> None:
    server.mock.add_response(method="GET", url=other, text="hello")
    response = await d360.http_get(other)
    assert response.text == "hello"
    (request,) = server.requests()
    assert "D360-API-KEY" not in request.headers
    assert request.headers["User-Agent"].startswith("dialog360/")


async def test_key_not_sent_to_another_port_of_the_base_host(d360: Any, server: Any) -> None:
    url = "https://waba-v2.360dialog.io:8443/x"
    server.mock.add_response(method="GET", url=url, text="hello")
    await d360.http_get(url)
    assert "D360-API-KEY" not in server.requests()[0].headers


async def test_key_still_sent_to_the_base_origin_by_hand(d360: Any, server: Any) -> None:
    url = f"{server.base}/{server.media_id}"
    server.mock.add_response(method="GET", url=url, json=server.meta(b"x"))
    await d360.http_get(url)
    assert server.requests()[0].headers["D360-API-KEY"] == server.key


async def test_one_debug_line_per_request_and_per_retry(
    d360: Any, server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="dialog360")
    server.add_status(503)
    server.add_status(503)
    server.add_meta(server.meta(b"x"))
    await d360.get(server.media_id)
    ours = [r for r in caplog.records if r.name == "dialog360"]
    assert all(r.levelno == logging.DEBUG for r in ours)
    retries = [r for r in ours if r.getMessage().startswith("retry")]
    requests = [r for r in ours if " -> " in r.getMessage()]
    assert len(retries) == 2
    assert len(requests) == 3
    assert len(ours) == 5
    assert [r.getMessage().split(" -> ")[1].split()[0] for r in requests] == ["503", "503", "200"]


async def test_log_lines_show_no_query_values(
    d360: Any, server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="dialog360")
    server.add_media(JPEG)
    await d360.read(server.media_id)
    lines = [r.getMessage() for r in caplog.records if r.name == "dialog360"]
    (bytes_line,) = [line for line in lines if "attachments" in line]
    assert "hash=…" in bytes_line
    assert "mid=…" in bytes_line
    assert "1764230400" not in bytes_line
    assert "AT" not in bytes_line.split("?", 1)[1]


async def test_key_and_hash_in_no_log_record_or_exception(
    make_d360: Any, server: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A run with retries, errors, refreshes, resumes, downloads and uploads, every logger at
    DEBUG: httpx's own INFO line shows each request's full url, hash included, unless scrubbed.
    """
    for name in ("", "dialog360", "httpx", "httpcore", "httpcore.http11", "httpcore.connection"):
        caplog.set_level(logging.DEBUG, logger=name)
    d360 = make_d360()
    raised: list[BaseException] = []

    # retries then success
    server.add_status(503)
    server.mock.add_exception(httpx.ConnectError("connection refused"))
    server.add_meta(server.meta(JPEG))
    await d360.get(server.media_id)

    # a download with an expired url, a drop mid-body and a resume
    server.add_meta(server.meta(BIG))
    server.add_bytes(status_code=403, json={"error": "expired"})
    server.add_meta(server.meta(BIG))
    server.add_bytes(stream=server.DroppingStream(BIG[:600_000]))
    server.add_bytes(BIG)
    await d360.download(server.media_id, tmp_path)

    # failures of every kind
    failures: list[tuple[Any, Any]] = []
    server.add_status(401, json={"error": "Invalid API key"})
    failures.append((dialog360.AuthenticationError, lambda: d360.get(server.media_id)))
    server.add_status(429, headers={"Retry-After": "120"})
    failures.append((dialog360.RateLimitError, lambda: d360.get(server.media_id)))
    server.add_meta(server.meta(JPEG, sha256=server.sha256_hex(b"other")))
    server.add_bytes(JPEG)
    failures.append((dialog360.IntegrityError, lambda: d360.read(server.media_id)))
    server.add_meta(server.meta(JPEG, url=server.lookaside.replace("lookaside.fbsbx.com", "x.io")))
    failures.append((dialog360.UnsafeMediaURLError, lambda: d360.read(server.media_id)))
    server.add_meta(server.meta(JPEG))
    server.add_bytes(status_code=302, headers={"Location": f"https://evil.example/?k={server.key}"})
    failures.append((dialog360.UnsafeMediaURLError, lambda: d360.read(server.media_id)))
    for _ in range(3):
        server.mock.add_exception(httpx.ReadTimeout("timed out"))
    failures.append((dialog360.APITimeoutError, lambda: d360.get(server.media_id)))
    server.add_status(500, method="POST", url=f"{server.base}/media")
    failures.append((dialog360.ServerError, lambda: d360.upload(JPEG, mime_type="image/jpeg")))
    failures.append((dialog360.ConfigurationError, lambda: _no_key_client(d360)))
    for expected, call in failures:
        with pytest.raises(expected) as info:
            await call()
        raised.append(info.value)

    hash_value = unquote(server.hash)
    assert {"dialog360", "httpx"} <= {record.name for record in caplog.records}
    for record in caplog.records:
        shown = [record.getMessage(), str(record.args), repr(record.args), caplog.text]
        for text in shown:
            for secret in (server.key, server.hash, hash_value):
                assert secret not in text, (record.name, text)
    for exc in raised:
        server.assert_no_secret(exc, server.hash, hash_value)
    server.assert_key_only_sent_to_base()


async def _no_key_client(d360: Any) -> None:
    type(d360.client)(None)


def test_configuration_errors_do_not_echo_the_key(client_class: Any) -> None:
    secret = "s3cr3t-\u00e9-key"
    with pytest.raises(dialog360.ConfigurationError) as info:
        client_class(secret)
    assert secret not in str(info.value)
    assert secret not in repr(info.value)


def test_log_filter_scrubs_urls_and_keys_in_any_argument(
    d360: Any, server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The filter works on the formatted line, whatever shape httpx or httpcore log it in."""
    caplog.set_level(logging.DEBUG)
    url = httpx.URL(server.lookaside)
    logging.getLogger("httpx").info("HTTP Request: %s %s", "GET", url)
    logging.getLogger("httpcore.http11").debug(
        "receive_response_headers.complete return_value=%r",
        (b"HTTP/1.1", 302, [(b"Location", server.lookaside.encode()), (b"X", server.key.encode())]),
    )
    logging.getLogger("httpx").info(f"literal {server.key} {server.lookaside}")
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 3
    for line in lines:
        assert server.key not in line and server.hash not in line, line
        assert "hash=…" in line
    assert "<redacted>" in lines[1] and "<redacted>" in lines[2]
