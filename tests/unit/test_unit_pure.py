"""The pure decision functions: retry timing, resume offsets, media types, urls."""

from __future__ import annotations

import email.utils
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from dialog360 import (
    APIError,
    InvalidMediaIdError,
    MediaDownloadError,
    UnsafeMediaURLError,
    _retry,
)
from dialog360._download import refuse_content_coding
from dialog360._media_types import MEDIA_TYPES, check_media, extension_for, guess_mime_type
from dialog360._media_url import download_target, validate_media_id
from dialog360._metadata import check_media_fields
from dialog360._retry import RetryPolicy, delay_after_error, delay_after_status, parse_retry_after
from dialog360._verify import bytes_to_skip

NOW = 1_764_230_400.0
MiB = 1024 * 1024

# -- Retry-After ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("0", 0.0),
        ("1", 1.0),
        (" 120 ", 120.0),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("١٢", None),
        (email.utils.formatdate(NOW + 30, usegmt=True), 30.0),  # IMF-fixdate
        (email.utils.formatdate(NOW - 30, usegmt=True), 0.0),  # in the past: now
        ("Thursday, 27-Nov-25 08:00:30 GMT", 30.0),  # obsolete RFC 850 form
        ("Thu Nov 27 08:00:30 2025", 30.0),  # obsolete asctime form, always GMT
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


# -- backoff --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("retry_number", "base"), [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (10, 8.0)]
)
def test_backoff_bounds(monkeypatch: pytest.MonkeyPatch, retry_number: int, base: float) -> None:
    policy = RetryPolicy()
    lowest = SimpleNamespace(uniform=lambda low, high: low)
    highest = SimpleNamespace(uniform=lambda low, high: high)
    monkeypatch.setattr(_retry, "random", lowest)
    assert policy.backoff(retry_number) == pytest.approx(base * 0.75)
    monkeypatch.setattr(_retry, "random", highest)
    assert policy.backoff(retry_number) == pytest.approx(base)


def test_backoff_samples_stay_in_bounds() -> None:
    policy = RetryPolicy()
    for _ in range(200):
        assert 0.375 <= policy.backoff(0) <= 0.5
        assert 0.75 <= policy.backoff(1) <= 1.0
        assert 6.0 <= policy.backoff(20) <= 8.0


def test_policy_rejects_negative_numbers() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)
    with pytest.raises(ValueError):
        RetryPolicy(backoff_initial=-0.1)


# -- delay_after_status ---------------------------------------------------------------------

POLICY = RetryPolicy(backoff_initial=0.5)


@pytest.mark.parametrize(
    ("method", "status", "retry_after", "retry_number", "expected"),
    [
        ("GET", 503, None, 0, "backoff"),
        ("GET", 500, None, 1, "backoff"),
        ("GET", 502, None, 0, "backoff"),
        ("GET", 504, None, 0, "backoff"),
        ("GET", 408, None, 0, "backoff"),
        ("DELETE", 503, None, 0, "backoff"),
        ("GET", 503, 3.0, 0, 3.0),
        ("GET", 503, None, 2, None),  # retries used up
        ("GET", 503, 120.0, 0, None),  # too long to wait
        ("GET", 400, None, 0, None),
        ("GET", 401, None, 0, None),
        ("GET", 403, None, 0, None),
        ("GET", 404, None, 0, None),
        ("GET", 520, None, 0, None),
        ("GET", 429, None, 0, None),
        ("GET", 429, 1.0, 0, 1.0),
        ("GET", 429, 60.0, 0, 60.0),
        ("GET", 429, 61.0, 0, None),
        ("GET", 429, 1.0, 2, None),
        ("POST", 500, None, 0, None),
        ("POST", 502, 2.0, 0, None),
        ("POST", 503, None, 0, None),
        ("POST", 503, 2.0, 0, 2.0),
        ("POST", 429, 2.0, 0, 2.0),
        ("POST", 429, None, 0, None),
    ],
)
def test_delay_after_status(
    method: str,
    status: int,
    retry_after: float | None,
    retry_number: int,
    expected: float | str | None,
) -> None:
    delay = delay_after_status(POLICY, method, status, retry_after, retry_number)
    if expected == "backoff":
        base = min(0.5 * 2**retry_number, 8.0)
        assert delay is not None
        assert base * 0.75 <= delay <= base
    else:
        assert delay == expected


def test_delay_after_status_max_retries_zero() -> None:
    assert delay_after_status(RetryPolicy(max_retries=0), "GET", 503, None, 0) is None


