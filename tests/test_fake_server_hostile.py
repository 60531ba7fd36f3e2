"""The fake server against hostile clients, over raw loopback sockets.

Every refusal is an `{"error": ...}` answer with the right status, memory stays within the
body limit plus a small overhead, no handler raises (the server logs that at ERROR), and the
server answers the next normal request on a new connection.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import select
import socket
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from typing import NamedTuple

import httpx
import pytest
from dialog360.testing import FakeServer
from dialog360.testing._limits import (
    MAX_CHUNK_EXTENSIONS,
    MAX_CHUNK_LINE,
    MAX_FIELD_LINE,
    MAX_FIELDS,
    MAX_FORM_PARTS,
    MAX_REQUEST_LINE,
)
from dialog360.testing._multipart import MultipartError, parse_multipart
from dialog360.testing._payload import UnsatisfiableRange, parse_range
from dialog360.testing._request_reader import BodyReader, RequestRejected, read_head
from hypothesis import given, settings
from hypothesis import strategies as st
from shared_tls import TLS

KEY = "test-key"
LIMIT = 1024 * 1024  # the body limit of the server under attack
JPEG = bytes(range(256)) * 40  # 10240 bytes
FLOOD = 8 * 1024 * 1024  # what a hostile client keeps sending after its bad framing
# Memory the server may use beyond the limit: read pieces, the lingering scratch buffer, ...
OVERHEAD = 1024 * 1024


class Answer(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes

    def error(self) -> str:
        """The message of an `{"error": ...}` body (asserting that shape)."""
        assert self.headers["content-type"] == "application/json"
        document = json.loads(self.body)
        assert list(document) == ["error"] and isinstance(document["error"], str)
        assert document["error"]
        return str(document["error"])


def read_answer(sock: socket.socket) -> Answer:
    """One HTTP/1.1 answer (interim 1xx answers skipped) read off `sock`, not a byte more
    (unbuffered, so that a pipelined answer stays for the next call)."""
    stream = sock.makefile("rb", buffering=0)
    while True:
        status_line = stream.readline(65536)
        assert status_line.startswith(b"HTTP/1.1 "), status_line
        headers: dict[str, str] = {}
        while (line := stream.readline(65536)) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        status = int(status_line.split()[1])
        if status >= 200:
            break
    body = bytearray()
    length = int(headers.get("content-length", "0"))
    while len(body) < length and (piece := stream.read(length - len(body))):
        body += piece
    stream.close()
    return Answer(status, headers, bytes(body))


def head(
    method: str = "POST",
    path: str = "/media",
    headers: tuple[str, ...] = (),
    *,
    version: str = "HTTP/1.1",
) -> bytes:
    lines = [f"{method} {path} {version}", "Host: 127.0.0.1", f"D360-API-KEY: {KEY}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def connect(server: FakeServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def exchange(server: FakeServer, data: bytes, *, half_close: bool = False) -> Answer:
    """Send `data` on a new connection and read the answer; `half_close` ends the request
    stream after it (a client that stops mid-request)."""
    with connect(server) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        return read_answer(sock)


def refused(server: FakeServer, data: bytes, status: int, words: str, **options: bool) -> None:
    """`data` is answered `status` with an error naming `words`, and the connection closes."""
    with connect(server) as sock:
        sock.sendall(data)
        if options.get("half_close"):
            sock.shutdown(socket.SHUT_WR)
        answer = read_answer(sock)
        assert answer.status == status, answer
        assert words in answer.error()
        assert answer.headers["connection"] == "close"
        assert sock.recv(1) == b""  # closed, with nothing more after the answer


def still_serving(server: FakeServer, media_id: str) -> None:
    answer = exchange(server, head("GET", f"/{media_id}", ("Connection: close",)))
    assert answer.status == 200
    assert json.loads(answer.body)["id"] == media_id


@pytest.fixture
def server(caplog: pytest.LogCaptureFixture) -> Iterator[FakeServer]:
    caplog.set_level(logging.WARNING, logger="dialog360.testing")
    with FakeServer(api_key=KEY, max_upload_bytes=LIMIT, client_timeout=5) as fake:
        yield fake
    # A handler that raised is logged at ERROR by the server; none may have.
    assert [record.getMessage() for record in caplog.records] == []


@pytest.fixture
def media_id(server: FakeServer) -> Iterator[str]:
    media_id = server.add_media(JPEG, mime_type="image/jpeg")
    yield media_id
    still_serving(server, media_id)


def chunked(*, path: str = "/media", headers: tuple[str, ...] = ()) -> bytes:
    return head("POST", path, ("Transfer-Encoding: chunked", *headers))


# -- chunked framing --

BAD_CHUNK_SIZE_LINES = [
    b"-1\r\n",
    b"-0\r\n\r\n",
    b"+5\r\nhello\r\n0\r\n\r\n",
    b"0x5\r\nhello\r\n0\r\n\r\n",
    b" 5\r\nhello\r\n0\r\n\r\n",
    b"5 \r\nhello\r\n0\r\n\r\n",
    b"5_0\r\n",
    b"zz\r\n",
    b"\r\n",
    b"5\nhello\r\n0\r\n\r\n",  # bare LF
    b"5\rhello\r\n0\r\n\r\n",
    "\uff15\r\nhello\r\n0\r\n\r\n".encode(),  # a fullwidth digit
    b"5;\r\nhello\r\n0\r\n\r\n",
    b"5;=x\r\nhello\r\n0\r\n\r\n",
    b"5;a=\r\nhello\r\n0\r\n\r\n",
    b'5;a="open\r\nhello\r\n0\r\n\r\n',
    b"5;a b\r\nhello\r\n0\r\n\r\n",
    b"5;a\x00\r\nhello\r\n0\r\n\r\n",
]


@pytest.mark.parametrize("body", BAD_CHUNK_SIZE_LINES)
def test_malformed_chunk_size_line_is_400(server: FakeServer, media_id: str, body: bytes) -> None:
    refused(server, chunked() + body, 400, "malformed chunk-size line")
    assert server.media_ids() == [media_id]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"5\r\nhelloXX0\r\n\r\n", 400, "followed by CRLF"),
        (b"5\r\nhello\n0\r\n\r\n", 400, "followed by CRLF"),
        (b"1;" + b"a" * MAX_CHUNK_LINE + b"\r\n", 400, "chunk-size line is longer"),
        (b"F" * 16 + b"\r\n", 413, "too large"),
        (f"{LIMIT + 1:x}\r\n".encode(), 413, "too large"),
        (b"0\r\nnot a trailer\r\n\r\n", 400, "malformed trailer line"),
        (b"0\r\nX-T : 1\r\n\r\n", 400, "malformed trailer line"),
        (b"0\r\nX-T: 1\n\r\n", 400, "CRLF"),
        (b"0\r\nX-T: " + b"a" * MAX_FIELD_LINE + b"\r\n\r\n", 431, "trailer line is longer"),
        (b"0\r\n" + b"X-T: 1\r\n" * (MAX_FIELDS + 1) + b"\r\n", 431, "trailer lines"),
    ],
)
def test_chunked_framing_abuse(
    server: FakeServer, media_id: str, body: bytes, status: int, words: str
) -> None:
    refused(server, chunked() + body, status, words)


def test_chunk_extension_abuse_is_capped(server: FakeServer, media_id: str) -> None:
    extension = b";" + b"e" * (MAX_CHUNK_LINE - 16)
    count = MAX_CHUNK_EXTENSIONS // len(extension) + 1
    body = (b"1" + extension + b"\r\nx\r\n") * count + b"0\r\n\r\n"
    refused(server, chunked(path=f"/{media_id}") + body, 400, "chunk extensions exceed")


@pytest.mark.parametrize(
    "body",
    [b"5\r\nhello\r\n", b"5\r\nhel", b"5", b"0\r\n", b"0\r\nX-T: 1\r\n"],
    ids=["no-last-chunk", "short-data", "no-line-end", "no-final-crlf", "open-trailers"],
)
def test_chunked_body_cut_short_is_400(server: FakeServer, media_id: str, body: bytes) -> None:
    refused(server, chunked() + body, 400, "ended inside", half_close=True)


def test_well_formed_chunked_edge_cases_keep_the_connection_in_step(
    server: FakeServer, media_id: str
) -> None:
    """Extensions, leading zeros, case and trailers are accepted and framed exactly: the
    request pipelined behind each body is answered as itself."""
    body = (
        b'00005;name=value;q="a \\" b" ;flag\r\nhello\r\n'
        + b"0" * 3000
        + b"a\r\n0123456789\r\n000\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n"
    )
    first = head("GET", f"/{media_id}", ("Transfer-Encoding: Chunked",)) + body
    second = head("GET", "/9999", ("Connection: close",))
    with connect(server) as sock:
        sock.sendall(first + second)
        assert read_answer(sock).status == 200
        assert read_answer(sock).status == 404
    assert [(r.path, r.body_size) for r in server.requests] == [(f"/{media_id}", 15), ("/9999", 0)]


# -- Transfer-Encoding and Content-Length --


@pytest.mark.parametrize(
    ("headers", "status", "words"),
    [
        (("Transfer-Encoding: chunked", "Content-Length: 5"), 400, "must not be combined"),
        (("Content-Length: 5", "Transfer-Encoding: chunked"), 400, "must not be combined"),
        (("Transfer-Encoding: gzip, chunked",), 501, "unsupported transfer coding"),
        (("Transfer-Encoding: gzip", "Transfer-Encoding: chunked"), 501, "unsupported"),
        (("Transfer-Encoding: chunked, gzip",), 400, "final transfer coding"),
        (("Transfer-Encoding: chunked, chunked",), 400, "only once"),
        (("Transfer-Encoding: identity",), 400, "final transfer coding"),
        (("Transfer-Encoding: xchunked",), 400, "final transfer coding"),
        (("Transfer-Encoding: ,",), 400, "final transfer coding"),
        (("Content-Length: " + "9" * 5000,), 413, "too large"),
        (("Content-Length: 99999999999999999999",), 413, "too large"),
        ((f"Content-Length: {LIMIT + 1}",), 413, "too large"),
        (("Content-Length: +5",), 400, "decimal number"),
        (("Content-Length: -5",), 400, "decimal number"),
        (("Content-Length: 5 5",), 400, "decimal number"),
        (("Content-Length: 5,5",), 400, "decimal number"),
        (("Content-Length: 0x5",), 400, "decimal number"),
        (("Content-Length: 5.0",), 400, "decimal number"),
        (("Content-Length: \u0665",), 400, "decimal number"),  # an Arabic-Indic five
        (("Content-Length:",), 400, "decimal number"),
        (("Content-Length: 5", "Content-Length: 5"), 400, "given once"),
        (("Content-Length: 5", "Content-Length: 6"), 400, "given once"),
    ],
)
def test_framing_headers(
    server: FakeServer, media_id: str, headers: tuple[str, ...], status: int, words: str
) -> None:
    refused(server, head("POST", "/media", headers) + b"hello", status, words)
    assert server.media_ids() == [media_id]


def test_transfer_encoding_in_http_1_0_is_400(server: FakeServer, media_id: str) -> None:
    request = head("POST", "/media", ("Transfer-Encoding: chunked",), version="HTTP/1.0")
    refused(server, request + b"0\r\n\r\n", 400, "HTTP/1.0")


def test_odd_but_valid_content_length_keeps_the_connection_in_step(
    server: FakeServer, media_id: str
) -> None:
    first = head("GET", f"/{media_id}", ("Content-Length: " + "0" * 5000 + "5",)) + b"hello"
    second = head("GET", f"/{media_id}", ("Content-Length:  \t5 \t", "Connection: close"))
    with connect(server) as sock:
        sock.sendall(first + second + b"world")
        assert read_answer(sock).status == 200
        assert read_answer(sock).status == 200
    assert [r.body_size for r in server.requests] == [5, 5]


def test_body_cut_short_is_400(server: FakeServer, media_id: str) -> None:
    request = head("POST", "/media", ("Content-Length: 100",)) + b"x" * 10
    refused(server, request, 400, "ended inside its body", half_close=True)


def test_expect_100_continue_only_for_a_body_within_the_limit(
    server: FakeServer, media_id: str
) -> None:
    too_large = head("POST", "/media", (f"Content-Length: {LIMIT + 1}", "Expect: 100-continue"))
    with connect(server) as sock:
        sock.sendall(too_large)
        assert read_answer(sock).status == 413  # without a "100 Continue" first
    within = head("GET", f"/{media_id}", ("Content-Length: 5", "Expect: 100-continue"))
    with connect(server) as sock:
        sock.sendall(within)
        stream = sock.makefile("rb", buffering=0)
        assert stream.readline() == b"HTTP/1.1 100 Continue\r\n"
        assert stream.readline() == b"\r\n"
        sock.sendall(b"hello")
        assert read_answer(sock).status == 200


# -- the request head --


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        (b"GET /" + b"1" * MAX_REQUEST_LINE + b" HTTP/1.1\r\n\r\n", 414, "request line"),
        (head(headers=("X-Big: " + "a" * MAX_FIELD_LINE,)), 431, "header line is longer"),
        (head(headers=tuple(f"X-{n}: {n}" for n in range(MAX_FIELDS))), 431, "header lines"),
        (head(headers=tuple(f"X-{n}: {'a' * 8000}" for n in range(9))), 431, "headers are larger"),
        (head(headers=("no colon here",)), 400, "malformed header line"),
        (head(headers=("X-Space : 1",)), 400, "malformed header line"),
        (head(headers=("X-Fold: 1", " continued")), 400, "malformed header line"),
        (head(headers=("X-Nul: a\x00b",)), 400, "malformed header line"),
        (head(headers=("X-Cr: a\rb",)), 400, "malformed header line"),
        (b"GET /1 HTTP/2.0\r\n\r\n", 505, "HTTP version"),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, "Bad request"),
        (b"GET /1 HTTP/1.1 extra\r\n\r\n", 400, "Bad request"),
        (b"BREW /1 HTTP/1.1\r\nHost: x\r\n\r\n", 501, "Unsupported method"),
        (b"GET /1 HTTP/1.1\r\n\r\n", 400, "one Host header"),
        (head(headers=("Host: other",)), 400, "one Host header"),
        (b"GET /1 HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400, "one Host header"),
    ],
    ids=lambda value: value if isinstance(value, int) else None,
)
def test_hostile_heads(
    server: FakeServer, media_id: str, data: bytes, status: int, words: str
) -> None:
    refused(server, data, status, words)


@pytest.mark.parametrize(
    "data", [b"GET /1 HTTP/1.1\r\nHost: x\r\n", b"GET /1 HTTP/1.1\r\nHost: x", b"GET /1"]
)
def test_head_cut_short_is_400(server: FakeServer, media_id: str, data: bytes) -> None:
    refused(server, data, 400, "ended inside", half_close=True)


# -- multipart uploads --


def multipart(body: bytes, content_type: str = "multipart/form-data; boundary=XyZ") -> bytes:
    headers = (f"Content-Type: {content_type}", f"Content-Length: {len(body)}")
    return head("POST", "/media", headers) + body


def form_part(disposition: str, value: bytes = b"whatsapp") -> bytes:
    return b"--XyZ\r\nContent-Disposition: " + disposition.encode() + b"\r\n\r\n" + value + b"\r\n"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (multipart(b"--XyZ--\r\n", "multipart/form-data"), "boundary"),
        (multipart(b"--XyZ--\r\n", 'multipart/form-data; boundary=""'), "boundary"),
        (multipart(b"--XyZ--\r\n", "multipart/form-data; boundary=" + "b" * 71), "boundary"),
        (multipart(b"--XyZ--\r\n", "text/plain; boundary=XyZ"), "multipart/form-data"),
        (multipart(b"no delimiter at all"), "boundary not found"),
        (multipart(form_part("form-data") + b"--XyZ--\r\n"), "no name"),
        (multipart(form_part('form-data; filename="a.jpg"') + b"--XyZ--\r\n"), "no name"),
        (multipart(form_part('attachment; name="file"') + b"--XyZ--\r\n"), "Content-Disposition"),
        (multipart(b"--XyZ\r\nX: 1\r\n\r\nvalue\r\n--XyZ--\r\n"), "Content-Disposition"),
        (multipart(form_part('form-data; name="a"')), "closing boundary missing"),
        (multipart(b"--XyZ\r\nContent-Disposition: form-data; name=a\r\n"), "not terminated"),
        (multipart(b"--XyZ garbage\r\n\r\n\r\n--XyZ--"), "delimiter line"),
        (
            multipart(form_part('form-data; name="p"') * (MAX_FORM_PARTS + 1) + b"--XyZ--"),
            f"more than {MAX_FORM_PARTS}",
        ),
    ],
)
def test_malformed_multipart_is_400(
    server: FakeServer, media_id: str, data: bytes, words: str
) -> None:
    with connect(server) as sock:
        sock.sendall(data)
        answer = read_answer(sock)
    assert answer.status == 400 and words in answer.error()
    assert server.media_ids() == [media_id]


def test_upload_over_the_limit_is_413_by_either_framing(server: FakeServer, media_id: str) -> None:
    with httpx.Client(
        base_url=server.base_url, headers={"D360-API-KEY": KEY}, verify=TLS
    ) as client:
        form = {"messaging_product": "whatsapp", "type": "image/jpeg"}
        files = {"file": ("a.jpg", b"\xff" * (LIMIT + 1), "image/jpeg")}
        sized = client.post("/media", data=form, files=files)
        assert sized.status_code == 413 and sized.json()["error"]
        pieces = iter([b"x" * 65536] * (LIMIT // 65536 + 1))
        headers = {"Content-Type": "multipart/form-data; boundary=XyZ"}
        streamed = client.post("/media", content=pieces, headers=headers)
        assert streamed.status_code == 413 and streamed.json()["error"]
    assert server.media_ids() == [media_id]


# -- Range --


@pytest.fixture
def download(server: FakeServer, media_id: str) -> Iterator[Callable[..., httpx.Response]]:
    with httpx.Client(
        base_url=server.base_url, headers={"D360-API-KEY": KEY}, verify=TLS
    ) as client:
        url = httpx.URL(client.get(f"/{media_id}").json()["url"])
        path = url.raw_path.decode("ascii")

        def get(*ranges: str, **headers: str) -> httpx.Response:
            fields = [(b"Range", value.encode()) for value in ranges]
            fields += [(name.encode(), value.encode()) for name, value in headers.items()]
            return client.get(path, headers=fields)

        yield get


BIG = "9" * 5000
LONG = "9" * 4000  # two of them still fit in one header line
SIZE = len(JPEG)


@pytest.mark.parametrize(
    ("header", "status", "span"),
    [
        ("bytes=-0", 416, None),
        (f"bytes={SIZE}-", 416, None),
        (f"bytes={BIG}-", 416, None),
        (f"bytes={LONG}-{LONG}", 416, None),
        (f"bytes=0-{BIG}", 206, (0, SIZE)),
        (f"bytes=-{BIG}", 206, (0, SIZE)),
        ("bytes=" + "0" * 5000 + "5-9", 206, (5, 10)),
        (f"bytes={SIZE - 1}-99999", 206, (SIZE - 1, SIZE)),
        ("BYTES=0-0", 206, (0, 1)),
        ("bytes=0-1,", 206, (0, 2)),
        ("bytes=5-2", 200, None),
        (f"bytes={LONG}-{LONG[1:]}", 200, None),
        ("bytes=0-1,5-6", 200, None),
        ("bytes=0-1, 0-1", 200, None),
        ("items=0-1", 200, None),
        ("bytes 0-1", 200, None),
        ("bytes=-", 200, None),
        ("bytes=+1-2", 200, None),
        ("bytes=1 - 2", 200, None),
        ("bytes=0x1-2", 200, None),
        ("bytes=\u0661-\u0662", 200, None),
        ("bytes=", 200, None),
    ],
    ids=lambda value: value[:24] if isinstance(value, str) else None,
)
def test_range_forms(
    download: Callable[..., httpx.Response],
    header: str,
    status: int,
    span: tuple[int, int] | None,
) -> None:
    """One well-formed byte range is served (206) or unsatisfiable (416); anything else is
    ignored (200, whole body), as RFC 9110 allows."""
    response = download(header)
    assert response.status_code == status
    if status == 416:
        assert response.headers["content-range"] == f"bytes */{SIZE}"
        assert response.json()["error"]
    elif status == 200:
        assert response.content == JPEG
    else:
        assert span is not None
        start, end = span
        assert response.content == JPEG[start:end]
        assert response.headers["content-range"] == f"bytes {start}-{end - 1}/{SIZE}"


def test_repeated_range_or_if_range_gets_everything(
    download: Callable[..., httpx.Response],
) -> None:
    assert download("bytes=0-1", "bytes=2-3").content == JPEG
    response = download("bytes=0-1", **{"If-Range": '"some-etag"'})
    assert response.status_code == 200 and response.content == JPEG


def test_empty_media_suffix_range_is_the_whole_empty_body(server: FakeServer) -> None:
    with httpx.Client(
        base_url=server.base_url, headers={"D360-API-KEY": KEY}, verify=TLS
    ) as client:
        url = httpx.URL(client.get(f"/{server.add_media(b'')}").json()["url"])
        path = url.raw_path.decode("ascii")
        empty = client.get(path, headers={"Range": "bytes=-5"})
        assert (empty.status_code, empty.content) == (200, b"")
        assert client.get(path, headers={"Range": "bytes=0-"}).status_code == 416


def test_huge_expiry_in_a_media_url(server: FakeServer, media_id: str) -> None:
    """A 5,000-digit `ext` is well-formed (the spec sets no length): its forged signature is
    403; signed, it is simply not expired."""
    forged = f"/whatsapp_business/attachments/?mid={media_id}&ext={BIG}&hash=x"
    answer = exchange(server, head("GET", forged, ("Connection: close",)))
    assert answer.status == 403 and "signature" in answer.error()
    signed = httpx.URL(server.media_url(media_id, expires=BIG)).raw_path.decode("ascii")
    assert f"ext={BIG}&" in signed
    answer = exchange(server, head("GET", signed, ("Connection: close",)))
    assert answer.status == 200 and answer.body == JPEG


# -- slow clients --


def trickle(sock: socket.socket, pieces: Iterator[bytes], pause: float) -> int:
    """Send one piece per `pause` until the server answers; returns how many were sent."""
    sent = 0
    for piece in pieces:
        readable, _, _ = select.select([sock], [], [], pause)
        if readable:
            return sent
        try:
            sock.sendall(piece)
        except OSError:
            return sent
        sent += 1
    return sent


@pytest.fixture
def impatient() -> Iterator[FakeServer]:
    with FakeServer(api_key=KEY, client_timeout=0.3) as fake:
        yield fake


def test_slowloris_head_is_cut_off_with_408(impatient: FakeServer) -> None:
    media_id = impatient.add_media(JPEG)
    lines = (f"X-Slow-{n}: {n}\r\n".encode() for n in range(400))
    with connect(impatient) as sock:
        sock.sendall(f"GET /{media_id} HTTP/1.1\r\n".encode())
        sent = trickle(sock, lines, 0.02)
        answer = read_answer(sock)
        assert sock.recv(1) == b""
    assert sent < 400  # the server cut it off; the client never ran out of lines
    assert answer.status == 408 and "too slowly" in answer.error()
    still_serving(impatient, media_id)


def test_trickled_body_is_cut_off_with_408(impatient: FakeServer) -> None:
    media_id = impatient.add_media(JPEG)
    with connect(impatient) as sock:
        sock.sendall(head("POST", "/media", ("Content-Length: 100000",)))
        sent = trickle(sock, (b"x" for _ in range(2000)), 0.005)
        answer = read_answer(sock)
    assert sent < 2000
    assert answer.status == 408 and "too slowly" in answer.error()
    assert [(r.route, r.body_size) for r in impatient.requests] == [("upload_media", 100000)]
    still_serving(impatient, media_id)


def test_idle_connection_is_closed_quietly(impatient: FakeServer) -> None:
    with connect(impatient) as sock:
        assert sock.recv(1) == b""  # closed after client_timeout, with no unasked answer


def _connection_threads() -> int:
    return sum(t.name == "dialog360-fake-connection" for t in threading.enumerate())


def wait_for(condition: Callable[[], bool]) -> bool:
    """Whether `condition` holds within a generous bound (a hang fails instead of blocking)."""
    for _ in range(400):
        if condition():
            return True
        select.select([], [], [], 0.025)
    return condition()


def test_client_that_stops_reading_frees_its_thread(impatient: FakeServer) -> None:
    size = 32 * 1024 * 1024
    media_id = impatient.add_media(b"\0" * size)
    path = httpx.URL(impatient.media_url(media_id)).raw_path.decode()
    idle = _connection_threads()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    with sock:
        sock.connect(("127.0.0.1", impatient.port))
        sock.sendall(head("GET", path))
        assert wait_for(lambda: len(impatient.requests) == 1)  # being answered now
        # The write stalls on the unread socket; after client_timeout the server gives up.
        assert wait_for(lambda: _connection_threads() == idle)
        sock.settimeout(10)
        received = 0
        with contextlib.suppress(ConnectionResetError):  # what the server gave up on, unsent
            while chunk := sock.recv(1 << 20):
                received += len(chunk)
    assert 0 < received < size
    still_serving(impatient, media_id)


# -- memory --


def peak_memory_of(action: Callable[[], None]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def flood(server: FakeServer, request: bytes, filler: bytes = b"x" * 65536) -> Answer:
    """Send `request` then `filler` until FLOOD bytes went (read by the server, or swallowed
    while it lingers after its answer), then read the answer."""
    with connect(server) as sock:
        sock.sendall(request)
        for _ in range(FLOOD // len(filler)):
            sock.sendall(filler)
        return read_answer(sock)


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (chunked() + b"-1\r\n", 400),
        (chunked() + b"-1;x\r\n", 400),
        (head("POST", "/media", ("Content-Length: 67108864",)), 413),
        (head("POST", "/media", ("Content-Length: " + BIG,)), 413),
        (chunked(), 400),  # the flood itself is then an over-long chunk-size line
    ],
    ids=["negative-chunk", "negative-chunk-ext", "huge-length", "5000-digit-length", "no-size"],
)
def test_hostile_body_memory_stays_bounded(
    server: FakeServer, media_id: str, request_bytes: bytes, status: int
) -> None:
    answers: list[Answer] = []
    peak = peak_memory_of(lambda: answers.append(flood(server, request_bytes)))
    assert answers[0].status == status and answers[0].error()
    assert peak < LIMIT + OVERHEAD, peak


def test_chunked_upload_over_the_limit_memory_stays_bounded(
    server: FakeServer, media_id: str
) -> None:
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    answers: list[Answer] = []
    peak = peak_memory_of(lambda: answers.append(flood(server, chunked(), chunk)))
    assert answers[0].status == 413 and answers[0].error()
    assert peak < LIMIT + OVERHEAD, peak


# -- the reading functions on random input --


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.booleans())
def test_chunked_reader_on_random_bytes(data: bytes, keep: bool) -> None:
    reader = BodyReader(io.BufferedReader(io.BytesIO(data)), limit=64, keep=keep)
    try:
        body = reader.read_chunked()
    except RequestRejected as rejection:
        assert rejection.status in (400, 413, 431)
    else:
        assert len(body) <= 64 and (keep or not body)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_head_reader_on_random_bytes(data: bytes) -> None:
    try:
        result = read_head(io.BufferedReader(io.BytesIO(data)))
    except RequestRejected as rejection:
        assert rejection.status in (400, 414, 431)
    else:
        assert result is None or result[0].endswith(b"\n")


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.from_regex(r"(?i:bytes)=[0-9 ,+-]{0,30}", fullmatch=True),
    ),
    st.integers(min_value=0, max_value=1 << 40),
)
def test_range_parser_on_random_headers(header: str, size: int) -> None:
    try:
        span = parse_range(header, size)
    except UnsatisfiableRange:
        return
    assert span is None or 0 <= span[0] < span[1] <= size


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([b"XyZ", b"a", b"--"]))
def test_multipart_parser_on_random_bytes(body: bytes, boundary: bytes) -> None:
    with contextlib.suppress(MultipartError):
        parts = parse_multipart(b"--" + boundary + b"\r\n" + body, boundary)
        assert len(parts) <= MAX_FORM_PARTS


def test_http_1_0_without_host_is_served(server: FakeServer, media_id: str) -> None:
    answer = exchange(server, f"GET /{media_id} HTTP/1.0\r\nD360-API-KEY: {KEY}\r\n\r\n".encode())
    assert answer.status == 200 and json.loads(answer.body)["id"] == media_id
