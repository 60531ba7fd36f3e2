"""The fake 360dialog server, exercised with plain httpx over its real loopback socket."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from dialog360.testing import FakeServer, Fault
from shared_tls import TLS

KEY = "test-key"
# Only plain http is used; one shared context saves httpx loading the CA bundle per client.
JPEG = bytes(range(256)) * 40  # 10240 bytes


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def client(server: FakeServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        verify=TLS, base_url=server.base_url, headers={"D360-API-KEY": KEY}, timeout=5
    ) as c:
        yield c


def local(server: FakeServer, url: str) -> str:
    """What the client does: same path and raw query, the server's own origin."""
    return server.base_url + httpx.URL(url).raw_path.decode("ascii")


def download_url(server: FakeServer, client: httpx.Client, media_id: str) -> str:
    response = client.get(f"/{media_id}")
    assert response.status_code == 200, response.text
    return local(server, response.json()["url"])


def upload(client: httpx.Client, data: bytes, mime: str, **overrides: str | None) -> httpx.Response:
    fields = {"messaging_product": "whatsapp", "type": mime} | overrides
    form = {name: value for name, value in fields.items() if value is not None}
    return client.post("/media", data=form, files={"file": ("photo.jpg", data, mime)})


# -- happy paths --


def test_get_media_metadata_and_url_shape(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(JPEG, mime_type="image/jpeg")
    response = client.get(f"/{media_id}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["id"] == media_id
    assert body["messaging_product"] == "whatsapp"
    assert body["mime_type"] == "image/jpeg"
    assert body["file_size"] == len(JPEG)
    assert body["sha256"] == hashlib.sha256(JPEG).hexdigest()
    url = httpx.URL(body["url"])
    assert (url.scheme, url.host, url.path) == (
        "https",
        "lookaside.fbsbx.com",
        "/whatsapp_business/attachments/",
    )
    assert url.params["mid"] == media_id
    assert url.params["source"] == "getMedia"
    assert int(url.params["ext"]) - server.now() == pytest.approx(300, abs=1.01)
    assert url.params["hash"]


def test_download_serves_bytes_with_type_and_length(
    server: FakeServer, client: httpx.Client
) -> None:
    media_id = server.add_media(JPEG, mime_type="image/png")
    response = client.get(download_url(server, client, media_id))
    assert response.status_code == 200
    assert response.content == JPEG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-length"] == str(len(JPEG))
    head = client.head(download_url(server, client, media_id))
    assert head.status_code == 200 and head.headers["content-length"] == str(len(JPEG))


def test_delete_then_everything_is_404(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(JPEG)
    url = download_url(server, client, media_id)
    response = client.delete(f"/{media_id}")
    assert (response.status_code, response.json()) == (200, {"success": True})
    assert client.get(f"/{media_id}").status_code == 404
    assert client.get(url).status_code == 404
    assert client.delete(f"/{media_id}").status_code == 404
    assert media_id not in server.media


def test_upload_round_trip(server: FakeServer, client: httpx.Client) -> None:
    data = os.urandom(50_000)
    response = upload(client, data, "image/png")
    assert response.status_code == 200, response.text
    media_id = response.json()["id"]
    assert media_id.isascii() and media_id.isdigit()
    meta = client.get(f"/{media_id}").json()
    assert meta["mime_type"] == "image/png"
    assert meta["file_size"] == len(data)
    downloaded = client.get(local(server, meta["url"])).content
    assert hashlib.sha256(downloaded).hexdigest() == meta["sha256"] == server.media[media_id].sha256
    assert server.media[media_id].read_bytes() == data


def test_upload_chunked_body_is_accepted(client: httpx.Client) -> None:
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\n'
        f'whatsapp\r\n--{boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\n'
        f"text/plain\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n"
    ).encode()
    chunks = iter([body[:50], body[50:]])  # an iterator has no length: sent chunked
    response = client.post(
        "/media",
        content=chunks,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 200, response.text


def test_file_backed_media_and_seed_dir(tmp_path: Path) -> None:
    (tmp_path / "b.pdf").write_bytes(b"%PDF" * 1000)
    (tmp_path / "555.jpg").write_bytes(JPEG)
    (tmp_path / ".hidden").write_bytes(b"x")
    with (
        FakeServer(seed_dir=tmp_path) as server,
        httpx.Client(verify=TLS, headers={"D360-API-KEY": KEY}) as c,
    ):
        ids = server.media_ids()
        assert ids[0] == "555" and len(ids) == 2
        assert FakeServer(seed_dir=tmp_path).media_ids() == ids  # stable across runs
        pdf_id = ids[1]
        assert server.media[pdf_id].mime_type == "application/pdf"
        url = server.media_url(pdf_id, origin=server.base_url)
        assert c.get(url).content == b"%PDF" * 1000
        ranged = c.get(url, headers={"Range": "bytes=4-7"})
        assert (ranged.status_code, ranged.content) == (206, b"%PDF")
        extra = server.add_media_file(tmp_path / "555.jpg", media_id="42")
        assert c.get(server.media_url(extra, origin=server.base_url)).content == JPEG


# -- auth, ids, routes --

ROUTE_CALLS = ["get_media", "attachments", "delete_media", "upload_media"]


def call_route(server: FakeServer, c: httpx.Client, route: str, media_id: str) -> httpx.Response:
    if route == "get_media":
        return c.get(f"/{media_id}")
    if route == "attachments":
        return c.get(server.media_url(media_id, origin=server.base_url))
    if route == "delete_media":
        return c.delete(f"/{media_id}")
    return c.post(
        "/media",
        data={"messaging_product": "whatsapp", "type": "image/jpeg"},
        files={"file": ("a.jpg", JPEG, "image/jpeg")},
    )


@pytest.mark.parametrize("route", ROUTE_CALLS)
@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_every_route_needs_the_key(server: FakeServer, route: str, key: str | None) -> None:
    media_id = server.add_media(JPEG)
    headers = {} if key is None else {"D360-API-KEY": key}
    with httpx.Client(verify=TLS, base_url=server.base_url, headers=headers) as c:
        response = call_route(server, c, route, media_id)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json()["error"], str)
    assert media_id in server.media  # a rejected delete deletes nothing


@pytest.mark.parametrize("bad_id", ["abc", "12a", "١٢٣", "1" * 65, "-1"])
@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_bad_media_id_is_400(client: httpx.Client, bad_id: str, method: str) -> None:
    response = client.request(method, f"/{bad_id}")
    assert response.status_code == 400
    assert "error" in response.json()


def test_64_digit_id_is_valid_and_unknown_is_404(client: httpx.Client) -> None:
    assert client.get("/" + "1" * 64).status_code == 404
    assert client.delete("/12345").json() == {"error": "Media not found"}


def test_unknown_route_and_method(client: httpx.Client) -> None:
    response = client.get("/v1/whatever")
    assert response.status_code == 404 and response.json()["error"]
    response = client.put("/123")
    assert response.status_code == 405 and response.json()["error"]
    assert client.post("/whatsapp_business/attachments/").status_code == 405
    assert client.post("/123").status_code == 405


# -- signed urls --


def test_tampered_or_missing_hash_is_403_malformed_url_400(
    server: FakeServer, client: httpx.Client
) -> None:
    media_id = server.add_media(JPEG)
    url = httpx.URL(download_url(server, client, media_id))
    original = url.params["hash"]
    # A different first character, whatever the hash starts with.
    tampered = url.copy_set_param("hash", ("B" if original[0] == "A" else "A") + original[1:])
    assert client.get(tampered).status_code == 403
    assert client.get(url.copy_remove_param("hash")).status_code == 403
    other = server.add_media(JPEG)
    assert client.get(url.copy_set_param("mid", other)).status_code == 403
    later = url.copy_set_param("ext", str(int(url.params["ext"]) + 1000))
    assert client.get(later).status_code == 403
    assert client.get(url.copy_set_param("extra", "ignored")).status_code == 200
    assert client.get(url.copy_set_param("ext", "soon")).status_code == 400
    assert client.get(url.copy_remove_param("mid")).status_code == 400


def test_url_expires_after_five_minutes(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(JPEG)
    url = download_url(server, client, media_id)
    server.advance_clock(299)
    assert client.get(url).status_code == 200
    server.advance_clock(2)
    response = client.get(url)
    assert response.status_code == 403
    assert response.json() == {"error": "URL signature expired"}
    assert client.get(download_url(server, client, media_id)).status_code == 200


def test_injectable_clock() -> None:
    now = [1_000_000.0]
    with FakeServer(clock=lambda: now[0]) as server:
        url = httpx.URL(server.media_url(server.add_media(JPEG)))
        assert url.params["ext"] == "1000300"
        now[0] += 301
        with httpx.Client(verify=TLS, headers={"D360-API-KEY": KEY}) as c:
            assert c.get(local(server, str(url))).status_code == 403


# -- Range --


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=10-19", 10, 20), ("bytes=10000-", 10000, 10240), ("bytes=-5", 10235, 10240)],
)
def test_range_206(
    server: FakeServer, client: httpx.Client, header: str, start: int, end: int
) -> None:
    url = download_url(server, client, server.add_media(JPEG))
    response = client.get(url, headers={"Range": header})
    assert response.status_code == 206
    assert response.content == JPEG[start:end]
    assert response.headers["content-range"] == f"bytes {start}-{end - 1}/{len(JPEG)}"
    assert response.headers["content-length"] == str(end - start)


def test_range_416_and_ignored(server: FakeServer, client: httpx.Client) -> None:
    url = download_url(server, client, server.add_media(JPEG))
    response = client.get(url, headers={"Range": f"bytes={len(JPEG)}-"})
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(JPEG)}"
    assert client.get(url, headers={"Range": "bytes=0-1,5-6"}).status_code == 200
    assert client.get(url, headers={"Range": "items=0-1"}).status_code == 200


# -- upload validation --


def test_upload_rejections(server: FakeServer, client: httpx.Client) -> None:
    unsupported = upload(client, b"GIF89a", "image/gif")
    assert unsupported.status_code == 400 and "unsupported" in unsupported.json()["error"]
    too_big = upload(client, b"\0" * (5 * 1024 * 1024 + 1), "image/jpeg")
    assert too_big.status_code == 400 and "limited" in too_big.json()["error"]
    for field in ("messaging_product", "type"):
        missing = upload(client, JPEG, "image/jpeg", **{field: None})
        assert missing.status_code == 400 and field in missing.json()["error"]
    assert upload(client, JPEG, "image/jpeg", messaging_product="sms").status_code == 400
    no_file = client.post("/media", data={"messaging_product": "whatsapp", "type": "image/jpeg"})
    assert no_file.status_code == 400
    not_form = client.post("/media", json={"messaging_product": "whatsapp"})
    assert not_form.status_code == 400
    assert server.media_ids() == []


def test_upload_body_over_limit_is_413() -> None:
    with (
        FakeServer(max_upload_bytes=1024) as server,
        httpx.Client(verify=TLS, base_url=server.base_url, headers={"D360-API-KEY": KEY}) as c,
    ):
        response = upload(c, b"\0" * 4096, "image/jpeg")
        assert response.status_code == 413 and response.json()["error"]
        assert upload(c, b"\xff" * 100, "image/jpeg").status_code == 200  # server still fine


# -- faults --


def test_fault_status_with_retry_after_then_normal(
    server: FakeServer, client: httpx.Client
) -> None:
    media_id = server.add_media(JPEG)
    server.inject("get_media", Fault.status(429, times=2, retry_after="1"))
    for _ in range(2):
        response = client.get(f"/{media_id}")
        assert response.status_code == 429
        assert response.headers["retry-after"] == "1"
        assert response.json() == {"error": "injected"}
    assert client.get(f"/{media_id}").status_code == 200
    assert server.pending_faults() == []


def test_fault_nonstandard_status_and_custom_body(server: FakeServer, client: httpx.Client) -> None:
    server.inject("delete_media", Fault.status(520))
    server.inject("delete_media", Fault.status(400, body='{"error":{"message":"meta","code":100}}'))
    assert client.delete("/1").status_code == 520
    assert client.delete("/1").json() == {"error": {"message": "meta", "code": 100}}
    assert client.delete("/1").status_code == 404


def test_fault_html(server: FakeServer, client: httpx.Client) -> None:
    server.inject("upload_media", Fault.html())
    response = upload(client, JPEG, "image/jpeg")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text
    assert server.media_ids() == []


def test_fault_close_before(server: FakeServer, client: httpx.Client) -> None:
    server.inject("get_media", Fault.close_before())
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.get("/1")
    assert client.get("/1").status_code == 404


def test_fault_close_mid_body(server: FakeServer, client: httpx.Client) -> None:
    url = download_url(server, client, server.add_media(JPEG))
    server.inject("attachments", Fault.close_mid_body(after_bytes=100))
    received = bytearray()
    with pytest.raises(httpx.RemoteProtocolError), client.stream("GET", url) as response:
        assert response.headers["content-length"] == str(len(JPEG))
        for chunk in response.iter_raw():
            received += chunk
    assert bytes(received) == JPEG[:100]
    server.inject("attachments", Fault.close_mid_body())
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(url)


def test_fault_truncate(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(JPEG)
    url = download_url(server, client, media_id)
    server.inject("attachments", Fault.truncate())
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == JPEG[: len(JPEG) // 2]
    assert response.headers["content-length"] == str(len(JPEG) // 2)


def test_fault_corrupt(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(JPEG)
    url = download_url(server, client, media_id)
    server.inject("attachments", Fault.corrupt())
    content = client.get(url).content
    assert len(content) == len(JPEG) and content != JPEG
    assert hashlib.sha256(content).hexdigest() != server.media[media_id].sha256
    assert client.get(url).content == JPEG


def test_fault_delay_and_stall(server: FakeServer, client: httpx.Client) -> None:
    url = download_url(server, client, server.add_media(JPEG))
    server.inject("attachments", Fault.delay(0.05))
    started = time.monotonic()
    assert client.get(url).content == JPEG
    assert time.monotonic() - started >= 0.05
    server.inject("get_media", Fault.delay(5))
    with pytest.raises(httpx.ReadTimeout):
        client.get("/1", timeout=0.2)
    server.inject("attachments", Fault.delay(5, stall_mid_body=True))
    received = bytearray()
    with pytest.raises(httpx.ReadTimeout), client.stream("GET", url, timeout=0.2) as response:
        assert response.status_code == 200
        for chunk in response.iter_raw():
            received += chunk
    assert bytes(received) == JPEG[: len(JPEG) // 2]
    # stop() must not wait out the 5 s sleeps still pending on the server side.
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2


def test_fault_redirect(server: FakeServer, client: httpx.Client) -> None:
    url = download_url(server, client, server.add_media(JPEG))
    server.inject("attachments", Fault.redirect())
    response = client.get(url)
    assert response.status_code == 302
    location = httpx.URL(response.headers["location"])
    assert location.host != "127.0.0.1"
    assert location.path == "/whatsapp_business/attachments/"
    server.inject("get_media", Fault.redirect("https://other.example/x", status_code=307))
    response = client.get("/1")
    assert (response.status_code, response.headers["location"]) == (307, "https://other.example/x")


def test_fault_foreign_url(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(JPEG)
    server.inject("get_media", Fault.foreign_url())
    server.inject("get_media", Fault.foreign_url("https://lookaside.fbsbx.com/other/?{query}"))
    evil = httpx.URL(client.get(f"/{media_id}").json()["url"])
    assert evil.host == "evil.example.com"
    assert client.get(local(server, str(evil))).content == JPEG  # the query itself is genuine
    other = httpx.URL(client.get(f"/{media_id}").json()["url"])
    assert (other.host, other.path) == ("lookaside.fbsbx.com", "/other/")
    assert httpx.URL(client.get(f"/{media_id}").json()["url"]).host == "lookaside.fbsbx.com"
    with pytest.raises(ValueError):
        server.inject("attachments", Fault.foreign_url())


def test_faults_apply_in_injection_order(server: FakeServer, client: httpx.Client) -> None:
    server.inject("get_media", Fault.status(503, times=2))
    server.inject("get_media", Fault.status(500))
    assert [len(server.pending_faults("get_media"))] == [2]
    codes = [client.get("/1").status_code for _ in range(4)]
    assert codes == [503, 503, 500, 404]
    server.inject("get_media", Fault.status(503))
    server.clear_faults()
    assert client.get("/1").status_code == 404


def test_fault_validation() -> None:
    with pytest.raises(ValueError):
        Fault.status(503, times=0)
    with pytest.raises(ValueError):
        Fault.redirect(status_code=200)
    with pytest.raises(ValueError):
        FakeServer().inject("nope", Fault.corrupt())


def test_injection_from_many_threads(server: FakeServer) -> None:
    def inject_many() -> None:
        for _ in range(200):
            server.inject("get_media", Fault.status(503))

    threads = [threading.Thread(target=inject_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(server.pending_faults()) == 1600


def test_latency(server: FakeServer, client: httpx.Client) -> None:
    server.set_latency("get_media", 0.05)
    started = time.monotonic()
    client.get("/1")
    client.get("/1")
    assert time.monotonic() - started >= 0.1
    server.set_latency("get_media", 0)


# -- recording, concurrency, lifecycle --


def test_requests_are_recorded(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(JPEG)
    server.inject("get_media", Fault.status(500))
    client.get(f"/{media_id}", headers={"X-Trace": "abc"})
    url = download_url(server, client, media_id)
    client.get(url)
    upload(client, JPEG, "image/jpeg")
    first, second, third, fourth = server.requests
    assert (first.method, first.path, first.route) == ("GET", f"/{media_id}", "get_media")
    assert first.fault == Fault.status(500) and second.fault is None
    assert first.headers["x-trace"] == "abc" and first.headers["D360-API-KEY"] == KEY
    assert KEY not in repr(first)
    assert third.route == "attachments" and "hash=" in third.raw_query
    assert fourth.route == "upload_media" and fourth.body_size > len(JPEG)
    server.clear_requests()
    assert server.requests == []


def test_recorded_headers_keep_repeats_case_and_order(
    server: FakeServer, client: httpx.Client
) -> None:
    client.get("/1", headers=[("X-Twice", "a"), ("x-twice", "b")])
    [request] = server.requests
    assert request.headers["X-TWICE"] == "a"
    assert request.headers.get_all("x-twice") == ["a", "b"]
    assert ("X-Twice", "a") in request.headers.raw_items()
    assert ("x-twice", "b") in request.headers.raw_items()


def test_remove_media_is_like_delete(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(JPEG)
    url = download_url(server, client, media_id)
    assert server.remove_media(media_id) is True
    assert server.remove_media(media_id) is False
    assert client.get(f"/{media_id}").status_code == 404
    assert client.get(url).status_code == 404


def test_a_url_signed_with_a_chosen_expiry(server: FakeServer, client: httpx.Client) -> None:
    media_id = server.add_media(JPEG)
    past = local(server, server.media_url(media_id, expires=int(server.now()) - 1))
    future = local(server, server.media_url(media_id, expires=int(server.now()) + 3600))
    assert client.get(past).json() == {"error": "URL signature expired"}
    assert client.get(future).content == JPEG
    with pytest.raises(ValueError, match="whole number"):
        server.media_url(media_id, expires="-1")


def test_32_concurrent_downloads(server: FakeServer) -> None:
    data = os.urandom(256 * 1024)
    media_id = server.add_media(data, mime_type="video/mp4")
    url = server.media_url(media_id, origin=server.base_url)
    server.set_latency("attachments", 0.2)
    barrier = threading.Barrier(32)
    results: list[bool] = []

    def fetch() -> None:
        with httpx.Client(verify=TLS, headers={"D360-API-KEY": KEY}, timeout=10) as c:
            barrier.wait()
            results.append(c.get(url).content == data)

    threads = [threading.Thread(target=fetch) for _ in range(32)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 32
    assert time.monotonic() - started < 2  # served in parallel, not 32 x 0.2 s


def _fd_count() -> int | None:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None


def test_stop_leaves_no_threads_or_sockets() -> None:
    threads_before = threading.active_count()
    fds_before = _fd_count()
    server = FakeServer()
    server.start()
    assert server.start() is server  # idempotent
    port = server.port
    with httpx.Client(verify=TLS, base_url=server.base_url) as c:
        c.get("/1")  # leaves an idle keep-alive connection open on the server
        assert threading.active_count() > threads_before
        server.stop()
        server.stop()
    assert not server.running
    assert threading.active_count() == threads_before
    assert _fd_count() == fds_before
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass
    with pytest.raises(RuntimeError):
        _ = server.base_url


def test_pytest_fixture(fake_360dialog: FakeServer) -> None:
    assert fake_360dialog.running and fake_360dialog.api_key == "test-key"
    response = httpx.get(
        fake_360dialog.base_url + "/1", headers={"D360-API-KEY": "test-key"}, verify=TLS
    )
    assert response.status_code == 404
