"""Hostile API answers through the real transport: compressed, huge, undecodable, echoing the key.

Every API answer (success or error) is read within one cap after decoding; what the caller gets
(a model, or an error with `.response`) is decoded, already read and free of the key.
"""

from __future__ import annotations

import gzip as stdlib_gzip
import json
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import dialog360
import httpx
import pytest
from bombs import MiB, gzip, gzip_bomb
from dialog360 import (
    APIConnectionError,
    APIError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from dialog360 import _constants as C
from dialog360._bodies import BoundedBody
from leaks import encoded_echoes, recoverable

CAP = C.MAX_API_BODY_BYTES


def response_of(error: APIError) -> httpx.Response:
    """The answer an APIError holds (every error of these tests has one)."""
    assert error.response is not None
    return error.response


def zlib_deflate(data: bytes) -> bytes:
    return zlib.compress(data)


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def test_the_bomb_is_a_gzip_file_of_that_many_zeros() -> None:
    """tests/bombs.py builds its bombs by repeating bytes: the stdlib must read them as gzip."""
    for mib in (1, 3):
        assert stdlib_gzip.decompress(gzip_bomb(mib)) == bytes(mib * MiB)
    assert len(gzip_bomb(64)) < 100_000


def raw(content: bytes) -> httpx.ByteStream:
    """A mocked body handed over as sent: `content=` would make pytest-httpx decode it first."""
    return httpx.ByteStream(content)


def meta_json(server: Any, **overrides: Any) -> bytes:
    return json.dumps(server.meta(b"jpeg bytes", **overrides)).encode()


class EndlessStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body without Content-Length that never ends; counts what was pulled from it."""

    def __init__(self, piece: bytes = b"[" + b"0," * 32 * 1024):
        self.piece = piece
        self.pulled = 0

    def _next(self) -> bytes:
        self.pulled += len(self.piece)
        return self.piece

    def __iter__(self) -> Iterator[bytes]:
        while True:
            yield self._next()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            yield self._next()


# -- compressed answers are decoded -----------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip),
        ("x-gzip", gzip),
        ("deflate", zlib_deflate),
        ("deflate", raw_deflate),
        ("gzip, gzip", lambda data: gzip(gzip(data))),
        ("deflate, gzip", lambda data: gzip(zlib_deflate(data))),
        ("identity, gzip", gzip),
        ("GZIP", gzip),
    ],
    ids=["gzip", "x-gzip", "deflate", "raw-deflate", "gzip-gzip", "deflate-gzip", "id-gzip", "GZ"],
)
async def test_compressed_success_answer_is_decoded(
    d360: Any, server: Any, encoding: str, encode: Any
) -> None:
    body = meta_json(server)
    server.mock.add_response(
        url=f"{server.base}/{server.media_id}",
        stream=raw(encode(body)),
        headers={"Content-Encoding": encoding, "Content-Type": "application/json"},
    )
    info = await d360.get(server.media_id)
    assert info.sha256 == server.sha256_hex(b"jpeg bytes")


async def test_gzip_answer_of_several_members_is_decoded_whole(d360: Any, server: Any) -> None:
    body = meta_json(server)
    server.mock.add_response(
        url=f"{server.base}/{server.media_id}",
        stream=raw(gzip(body[:20]) + gzip(body[20:])),
        headers={"Content-Encoding": "gzip"},
    )
    info = await d360.get(server.media_id)
    assert info.file_size == len(b"jpeg bytes")


async def test_api_requests_offer_only_what_is_decoded(d360: Any, server: Any) -> None:
    server.add_meta(server.meta(b"x"))
    await d360.get(server.media_id)
    assert server.requests()[0].headers["Accept-Encoding"] == "gzip, deflate"


# -- over the cap -----------------------------------------------------------------------------


async def test_gzip_bomb_answer_is_an_api_error_with_a_readable_capped_response(
    d360: Any, server: Any
) -> None:
    server.mock.add_response(
        url=f"{server.base}/{server.media_id}",
        stream=raw(gzip_bomb(64)),
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    with pytest.raises(APIError) as info:
        await d360.get(server.media_id)
    error = info.value
    assert type(error) is APIError
    assert f"larger than {CAP} bytes" in str(error)
    assert error.status_code == 200
    assert error.response is not None
    assert len(response_of(error).content) == CAP
    assert "content-encoding" not in response_of(error).headers
    assert response_of(error).headers["Content-Length"] == str(CAP)
    assert response_of(error).text.count("\0") == CAP
    assert len(server.requests()) == 1  # not retried


async def test_stacked_gzip_bomb_is_refused_the_same_way(d360: Any, server: Any) -> None:
    server.mock.add_response(
        url=f"{server.base}/{server.media_id}",
        stream=raw(gzip(gzip_bomb(64))),
        headers={"Content-Encoding": "gzip, gzip"},
    )
    with pytest.raises(APIError, match="larger than"):
        await d360.get(server.media_id)


async def test_answer_of_exactly_the_cap_is_accepted_and_one_byte_more_refused(
    d360: Any, server: Any
) -> None:
    body = meta_json(server)
    exact = body + b" " * (CAP - len(body))
    server.mock.add_response(url=f"{server.base}/{server.media_id}", content=exact)
    server.mock.add_response(url=f"{server.base}/{server.media_id}", content=exact + b" ")
    info = await d360.get(server.media_id)
    assert info.id == server.media_id
    with pytest.raises(APIError, match="larger than") as refused:
        await d360.get(server.media_id)
    assert response_of(refused.value).headers["Content-Length"] == str(CAP)
    assert response_of(refused.value).content == exact


async def test_endless_answer_without_length_is_read_only_up_to_the_cap(
    d360: Any, server: Any
) -> None:
    endless = EndlessStream()
    server.mock.add_response(url=f"{server.base}/{server.media_id}", stream=endless)
    with pytest.raises(APIError, match="larger than"):
        await d360.get(server.media_id)
    assert CAP < endless.pulled <= CAP + len(endless.piece)


async def test_endless_error_answer_is_cut_at_the_cap_and_keeps_its_status(
    make_d360: Any, server: Any
) -> None:
    d360 = make_d360(max_retries=0)
    endless = EndlessStream(b'{"error": "' + b"x" * 65536)
    server.mock.add_response(
        url=f"{server.base}/{server.media_id}", status_code=502, stream=endless
    )
    with pytest.raises(ServerError) as info:
        await d360.get(server.media_id)
    assert endless.pulled <= CAP + len(endless.piece)
    assert len(response_of(info.value).content) == CAP
    assert len(str(info.value)) < 500


async def test_error_answer_that_is_a_gzip_bomb_is_still_retried_by_status(
    d360: Any, server: Any
) -> None:
    server.add_status(
        503, stream=raw(gzip_bomb(64)), headers={"Content-Encoding": "gzip", "Retry-After": "0"}
    )
    server.add_meta(server.meta(b"x"))
    info = await d360.get(server.media_id)
    assert info.id == server.media_id
    assert len(server.requests()) == 2


# -- undecodable ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "content", "problem"),
    [
        ("gzip", b'{"id": "1234567890"}', "not valid gzip"),
        ("deflate", b"\xff" * 100, "not valid deflate"),
        ("gzip", None, "ends before the end of its gzip data"),  # truncated
        ("gzip", "trailing", "not valid gzip"),  # garbage after a gzip member
        ("br", b"\x1b\x00", "'br', which was not asked for"),
        ("zstd", b"\x28\xb5\x2f\xfd", "'zstd', which was not asked for"),
        ("gzip, gzip, gzip, gzip", b"", "stacks 4 content encodings"),
    ],
    ids=["gzip-plain", "deflate-junk", "truncated", "trailing", "br", "zstd", "4-stacked"],
)
async def test_undecodable_success_answer_is_an_api_error(
    d360: Any, server: Any, encoding: str, content: Any, problem: str
) -> None:
    body = meta_json(server)
    if content is None:
        content = gzip(body)[:-12]
    elif content == "trailing":
        content = gzip(body) + b"this is not gzip"
    server.mock.add_response(
        url=f"{server.base}/{server.media_id}",
        stream=raw(content),
        headers={"Content-Encoding": encoding},
    )
    with pytest.raises(APIError) as info:
        await d360.get(server.media_id)
    assert type(info.value) is APIError
    assert "cannot be decoded" in str(info.value)
    assert problem in str(info.value)
    assert not isinstance(info.value.__cause__, httpx.DecodingError)
    assert info.value.response is not None
    info.value.response.read()  # readable, already


async def test_error_answer_declared_gzip_but_plain_says_so(make_d360: Any, server: Any) -> None:
    d360 = make_d360(max_retries=0)
    server.add_status(
        400, stream=raw(b'{"error": "plain after all"}'), headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(BadRequestError) as info:
        await d360.get(server.media_id)
    assert "not valid gzip" in str(info.value)
    assert response_of(info.value).content == b""


# -- compressed error answers -----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "gzip, gzip"])
async def test_compressed_error_answer_gives_its_message_and_a_readable_response(
    d360: Any, server: Any, encoding: str
) -> None:
    body = json.dumps({"error": "Invalid media id"}).encode()
    encoded = {"gzip": gzip, "deflate": zlib_deflate}.get(encoding, lambda b: gzip(gzip(b)))(body)
    server.add_status(
        404,
        stream=raw(encoded),
        headers={"Content-Encoding": encoding, "Content-Type": "application/json"},
    )
    with pytest.raises(NotFoundError) as info:
        await d360.get(server.media_id)
    error = info.value
    assert str(error) == f"HTTP 404 from GET /{server.media_id}: Invalid media id"
    assert error.message == str(error)
    assert response_of(error).json() == {"error": "Invalid media id"}
    assert response_of(error).text == body.decode()
    assert "content-encoding" not in response_of(error).headers
    assert response_of(error).headers["content-length"] == str(len(body))
    assert response_of(error).request.url == f"{server.base}/{server.media_id}"


async def test_nonstandard_status_with_gzip_body_is_a_server_error(
    make_d360: Any, server: Any
) -> None:
    d360 = make_d360(max_retries=0)
    server.add_status(
        520, stream=raw(gzip(b"origin is down")), headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(ServerError, match="origin is down") as info:
        await d360.get(server.media_id)
    assert not isinstance(info.value, ValueError)
    assert response_of(info.value).text == "origin is down"


# -- media bytes are the download's to read ---------------------------------------------------


async def test_media_bytes_success_is_handed_on_untouched(d360: Any, server: Any) -> None:
    compressed = gzip(b"media bytes")
    server.add_bytes(stream=raw(compressed), headers={"Content-Encoding": "gzip"})
    response = await _send_media_request(d360, server)
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == compressed


async def test_media_bytes_error_is_decoded_and_typed(make_d360: Any, server: Any) -> None:
    d360 = make_d360(max_retries=0)
    server.add_bytes(
        status_code=404,
        stream=raw(gzip(b'{"error": "gone"}')),
        headers={"Content-Encoding": "gzip"},
    )
    with pytest.raises(NotFoundError, match="gone") as info:
        await _send_media_request(d360, server)
    assert response_of(info.value).json() == {"error": "gone"}


async def _send_media_request(d360: Any, server: Any) -> httpx.Response:
    """What the download loop sends: a streamed GET marked as media bytes; the raw body."""
    url = f"{server.base}{C.ATTACHMENTS_PATH}?mid=1&hash=x"
    marked = {C.MEDIA_BYTES_EXTENSION: True}
    if d360.is_async:
        http = d360.client.api.get_async_httpx_client()
        request = http.build_request("GET", url, extensions=marked)
        response = await http.send(request, stream=True)
        sent = b"".join([chunk async for chunk in response.aiter_raw()])
        await response.aclose()
    else:
        http = d360.client.api.get_httpx_client()
        request = http.build_request("GET", url, extensions=marked)
        response = http.send(request, stream=True)
        sent = b"".join(response.iter_raw())
        response.close()
    response._content = sent
    return response


# -- the key, echoed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_body",
    [
        lambda key: json.dumps({"error": f"Invalid API key {key}"}).encode(),
        lambda key: json.dumps({"error": {"message": f"key {key} refused", "code": 1}}).encode(),
        lambda key: f"<html>your key: {key}</html>".encode(),
        lambda key: f"plain text {key}".encode(),
        lambda key: gzip(f"compressed {key}".encode()),
        # A JSON escape hides the key from a byte search; the parsed message still shows it.
        lambda key: (
            b'{"error": "escaped \\u00' + f"{ord(key[0]):x}".encode() + key[1:].encode() + b'"}'
        ),
    ],
    ids=["json", "meta-json", "html", "text", "gzip", "json-escaped"],
)
async def test_key_echoed_in_an_error_body_shows_nowhere(
    make_d360: Any, server: Any, make_body: Any
) -> None:
    d360 = make_d360(max_retries=0)
    body = make_body(server.key)
    headers = {"X-Echo": f"you sent {server.key}", "Content-Type": "application/json"}
    if body[:2] == b"\x1f\x8b":
        headers["Content-Encoding"] = "gzip"
    server.add_status(401, stream=raw(body), headers=headers)
    with pytest.raises(dialog360.AuthenticationError) as info:
        await d360.get(server.media_id)
    error = info.value
    server.assert_no_secret(error)
    response = response_of(error)
    shown = [
        error.message,
        response.text,
        repr(response.headers),
        str(dict(response.headers)),
        repr(response.request.headers),
        str(dict(response.request.headers)),
        repr(response.request),
    ]
    for text in shown:
        assert server.key not in text, text
    if b"<html>" not in body:  # an HTML page is summarised, not quoted
        assert "<redacted>" in error.message
    assert response.request.headers["D360-API-KEY"] == "<redacted>"
    # ... while the server did get the real key.
    assert server.requests()[0].headers["D360-API-KEY"] == server.key


# A key with characters that percent-encoding changes and whose base64 has "+" and "/"
# (which the url-safe alphabet spells "-" and "_").
ODD_KEY = "k3y/+?&=~-5ecr3t>>>???~~~>>>???"


def test_the_odd_keys_echoes_differ_from_the_plain_ones() -> None:
    echoes = encoded_echoes(ODD_KEY)
    assert quote(ODD_KEY, safe="") not in ODD_KEY
    assert {echoes[f"base64+{n}"] != echoes[f"base64url+{n}"] for n in range(3)} == {True}
    for echo in echoes.values():
        assert ODD_KEY not in echo and recoverable(ODD_KEY, echo)


@pytest.mark.parametrize("which_key", ["plain", "odd"])
@pytest.mark.parametrize("form", list(encoded_echoes("any key")))
async def test_key_echoed_encoded_shows_nowhere(
    make_d360: Any, server: Any, which_key: str, form: str
) -> None:
    """A gateway echoing the request's headers base64-encoded, or the key percent-encoded."""
    key = server.key if which_key == "plain" else ODD_KEY
    d360 = make_d360(api_key=key, max_retries=0)
    echo = encoded_echoes(key)[form]
    body = json.dumps({"error": f"rejected: {echo}"}).encode()
    server.add_status(401, stream=raw(body), headers={"X-Echo": echo})
    with pytest.raises(dialog360.AuthenticationError) as info:
        await d360.get(server.media_id)
    error = info.value
    response = response_of(error)
    shown = [str(error), repr(error), response.text, repr(response.headers)]
    shown += [str(dict(response.headers)), repr(response.request.headers)]
    for text in shown:
        assert not recoverable(key, text), text
    assert "<redacted>" in error.message
    assert response.headers["X-Echo"] != echo


async def test_key_echoed_in_a_success_answer_is_redacted(d360: Any, server: Any) -> None:
    body = meta_json(server, messaging_product=f"whatsapp {server.key}")
    server.mock.add_response(url=f"{server.base}/{server.media_id}", content=body)
    info = await d360.get(server.media_id)
    assert server.key not in repr(info)
    assert info.messaging_product == "whatsapp <redacted>"


async def test_no_repr_of_the_client_shows_the_key(d360: Any, server: Any) -> None:
    server.add_meta(server.meta(b"x"))
    await d360.get(server.media_id)
    client = d360.client
    http = client.api.get_async_httpx_client() if d360.is_async else client.api.get_httpx_client()
    shown = [
        repr(client),
        repr(client.api),
        str(client.api),
        repr(http.headers),
        str(dict(http.headers)),
        repr(client._settings),
    ]
    for text in shown:
        assert server.key not in text, text


async def test_a_client_derived_from_client_api_still_sends_the_key_only_home(
    d360: Any, server: Any
) -> None:
    derived = d360.client.api.with_headers({"X-Trace": "1"})
    http = derived.get_async_httpx_client() if d360.is_async else derived.get_httpx_client()
    assert server.key not in repr(http.headers)
    server.mock.add_response(url=f"{server.base}/x", text="ok")
    server.mock.add_response(url="https://elsewhere.example/x", text="ok")
    for url in (f"{server.base}/x", "https://elsewhere.example/x"):
        response = http.get(url)
        if d360.is_async:
            await response
    home, away = server.requests()
    assert home.headers["D360-API-KEY"] == server.key
    assert home.headers["X-Trace"] == "1"
    assert "D360-API-KEY" not in away.headers


async def test_connection_error_whose_text_shows_the_key_is_scrubbed(
    make_d360: Any, server: Any
) -> None:
    d360 = make_d360(max_retries=0)
    server.mock.add_exception(httpx.RemoteProtocolError(f"illegal header line: {server.key}"))
    with pytest.raises(APIConnectionError) as info:
        await d360.get(server.media_id)
    server.assert_no_secret(info.value)
    assert "<redacted>" in str(info.value)
    assert info.value.__cause__ is None and info.value.__context__ is None


async def test_connection_error_keeps_its_cause_when_it_shows_no_key(
    make_d360: Any, server: Any
) -> None:
    d360 = make_d360(max_retries=0)
    cause = httpx.ConnectError("connection refused")
    server.mock.add_exception(cause)
    with pytest.raises(APIConnectionError) as info:
        await d360.get(server.media_id)
    assert info.value.__cause__ is cause


# -- Retry-After that cannot be read counts as absent ----------------------------------------

UNREADABLE_RETRY_AFTER = [
    "Fri, 31 Dec 99999999999 23:59:59 GMT",
    "9" * 5000,
    "99999999999",
    "-5",
    "1.5",
    "soon",
    "",
    "\xb2",  # latin-1 "²": str.isdigit() says yes
]


@pytest.mark.parametrize("value", UNREADABLE_RETRY_AFTER, ids=range(len(UNREADABLE_RETRY_AFTER)))
async def test_unreadable_retry_after_on_503_means_plain_backoff(
    d360: Any, server: Any, value: str
) -> None:
    server.add_status(503, headers=[(b"Retry-After", value.encode("latin-1"))])
    server.add_meta(server.meta(b"x"))
    info = await d360.get(server.media_id)
    assert info.id == server.media_id


@pytest.mark.parametrize("value", UNREADABLE_RETRY_AFTER, ids=range(len(UNREADABLE_RETRY_AFTER)))
async def test_unreadable_retry_after_on_429_raises_at_once(
    d360: Any, server: Any, value: str
) -> None:
    server.add_status(429, headers=[(b"Retry-After", value.encode("latin-1"))])
    with pytest.raises(RateLimitError) as info:
        await d360.get(server.media_id)
    assert info.value.retry_after is None
    assert len(server.requests()) == 1


# -- the decoder itself -------------------------------------------------------------------


def test_a_bomb_is_never_inflated_past_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count every byte zlib hands out: the cap plus at most one step, whatever the bomb."""
    produced: list[int] = []
    real = zlib.decompressobj

    class Counting:
        def __init__(self, *args: Any) -> None:
            self._inner = real(*args)

        def decompress(self, data: bytes, max_length: int = 0) -> bytes:
            out = self._inner.decompress(data, max_length)
            produced.append(len(out))
            return out

        def __getattr__(self, name: str) -> Any:
            return getattr(self._inner, name)

    monkeypatch.setattr(zlib, "decompressobj", Counting)
    bomb = gzip_bomb(64)
    body = BoundedBody("gzip")
    for start in range(0, len(bomb), 64 * 1024):
        body.feed(bomb[start : start + 64 * 1024])
        if body.done:
            break
    assert body.too_large
    assert len(body.data) == CAP
    assert sum(produced) <= CAP + C.DECODE_STEP_BYTES
    assert max(produced) <= C.DECODE_STEP_BYTES


def test_stacked_bomb_inflates_each_stage_only_as_far_as_needed() -> None:
    body = BoundedBody("gzip, gzip")
    body.feed(gzip(gzip_bomb(64)))
    assert body.too_large and len(body.data) == CAP


def test_an_empty_body_declared_gzip_is_empty() -> None:
    body = BoundedBody("gzip")
    body.finish()
    assert body.problem is None and body.data == b""
