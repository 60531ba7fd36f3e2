"""Metadata checked before bytes: one set of rules for get(), download/read/stream (with or
without the caller's own get() result), the refresh after an expired url, and upload answers.
And the caller's own errors (on_progress, file objects) pass through untouched."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import httpx
import pytest
from dialog360 import APIError, Dialog360Error, MediaDownloadError
from dialog360_api.models import MediaUrlResponse

JPEG = b"\xff\xd8\xff\xe0" + b"fake jpeg body " * 100
SHA = "ab" * 32

# (field, value) pairs the API must not get away with; each names its field in the error.
BAD_FIELDS: list[tuple[str, Any]] = [
    ("file_size", "10240"),
    ("file_size", None),
    ("file_size", -5),
    ("file_size", 1.5),
    ("file_size", float(len(JPEG))),
    ("file_size", True),
    ("file_size", [len(JPEG)]),
    ("sha256", None),
    ("sha256", 12345),
    ("sha256", "g" * 64),
    ("sha256", SHA[:-1]),
    ("sha256", SHA + "0"),
    ("sha256", " " + SHA[1:]),
    ("mime_type", 7),
    ("mime_type", None),
    ("mime_type", {"type": "image/jpeg"}),
    ("url", None),
    ("url", 1),
    ("url", ["https://lookaside.fbsbx.com/whatsapp_business/attachments/"]),
    ("id", "999"),
    ("id", 1234567890),
    ("id", None),
    ("messaging_product", 5),
]


def _raw_meta_answer(server: Any, body: bytes | str, media_id: str | None = None) -> None:
    """A 200 to GET /{id} with exactly these bytes (NaN and friends cannot go through json=)."""
    server.mock.add_response(
        method="GET",
        url=f"{server.base}/{media_id or server.media_id}",
        content=body.encode() if isinstance(body, str) else body,
        headers={"Content-Type": "application/json"},
    )


def _assert_names(error: APIError, field: str) -> None:
    assert type(error) is APIError
    assert repr(field) in str(error), str(error)
    assert error.status_code == 200
    assert isinstance(error.response, httpx.Response)


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS, ids=lambda v: repr(v)[:20])
async def test_get_refuses_a_bad_field_naming_it(
    d360: Any, server: Any, field: str, value: Any
) -> None:
    meta = server.meta(JPEG) | {field: value}
    server.mock.add_response(method="GET", url=f"{server.base}/{server.media_id}", json=meta)
    with pytest.raises(APIError) as info:
        await d360.get(server.media_id)
    _assert_names(info.value, field)


@pytest.mark.parametrize("field", ["file_size", "sha256", "mime_type", "url", "id"])
async def test_get_refuses_a_missing_field_naming_it(d360: Any, server: Any, field: str) -> None:
    meta = server.meta(JPEG)
    del meta[field]
    server.mock.add_response(method="GET", url=f"{server.base}/{server.media_id}", json=meta)
    with pytest.raises(APIError, match=f"'{field}'.*missing"):
        await d360.get(server.media_id)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400", "-0.0", "1E3"])
async def test_non_integer_json_numbers_as_file_size_are_refused(
    d360: Any, server: Any, literal: str
) -> None:
    meta = server.meta(JPEG)
    text = json.dumps(meta).replace(f'"file_size": {len(JPEG)}', f'"file_size": {literal}')
    assert literal in text
    _raw_meta_answer(server, text)
    with pytest.raises(APIError) as info:
        await d360.get(server.media_id)
    _assert_names(info.value, "file_size")


async def test_nan_file_size_never_lets_bytes_past_the_cap(
    make_d360: Any, server: Any, tmp_path: Path
) -> None:
    # NaN compares False with everything: a cap written as `size > max` would let it through.
    d360 = make_d360(max_download_bytes=1024)
    big = b"x" * 64 * 1024
    text = json.dumps(server.meta(big)).replace(f'"file_size": {len(big)}', '"file_size": NaN')
    _raw_meta_answer(server, text)
    with pytest.raises(APIError, match="file_size"):
        await d360.download(server.media_id, tmp_path)
    assert server.bytes_requests() == []
    assert list(tmp_path.iterdir()) == []


async def test_huge_file_size_is_the_size_cap_not_a_crash(
    make_d360: Any, server: Any, tmp_path: Path
) -> None:
    d360 = make_d360(max_download_bytes=1024)
    huge = 10**4000  # Python's json takes it; printing it whole would raise ValueError
    text = json.dumps(server.meta(JPEG)).replace(
        f'"file_size": {len(JPEG)}', f'"file_size": {huge}'
    )
    _raw_meta_answer(server, text)
    with pytest.raises(MediaDownloadError, match="more than the limit of 1024 bytes"):
        await d360.download(server.media_id, tmp_path)
    assert server.bytes_requests() == []


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the parser's stack
        b'{"file_size": ' + b"9" * 5000 + b"}",  # more digits than Python converts
        b"\xff\xfe\x00garbage",
        b"null",
        b'"a string"',
        b"42",
    ],
    ids=["deep", "long-int", "not-utf8", "null", "string", "number"],
)
async def test_answers_that_are_no_json_object_are_api_errors(
    d360: Any, server: Any, body: bytes
) -> None:
    _raw_meta_answer(server, body)
    with pytest.raises(APIError) as info:
        await d360.get(server.media_id)
    assert type(info.value) is APIError
    assert info.value.status_code == 200


@pytest.mark.parametrize("op", ["download", "read", "stream"])
@pytest.mark.parametrize(("field", "value"), BAD_FIELDS[::3], ids=lambda v: repr(v)[:20])
async def test_no_byte_is_fetched_on_bad_metadata(
    d360: Any, server: Any, tmp_path: Path, op: str, field: str, value: Any
) -> None:
    meta = server.meta(JPEG) | {field: value}
    server.mock.add_response(method="GET", url=f"{server.base}/{server.media_id}", json=meta)
    with pytest.raises(APIError, match=repr(field)):
        if op == "download":
            await d360.download(server.media_id, tmp_path)
        else:
            await getattr(d360, op)(server.media_id)
    assert server.bytes_requests() == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("op", ["download", "read", "stream"])
@pytest.mark.parametrize(
    ("field", "value"),
    # A held answer's id is the id asked for (checked as a media id in test_unit_download).
    [(field, value) for field, value in BAD_FIELDS[1::2] if field != "id"],
    ids=lambda v: repr(v)[:20],
)
async def test_metadata_held_by_the_caller_is_checked_the_same(
    d360: Any, server: Any, tmp_path: Path, op: str, field: str, value: Any
) -> None:
    info = MediaUrlResponse.from_dict(server.meta(JPEG) | {field: value})
    with pytest.raises(APIError, match=repr(field)) as caught:
        if op == "download":
            await d360.download(info, tmp_path)
        else:
            await getattr(d360, op)(info)
    assert caught.value.status_code == 200
    assert server.requests() == []
    assert list(tmp_path.iterdir()) == []


async def test_answer_for_another_id_is_never_saved_under_either_name(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.mock.add_response(
        method="GET", url=f"{server.base}/102", json=server.meta(JPEG, media_id="999")
    )
    with pytest.raises(APIError, match="'id'"):
        await d360.download("102", tmp_path)
    assert server.bytes_requests() == []
    assert list(tmp_path.iterdir()) == []


async def test_saved_name_is_the_id_asked_for(d360: Any, server: Any, tmp_path: Path) -> None:
    server.add_media(JPEG, media_id="102")
    path = await d360.download("102", tmp_path)
    assert path == tmp_path / "102.jpg"
    assert [p.name for p in tmp_path.iterdir()] == ["102.jpg"]


async def test_bad_metadata_on_the_refresh_is_refused_before_more_bytes(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_meta(server.meta(JPEG))
    server.add_bytes(status_code=403, json={"error": "expired"})
    fresh = server.meta(JPEG) | {"file_size": "10240"}
    server.mock.add_response(method="GET", url=f"{server.base}/{server.media_id}", json=fresh)
    with pytest.raises(APIError, match="'file_size'"):
        await d360.download(server.media_id, tmp_path)
    assert len(server.bytes_requests()) == 1  # only the one that expired
    assert list(tmp_path.iterdir()) == []


async def test_uppercase_and_lowercase_sha256_are_both_fine(d360: Any, server: Any) -> None:
    server.add_meta(server.meta(JPEG, sha256=server.sha256_hex(JPEG).upper()))
    info = await d360.get(server.media_id)
    assert info.sha256 == server.sha256_hex(JPEG).upper()
    server.add_bytes(JPEG)
    assert await d360.read(info) == JPEG


async def test_extra_fields_are_kept_and_harmless(d360: Any, server: Any) -> None:
    server.add_meta(server.meta(JPEG, extra={"nested": [1, {"x": None}]}))
    info = await d360.get(server.media_id)
    assert info["extra"] == {"nested": [1, {"x": None}]}
    server.add_bytes(JPEG)
    assert await d360.read(info) == JPEG


async def test_zero_byte_media_is_fine(d360: Any, server: Any) -> None:
    server.add_media(b"")
    assert await d360.read(server.media_id) == b""


# -- upload answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        {"id": None},
        {"id": 4490709327384033},
        {"id": ""},
        {"id": "12a"},
        {"id": "١٢٣"},
        {"id": "1" * 65},
        {"id": ["1"]},
        {},
        {"media_id": "123"},
    ],
    ids=repr,
)
async def test_upload_answer_without_a_digit_id_is_an_api_error(
    d360: Any, server: Any, answer: dict[str, Any]
) -> None:
    server.mock.add_response(method="POST", url=f"{server.base}/media", json=answer)
    with pytest.raises(APIError, match="'id'") as info:
        await d360.upload(JPEG, mime_type="image/jpeg")
    _assert_names(info.value, "id")


async def test_upload_answer_with_extra_fields_is_fine(d360: Any, server: Any) -> None:
    server.mock.add_response(
        method="POST", url=f"{server.base}/media", json={"id": "77", "extra": {"a": 1}}
    )
    uploaded = await d360.upload(JPEG, mime_type="image/jpeg")
    assert uploaded.id == "77"


# -- the caller's own errors pass through ---------------------------------------------------


class CallerProblem(Exception):
    pass


@pytest.mark.parametrize("error", [ValueError("v"), KeyError("k"), TypeError("t"), CallerProblem()])
async def test_upload_on_progress_errors_pass_through_unchanged(
    d360: Any, server: Any, error: Exception
) -> None:
    def on_progress(done: int, total: int | None) -> None:
        raise error

    with pytest.raises(type(error)) as info:
        await d360.upload(JPEG, mime_type="image/jpeg", on_progress=on_progress)
    assert info.value is error
    assert not isinstance(info.value, Dialog360Error)


@pytest.mark.parametrize(
    "error", [ValueError("v"), KeyError("k"), TypeError("t"), OSError(5, "io")]
)
async def test_upload_file_object_errors_pass_through_unchanged(
    d360: Any, server: Any, error: Exception
) -> None:
    class Failing(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise error

    with pytest.raises(type(error)) as info:
        await d360.upload(Failing(JPEG), mime_type="image/jpeg")
    assert info.value is error


@pytest.mark.parametrize("error", [ValueError("v"), KeyError("k"), TypeError("t")])
@pytest.mark.parametrize("op", ["download", "stream"])
async def test_download_callback_errors_pass_through_unchanged(
    d360: Any, server: Any, tmp_path: Path, op: str, error: Exception
) -> None:
    server.add_meta(server.meta(JPEG))
    server.add_bytes(JPEG, is_optional=True)  # the callback may stop us before it is asked

    def fail(*_: Any) -> None:
        raise error

    with pytest.raises(type(error)) as info:
        if op == "download":
            await d360.download(server.media_id, tmp_path, on_progress=fail)
        else:
            await d360.stream(server.media_id, before_iterating=fail)
    assert info.value is error
    assert list(tmp_path.iterdir()) == []


def test_nan_is_what_python_json_gives() -> None:
    # Why the checks cannot rely on the parser: these come back as floats, not errors.
    assert math.isnan(json.loads('{"a": NaN}')["a"])
    assert json.loads("1e400") == math.inf