@pytest.mark.parametrize(
    ("method", "error", "retried"),
    [
        ("GET", httpx.ConnectError("refused"), True),
        ("GET", httpx.ConnectTimeout("slow"), True),
        ("GET", httpx.ReadTimeout("slow"), True),
        ("GET", httpx.RemoteProtocolError("closed"), True),
        ("GET", httpx.ReadError("reset"), True),
        ("GET", httpx.UnsupportedProtocol("gopher"), False),
        ("GET", httpx.LocalProtocolError("bad header"), False),
        ("GET", ValueError("not transport"), False),
        ("POST", httpx.ConnectError("refused"), True),
        ("POST", httpx.ConnectTimeout("slow"), True),
        ("POST", httpx.PoolTimeout("busy"), True),
        ("POST", httpx.ReadTimeout("slow"), False),
        ("POST", httpx.WriteTimeout("slow"), False),
        ("POST", httpx.RemoteProtocolError("closed"), False),
        ("POST", httpx.ReadError("reset"), False),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else str(v),
)
def test_delay_after_error(method: str, error: Exception, retried: bool) -> None:
    delay = delay_after_error(POLICY, method, error, 0)
    assert (delay is not None) == retried
    if delay is not None:
        assert 0.375 <= delay <= 0.5
    assert delay_after_error(POLICY, method, error, 2) is None


# -- resume ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "content_range", "have", "skip"),
    [
        (200, None, 0, 0),
        (200, None, 1000, 1000),  # the server ignored Range: drop what we hold
        (200, "bytes 1000-1999/2000", 1000, 1000),
        (206, "bytes 1000-1999/2000", 1000, 0),
        (206, " bytes 1000-1999/* ", 1000, 0),
        (206, "bytes 0-99/100", 0, 0),
    ],
)
def test_bytes_to_skip(status: int, content_range: str | None, have: int, skip: int) -> None:
    assert bytes_to_skip(status, content_range, have) == skip


@pytest.mark.parametrize(
    ("status", "content_range", "have"),
    [
        (206, "bytes 500-1999/2000", 1000),  # not where we stopped
        (206, "bytes 1500-1999/2000", 1000),
        (206, None, 1000),
        (206, "garbage", 1000),
        (416, "bytes */2000", 1000),
        (204, None, 1000),
    ],
)
def test_bytes_to_skip_refuses_what_cannot_continue(
    status: int, content_range: str | None, have: int
) -> None:
    with pytest.raises(MediaDownloadError):
        bytes_to_skip(status, content_range, have)


# -- media types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mime_type", "extension"),
    [
        ("image/jpeg", ".jpg"),
        ("IMAGE/JPEG", ".jpg"),
        ("image/png", ".png"),
        ("image/webp", ".webp"),
        ("audio/ogg; codecs=opus", ".ogg"),
        ("audio/mpeg", ".mp3"),
        ("video/mp4", ".mp4"),
        ("application/pdf", ".pdf"),
        ("text/plain; charset=utf-8", ".txt"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        ("application/x-unknown", ".bin"),
        ("../../etc/passwd", ".bin"),
        ("", ".bin"),
        (None, ".bin"),
    ],
)
def test_extension_for(mime_type: str | None, extension: str) -> None:
    assert extension_for(mime_type) == extension


