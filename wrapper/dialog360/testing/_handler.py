"""The HTTP side of the fake server: routing, the four operations, and applying faults."""

from __future__ import annotations

import contextlib
import hmac
import io
import json
import logging
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import parse_qs, unquote

from dialog360._constants import (
    API_KEY_HEADER,
    ATTACHMENTS_PATH,
    FAKE_LINGER_SECONDS,
    FAKE_MIN_BODY_RATE,
)
from dialog360._media_types import check_media, normalize_mime_type
from dialog360.testing._faults import DEFAULT_FOREIGN_URL, REPLACING_KINDS, Fault, Route
from dialog360.testing._limits import MAX_MESSAGE_BODY_BYTES
from dialog360.testing._media_rules import media_kind
from dialog360.testing._messages import MessageRejected, check_message, meta_error, parse_message
from dialog360.testing._multipart import MultipartError, Part, boundary_of, parse_multipart
from dialog360.testing._payload import FilePayload, Payload, UnsatisfiableRange, parse_range
from dialog360.testing._records import RecordedHeaders, RecordedRequest
from dialog360.testing._request_reader import (
    READ_PIECE,
    TOO_SLOW,
    BodyReader,
    DeadlineReader,
    RequestRejected,
    body_framing,
    check_host,
    read_head,
)
from dialog360.testing._store import is_media_id
from dialog360.testing._webhooks import DEFAULT_SENDER, DEFAULT_SENDER_NAME

if TYPE_CHECKING:
    from dialog360.testing._server import FakeHTTPServer

logger = logging.getLogger("dialog360.testing")