@pytest.mark.parametrize(
    ("filename", "mime_type"),
    [
        ("photo.jpg", "image/jpeg"),
        ("PHOTO.JPEG", "image/jpeg"),
        ("scan.png", "image/png"),
        ("voice.opus", "audio/ogg"),
        ("voice.ogg", "audio/ogg"),
        ("clip.mp4", "video/mp4"),
        ("clip.3gp", "video/3gpp"),
        ("doc.pdf", "application/pdf"),
        ("sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("sticker.webp", "image/webp"),
        ("no_extension", None),
        ("archive.tar.unknownext", None),
    ],
)
def test_guess_mime_type(filename: str, mime_type: str | None) -> None:
    assert guess_mime_type(filename) == mime_type


@pytest.mark.parametrize(
    ("mime_type", "size", "accepted"),
    [
        ("image/jpeg", 1, True),
        ("image/jpeg", 5 * MiB, True),
        ("image/jpeg", 5 * MiB + 1, False),
        ("Image/PNG; x=y", 10, True),
        ("image/jpeg", 0, False),
        ("audio/ogg", 16 * MiB, True),
        ("audio/ogg", 16 * MiB + 1, False),
        ("video/mp4", 16 * MiB + 1, False),
        ("application/pdf", 100 * MiB, True),
        ("application/pdf", 100 * MiB + 1, False),
        ("image/webp", 500 * 1024, True),
        ("image/webp", 500 * 1024 + 1, False),
        ("image/gif", 10, False),
        ("application/x-msdownload", 10, False),
        ("application/zip", 10, False),
    ],
)
def test_check_media(mime_type: str, size: int, accepted: bool) -> None:
    problem = check_media(mime_type, size)
    assert (problem is None) == accepted, problem


# -- ids and urls ---------------------------------------------------------------------------


@pytest.mark.parametrize("media_id", ["0", "1234567890", "9" * 64])
def test_validate_media_id_accepts_ascii_digits(media_id: str) -> None:
    assert validate_media_id(media_id) == media_id


@pytest.mark.parametrize(
    "media_id", ["", "abc", "١٢٣", "²", "12 3", " 123", "123\n", "1" * 65, None, 123, b"123"]
)
def test_validate_media_id_refuses(media_id: object) -> None:
    with pytest.raises(InvalidMediaIdError):
        validate_media_id(media_id)


def test_download_target_keeps_raw_query_and_takes_base_origin() -> None:
    target = download_target(
        "https://lookaside.fbsbx.com/whatsapp_business/attachments/"
        "?mid=1&ext=1764230400&hash=AT%2Bx-_y&source=getMedia",
        httpx.URL("http://127.0.0.1:8360"),
        (),
    )
    assert target == (
        "http://127.0.0.1:8360/whatsapp_business/attachments/"
        "?mid=1&ext=1764230400&hash=AT%2Bx-_y&source=getMedia"
    )


def test_download_target_accepts_the_base_urls_own_scheme() -> None:
    base = httpx.URL("http://127.0.0.1:8360")
    url = "http://127.0.0.1:8360/whatsapp_business/attachments/?mid=1"
    assert download_target(url, base, ()) == url


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/whatsapp_business/attachments/?mid=1",
        "http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
        "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1#frag",
        "https://lookaside.fbsbx.com/whatsapp_business/attachments",
        "https://lookaside.fbsbx.com/WHATSAPP_BUSINESS/attachments/",
    ],
)
def test_download_target_refuses(url: str) -> None:
    with pytest.raises(UnsafeMediaURLError):
        download_target(url, httpx.URL("https://waba-v2.360dialog.io"), ())


def test_upload_type_enum_in_the_spec_is_whatsapps_table() -> None:
    spec = json.loads((Path(__file__).resolve().parents[2] / "spec/openapi.json").read_text())
    upload = spec["components"]["schemas"]["media.UploadMediaRequest"]["properties"]["type"]
    assert set(upload["enum"]) == set(MEDIA_TYPES)


# -- content codings on media bytes ---------------------------------------------------------


@pytest.mark.parametrize("codings", [[], [""], ["identity"], ["IDENTITY"], [" identity "]])
def test_identity_is_the_only_coding_accepted(codings: list[str]) -> None:
    refuse_content_coding(codings)


@pytest.mark.parametrize(
    "codings",
    [["gzip"], ["gzip", "gzip"], ["identity", "gzip"], ["br"], ["zstd"], ["x-gzip"], ["\x1b[2J"]],
)
def test_any_other_coding_is_refused(codings: list[str]) -> None:
    with pytest.raises(MediaDownloadError, match="compressed") as info:
        refuse_content_coding(codings)
    assert "\x1b" not in str(info.value)  # shown as a repr, never raw


# -- the metadata rules ---------------------------------------------------------------------

GOOD_FIELDS = {
    "file_size": 12,
    "sha256": "a" * 64,
    "mime_type": "image/jpeg",
    "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
    "id": "42",
}


def test_good_metadata_passes() -> None:
    check_media_fields(GOOD_FIELDS, "42", response=None)
    check_media_fields(GOOD_FIELDS | {"sha256": "A" * 64, "file_size": 0}, "42", response=None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("file_size", float("nan")),
        ("file_size", float("inf")),
        ("file_size", False),
        ("file_size", 12.0),
        ("file_size", -1),
        ("sha256", "a" * 63),
        ("sha256", b"a" * 64),
        ("mime_type", b"image/jpeg"),
        ("url", None),
        ("id", "43"),
        ("id", 42),
    ],
)
def test_each_rule_names_its_field(field: str, value: object) -> None:
    with pytest.raises(APIError, match=f"'{field}'") as info:
        check_media_fields(GOOD_FIELDS | {field: value}, "42", response=None)
    assert info.value.status_code == 200


def test_a_value_too_large_to_print_is_still_reported() -> None:
    assert 0 < sys.get_int_max_str_digits() < 5000  # Python's default limit is in force
    with pytest.raises(APIError, match="too large to show"):
        check_media_fields(GOOD_FIELDS | {"id": 10**5000}, "42", response=None)