# Digits of an `ext` (expiry, seconds since the epoch) worth converting to compare with now.
_MAX_EXPIRY_DIGITS = 18
_HTML_PAGE = (
    "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass
class _Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    payload: Payload = field(default_factory=Payload)


def _json(status: int, document: object, headers: Sequence[tuple[str, str]] = ()) -> _Response:
    body = json.dumps(document, separators=(",", ":")).encode("utf-8")
    return _Response(status, [("Content-Type", "application/json"), *headers], Payload(body))


def _error(status: int, message: str, headers: Sequence[tuple[str, str]] = ()) -> _Response:
    return _json(status, {"error": message}, headers)


# Meta's error code for a status the send-message route answers outside its own checks.
_META_CODES = {401: 190, 413: 100}


def _error_on(
    route: Route | None, status: int, message: str, headers: Sequence[tuple[str, str]] = ()
) -> _Response:
    """An error answer in the shape of `route`: Meta's for POST /messages, else 360dialog's."""
    if route != "send_message":
        return _error(status, message, headers)
    document = meta_error(_META_CODES.get(status, 1), message, message)
    return _json(status, document, headers)


# The fake's own control route: POST the bytes of a media a user sends, with the mime type as
# Content-Type; the fake stores it and posts the inbound-message webhook.
INBOUND_MEDIA_PATH = "/_fake/inbound-media"
_INBOUND_OPTIONS = frozenset(
    {"caption", "filename", "sender", "sender_name", "type", "voice", "sha256_encoding"}
)


class Target(NamedTuple):
    """Where a request goes: a route (with the media id from the path), the control route, or
    else the Allow header of a 405 (an empty `allow` meaning 404)."""

    route: Route | None
    media_id: str = ""
    allow: str = ""
    control: bool = False


def resolve_route(method: str, path: str) -> Target:
    """The target of `method` on `path` (the path without its query)."""
    if path == INBOUND_MEDIA_PATH:
        return Target(None, control=True) if method == "POST" else Target(None, allow="POST")
    if path in (ATTACHMENTS_PATH, ATTACHMENTS_PATH.rstrip("/")):
        return Target("attachments" if method in ("GET", "HEAD") else None, allow="GET, HEAD")
    segment = path[1:]
    if not path.startswith("/") or not segment or "/" in segment:
        return Target(None)
    if method == "POST":
        if segment == "media":
            return Target("upload_media")
        if segment == "messages":
            return Target("send_message")
        return Target(None, allow="GET, HEAD, DELETE")
    media_id = unquote(segment, errors="replace")
    if method in ("GET", "HEAD"):
        return Target("get_media", media_id)
    if method == "DELETE":
        return Target("delete_media", media_id)
    return Target(None, allow="POST" if segment in ("media", "messages") else "GET, HEAD, DELETE")


class FakeRequestHandler(BaseHTTPRequestHandler):
    """One connection: HTTP/1.1 keep-alive, one request after another."""

    protocol_version = "HTTP/1.1"
    # The base class assumes HTTP/0.9 until it has parsed a version, and answers a 0.9 request
    # without a status line: a malformed request line would get a bare JSON body back.
    default_request_version = "HTTP/1.0"
    server_version = "dialog360-fake"
    sys_version = ""
    server: FakeHTTPServer
    _body_size: int = 0
    _responded: bool = False

    def version_string(self) -> str:
        """The Server header: no Python version, no trailing space."""
        return self.server_version

    # -- connection lifecycle ------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle plus delayed ACKs
        # add ~40 ms to small responses.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # Every read goes through a deadline; the file the base class made is let go of, so
        # that closing the socket really closes it.
        self.rfile.close()
        self._deadlines = DeadlineReader(self.connection, self.server.fake.client_timeout)
        self._stream = io.BufferedReader(self._deadlines)
        self.rfile = self._stream
        self.server.track_connection(self.connection)

    def handle_one_request(self) -> None:
        """Read one request within the deadlines and caps, answer it, or refuse it and close.

        An idle keep-alive connection is closed quietly after the client timeout; a request
        head must arrive whole within it; a body must keep up a minimum rate after it.
        """
        self.command = self.request_version = self.requestline = ""
        self._responded = False
        timeout = self.server.fake.client_timeout
        try:
            self._deadlines.arm(timeout)
            if not self._stream.peek(1):
                self.close_connection = True
                return
        except OSError:  # idle too long, or reset: nothing was asked, so nothing is answered
            self.close_connection = True
            return
        try:
            self._deadlines.arm(timeout)
            head = read_head(self._stream)
            if head is None:
                self.close_connection = True
                return
            if not self._parse_head(*head):
                self._linger()
                return
            check_host(self.headers, http_1_0=self.request_version == "HTTP/1.0")
            method = getattr(self, f"do_{self.command}", None)
            if method is None:
                self.send_error(501, f"Unsupported method ({self.command!r})")
                self._linger()
                return
            method()
            self.wfile.flush()
        except RequestRejected as rejection:
            self._refuse(rejection)
        except TimeoutError:
            # The head came too slowly, or a write stalled (then the answer is half sent).
            if not self._responded:
                self._refuse(RequestRejected(408, TOO_SLOW))
            self.close_connection = True

    def _parse_head(self, request_line: bytes, fields: bytes) -> bool:
        """The base class's parsing of a head already read and checked; False if it answered."""
        self.raw_requestline = request_line
        self.rfile = io.BytesIO(fields + b"\r\n")
        try:
            return self.parse_request()
        finally:
            self.rfile = self._stream

    def handle_expect_100(self) -> bool:
        """Defer "100 Continue" until the body's framing and size are known to be acceptable."""
        return True

    def send_response(self, code: int, message: str | None = None) -> None:
        """Send the status line (and remember that the answer has begun)."""
        self._responded = True
        super().send_response(code, message)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack_connection(self.connection)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("fake server: " + format, *args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The default logs the request line, whose query carries the url's hash.
        path = getattr(self, "path", "").partition("?")[0]
        logger.debug("fake server: %s %s -> %s", self.command, path, code)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, unknown method) as JSON, then close."""
        self.close_connection = True
        try:
            reason = HTTPStatus(code).phrase
        except ValueError:
            reason = "error"
        body = json.dumps({"error": message or reason}).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    # -- dispatch ------------------------------------------------------------------------------

    def do_GET(self) -> None:
        """Dispatch a GET."""
        self._dispatch()

    def do_HEAD(self) -> None:
        """Dispatch a HEAD (answered like GET, without the body)."""
        self._dispatch()

    def do_POST(self) -> None:
        """Dispatch a POST."""
        self._dispatch()

    def do_DELETE(self) -> None:
        """Dispatch a DELETE."""
        self._dispatch()

    def do_PUT(self) -> None:
        """Dispatch a PUT (always 404/405)."""
        self._dispatch()

    def do_PATCH(self) -> None:
        """Dispatch a PATCH (always 404/405)."""
        self._dispatch()

    def do_OPTIONS(self) -> None:
        """Dispatch an OPTIONS (always 404/405)."""
        self._dispatch()

    def do_TRACE(self) -> None:
        """Dispatch a TRACE (always 404/405, as for any method the API does not offer)."""
        self._dispatch()

    def do_QUERY(self) -> None:
        """Dispatch a QUERY (always 404/405, as for any method the API does not offer)."""
        self._dispatch()

    def _dispatch(self) -> None:
        fake = self.server.fake
        target = self.path
        if not target.startswith("/"):
            # Absolute-form request target: keep from the path on.
            scheme_end = target.find("://")
            slash = target.find("/", scheme_end + 3) if scheme_end >= 0 else -1
            target = target[slash:] if slash >= 0 else "/"
        path, _, raw_query = target.partition("?")
        resolved = resolve_route(self.command, path)
        route = resolved.route

        rejection: RequestRejected | None = None
        body = bytearray()
        try:
            body = self._read_body(route, keep=resolved.control)
        except RequestRejected as refused:
            # Without its traceback, which would keep a refused body alive while lingering.
            rejection = refused.with_traceback(None)
        except TimeoutError:
            rejection = RequestRejected(408, TOO_SLOW)
        # A body refused at the protocol level (413, ...) consumes no fault.
        fault = fake._faults.take(route) if route is not None and rejection is None else None
        fake._record(
            RecordedRequest(
                method=self.command,
                path=path,
                raw_query=raw_query,
                headers=RecordedHeaders(self.headers.items()),
                body_size=self._body_size,
                route=route or ("inbound_media" if resolved.control else "unknown"),
                fault=fault,
                time=time.monotonic(),
            )
        )
        if rejection is not None:
            self._refuse(rejection, route)
            return
        if route is not None:
            latency = fake._faults.latency(route)
            if latency and not self._pause(latency):
                self._abort()
                return
        if fault is not None and fault.kind == "delay" and not fault.stall_mid_body:
            if not self._pause(fault.seconds):
                self._abort()
                return
            fault = None
        if fault is not None and fault.kind in REPLACING_KINDS:
            self._replace_with_fault(fault, target)
            return

        response = self._answer(resolved, raw_query, body, fault)
        try:
            self._send(response, fault)
        finally:
            response.payload.close()

    def _answer(
        self, target: Target, raw_query: str, body: bytearray, fault: Fault | None
    ) -> _Response:
        # The key is checked first on every path, known or not, as the real gateway does.
        route = target.route
        auth_error = self._check_key()
        if auth_error is not None:
            return _error_on(route, 401, auth_error)
        if target.control:
            return self._inbound_media(raw_query, body)
        if route is None:
            if target.allow:
                return _error(405, "Method not allowed", [("Allow", target.allow)])
            return _error(404, "Not found")
        if route == "attachments":
            return self._attachments(raw_query)
        if route == "upload_media":
            return self._upload(body)
        if route == "send_message":
            return self._send_message(body)
        if not is_media_id(target.media_id):
            return _error(400, "Invalid media ID: it must be numeric")
        if route == "get_media":
            return self._get_media(target.media_id, fault)
        return self._delete_media(target.media_id)

    # -- the four operations -------------------------------------------------------------------

    def _check_key(self) -> str | None:
        """Why the request's key is refused, or None when it is the right one."""
        given = self.headers.get(API_KEY_HEADER)
        if given is None:
            return f"Missing {API_KEY_HEADER} header"
        # http.client decodes header bytes as latin-1; undo that to compare raw bytes.
        raw = given.encode("latin-1", "replace")
        if not hmac.compare_digest(raw, self.server.fake.api_key.encode("utf-8")):
            return "Invalid API key"
        return None

    def _get_media(self, media_id: str, fault: Fault | None) -> _Response:
        fake = self.server.fake
        item = fake._store.get(media_id)
        if item is None:
            return _error(404, "Media not found")
        url = fake.media_url(media_id)
        if fault is not None and fault.kind == "foreign_url":
            query = url.partition("?")[2]
            template = fault.url if fault.url is not None else DEFAULT_FOREIGN_URL
            url = template.replace("{query}", query).replace("{media_id}", media_id)
        return _json(
            200,
            {
                "messaging_product": "whatsapp",
                "url": url,
                "mime_type": item.mime_type,
                "sha256": item.sha256,
                "file_size": item.file_size,
                "id": media_id,
            },
        )

    def _attachments(self, raw_query: str) -> _Response:
        fake = self.server.fake
        query = parse_qs(raw_query, keep_blank_values=True)
        mid = query.get("mid", [""])[0]
        ext = query.get("ext", [""])[0]
        given_hash = query.get("hash", [""])[0]
        if not is_media_id(mid) or not (ext.isascii() and ext.isdigit()):
            return _error(400, "Malformed media URL: mid and ext must be numeric")
        if not fake.signature_valid(mid, ext, given_hash):
            return _error(403, "Invalid URL signature")
        # Meta's CDN answers an expired signed url with 403 "URL signature expired"; the
        # 360dialog proxy passes that status through.
        # An expiry too long to convert cheaply is far in the future anyway.
        if len(ext.lstrip("0")) <= _MAX_EXPIRY_DIGITS and fake.now() > int(ext):
            return _error(403, "URL signature expired")
        item = fake._store.get(mid)
        if item is None:
            return _error(404, "Media not found")
        headers = [
            ("Content-Type", item.mime_type),
            ("Accept-Ranges", "bytes"),
            ("Cache-Control", "private, no-cache, no-store"),
        ]
        payload: Payload
        if item.path is not None:
            try:
                stream = open(item.path, "rb")  # noqa: SIM115 - _dispatch closes it after sending
            except OSError:
                return _error(404, "Media not found")
            payload = FilePayload(stream, 0, item.file_size)
        else:
            assert item.data is not None
            payload = Payload(item.data)
        try:
            span = parse_range(self._range_header(), item.file_size)
        except UnsatisfiableRange:
            payload.close()
            return _error(
                416, "Range not satisfiable", [("Content-Range", f"bytes */{item.file_size}")]
            )
        if span is None:
            return _Response(200, headers, payload)
        start, end = span
        headers.append(("Content-Range", f"bytes {start}-{end - 1}/{item.file_size}"))
        return _Response(206, headers, payload.sliced(start, end))

    def _range_header(self) -> str | None:
        """The Range to honour: none when repeated, or with an If-Range (this server has no
        validators, so an If-Range can never match and RFC 9110 says to send everything)."""
        ranges = self.headers.get_all("Range") or []
        if len(ranges) != 1 or "If-Range" in self.headers:
            return None
        return ranges[0]

    def _delete_media(self, media_id: str) -> _Response:
        if not self.server.fake._store.remove(media_id):
            return _error(404, "Media not found")
        return _json(200, {"success": True})

    def _upload(self, body: bytearray) -> _Response:
        try:
            parts = parse_multipart(body, boundary_of(self.headers.get("Content-Type")))
        except MultipartError as exc:
            return _error(400, str(exc))
        fields: dict[str, Part] = {}
        for part in parts:
            fields.setdefault(part.name, part)
        product = fields.get("messaging_product")
        file_part = fields.get("file")
        mime_part = fields.get("type")
        if product is None:
            return _error(400, "messaging_product is required")
        if product.text() != "whatsapp":
            return _error(400, "messaging_product must be 'whatsapp'")
        if file_part is None or file_part.filename is None:
            return _error(400, "file is required (a file part with a filename)")
        if mime_part is None or not mime_part.text().strip():
            return _error(400, "type is required (the file's MIME type)")
        mime_type = normalize_mime_type(mime_part.text())
        reason = check_media(mime_type, len(file_part.data))
        if reason is not None:
            return _error(400, reason)
        item = self.server.fake._store.add_bytes(
            bytes(file_part.data), mime_type, filename=file_part.filename
        )
        return _json(200, {"id": item.media_id})

    def _send_message(self, body: bytearray) -> _Response:
        fake = self.server.fake

        def media_type_of(media_id: str) -> str | None:
            item = fake._store.get(media_id)
            return None if item is None else item.mime_type

        try:
            message = parse_message(body, self.headers.get("Content-Type"))
            check_message(message, media_type_of)
        except MessageRejected as rejected:
            return _json(400, rejected.document())
        return _json(200, fake._accept_message(message).answer())

    def _inbound_media(self, raw_query: str, body: bytearray) -> _Response:
        fake = self.server.fake
        if fake.webhook_url is None:
            return _error(409, "this fake server has no webhook URL (start it with one)")
        mime_type = self.headers.get("Content-Type", "").strip()
        if not mime_type or not body:
            return _error(400, "send the media's bytes with its mime type as Content-Type")
        options: dict[str, str] = {}
        for name, values in parse_qs(raw_query, keep_blank_values=True).items():
            if name not in _INBOUND_OPTIONS or len(values) != 1:
                return _error(400, f"unknown or repeated query parameter {name!r}")
            options[name] = values[0]
        voice = options.get("voice", "false")
        encoding = options.get("sha256_encoding", "base64")
        kind = media_kind(options.get("type", "document"))
        if voice not in ("true", "false") or encoding not in ("hex", "base64") or kind is None:
            return _error(
                400, "voice is true or false, sha256_encoding hex or base64, type a media type"
            )
        try:
            inbound = fake.send_inbound_media(
                bytes(body),
                mime_type,
                caption=options.get("caption"),
                filename=options.get("filename"),
                sender=options.get("sender", DEFAULT_SENDER),
                sender_name=options.get("sender_name", DEFAULT_SENDER_NAME),
                message_type=kind if "type" in options else None,
                voice=voice == "true",
                sha256_encoding="hex" if encoding == "hex" else "base64",
            )
        except ValueError as exc:
            return _error(400, str(exc))
        return _json(
            200,
            {"message_id": inbound.message_id, "media_id": inbound.media_id, "type": inbound.type},
        )

    # -- faults ----------------------------------------------------------------------------------

    def _replace_with_fault(self, fault: Fault, target: str) -> None:
        if fault.kind == "close_before":
            self._abort()
            return
        assert fault.status_code is not None
        if fault.kind == "status":
            text = fault.body if fault.body is not None else '{"error":"injected"}'
            headers = [("Content-Type", "application/json")]
            if fault.retry_after is not None:
                headers.append(("Retry-After", fault.retry_after))
            self._send(_Response(fault.status_code, headers, Payload(text.encode("utf-8"))), None)
        elif fault.kind == "html":
            try:
                reason = HTTPStatus(fault.status_code).phrase
            except ValueError:
                reason = "Error"
            page = _HTML_PAGE.format(code=fault.status_code, reason=reason).encode("utf-8")
            headers = [("Content-Type", "text/html")]
            self._send(_Response(fault.status_code, headers, Payload(page)), None)
        else:  # redirect
            location = fault.location
            if location is None:
                location = f"http://127.0.0.2:{self.server.server_address[1]}{target}"
            self._send(_Response(fault.status_code, [("Location", location)]), None)

    def _send(self, response: _Response, fault: Fault | None) -> None:
        payload = response.payload
        length = payload.length
        kind = fault.kind if fault is not None else None
        cut = length
        if fault is not None and kind in ("truncate", "close_mid_body", "delay"):
            cut = min(fault.after_bytes if fault.after_bytes is not None else length // 2, length)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(cut if kind == "truncate" else length))
        self.end_headers()
        if self.command == "HEAD":
            return
        sock = self.connection
        if kind == "truncate":
            payload.send(sock, 0, cut)
        elif kind == "close_mid_body":
            payload.send(sock, 0, cut)
            self._abort()
        elif kind == "delay":
            assert fault is not None
            payload.send(sock, 0, cut)
            if not self._pause(fault.seconds):
                self._abort()
                return
            payload.send(sock, cut, length)
        elif kind == "corrupt" and length:
            middle = length // 2
            payload.send(sock, 0, middle)
            sock.sendall(bytes([payload.byte_at(middle) ^ 0xFF]))
            payload.send(sock, middle + 1, length)
        else:
            payload.send(sock, 0, length)

    def _pause(self, seconds: float) -> bool:
        """Wait `seconds`; False when the server is stopping meanwhile."""
        return not self.server.stopping.wait(seconds)

    def _abort(self) -> None:
        """Close the connection now (a clean FIN, so already-sent bytes still arrive)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)

    # -- request body ----------------------------------------------------------------------------

    def _read_body(self, route: Route | None, *, keep: bool = False) -> bytearray:
        """The request body (kept for the routes that use it, or with `keep`), read within the
        route's limit and the deadlines."""
        self._body_size = 0
        framing = body_framing(self.headers, http_1_0=self.request_version == "HTTP/1.0")
        limit = self.server.fake.max_upload_bytes
        if route == "send_message":
            limit = MAX_MESSAGE_BODY_BYTES
        keep = keep or route in ("upload_media", "send_message")
        reader = BodyReader(self._stream, limit=limit, keep=keep)
        try:
            if not framing.chunked and not framing.length:
                return bytearray()
            if framing.length > limit:
                reader.size = framing.length
                raise RequestRejected(413, "Request body too large")
            self._continue()
            self._deadlines.arm(self.server.fake.client_timeout, min_rate=FAKE_MIN_BODY_RATE)
            if framing.chunked:
                return reader.read_chunked()
            return reader.read_length(framing.length)
        finally:
            self._body_size = reader.size

    def _continue(self) -> None:
        """Send the "100 Continue" a client asked for, now that the body is wanted."""
        expect = self.headers.get("Expect", "")
        if expect.lower() == "100-continue" and self.request_version >= "HTTP/1.1":
            self.send_response_only(100)
            self.end_headers()

    def _refuse(self, rejection: RequestRejected, route: Route | None = None) -> None:
        """Answer a request that cannot be served, then close (lingering, unless too slow)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            headers = [("Connection", "close")]
            self._send(_error_on(route, rejection.status, rejection.message, headers), None)
        if rejection.status != 408:
            self._linger()

    def _linger(self) -> None:
        """Lingering close: the answer, then our FIN, then swallow what the client still sends
        for a while, so that its unread bytes do not turn into a reset that loses the answer."""
        self.close_connection = True
        scratch = bytearray(READ_PIECE)
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            self._deadlines.arm(FAKE_LINGER_SECONDS)
            while self._stream.readinto(scratch):
                pass
