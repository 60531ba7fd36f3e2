"""Fuzzing the metadata of GET /{id} and the answer to an upload through the public client.

Every field of the metadata gets random JSON values (huge ints, NaN and the infinities, bools,
floats, strings, nested lists and objects, or nothing at all), next to the right value; the
whole answer takes random shapes too (any JSON value, extra fields, NaN literals, ints of more
digits than Python converts, nesting deeper than the parser's stack, bytes that are no JSON,
gzip-compressed bodies). Whatever comes, a download, sync and async, ends in exactly one of:

- a file at the destination whose size and sha256 are those the metadata announced, or
- a typed Dialog360Error with nothing left in the folder,

and when the metadata breaks a rule (the independent oracle `metadata_is_usable`), the error is
an APIError and no request for bytes was sent. Upload answers: success only with a digit id.

An httpx.MockTransport stands in for 360dialog and counts requests per route. Hypothesis runs
derandomized, so CI sees the same cases every time.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import math
import re
from pathlib import Path
from typing import Any

import httpx
from dialog360 import APIError, AsyncDialog360, Dialog360, Dialog360Error
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

KEY = "fuzz-key-2b8e41f0c3"
BASE = "http://waba.d360.test:8360"
MEDIA_ID = "1234567890"
ATTACHMENTS = "/whatsapp_business/attachments/"
BODY = b"fuzzed media bytes \x00\xff" * 8
BODY_SHA256 = hashlib.sha256(BODY).hexdigest()
MEDIA_URL = f"https://lookaside.fbsbx.com{ATTACHMENTS}?mid=1&ext=1&hash=h"
MAX_BYTES = 10_000
# Planted one at a time, the bugs these tests are here for (a bool or negative file_size
# accepted, a RecursionError escaping the JSON parser, a non-object answer taken for metadata, a
# non-ASCII-digit upload id) each fail the run within 150 cases.
EXAMPLES = 150

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

GOOD: dict[str, Any] = {
    "url": MEDIA_URL,
    "mime_type": "image/jpeg",
    "sha256": BODY_SHA256,
    "file_size": len(BODY),
    "id": MEDIA_ID,
    "messaging_product": "whatsapp",
}

# -- random JSON values ----------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, 1, -1, len(BODY), len(BODY) + 1, MAX_BYTES + 1, 2**63, 10**4000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float(len(BODY)), math.nan, math.inf, -0.0]),
    st.text(max_size=80),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
# Values close to right: the sha256 in other cases and lengths, ids of other media, urls.
near_values: dict[str, st.SearchStrategy[Any]] = {
    "file_size": st.sampled_from([len(BODY) - 1, len(BODY) + 1, 0, str(len(BODY)), True]),
    "sha256": st.sampled_from(
        [BODY_SHA256.upper(), BODY_SHA256[:-1], BODY_SHA256 + "0", "0" * 64, "z" * 64, ""]
    ),
    "mime_type": st.sampled_from(["", "application/x-unknown", "../../etc/passwd", "IMAGE/PNG"]),
    "url": st.sampled_from(["", "not a url", MEDIA_URL.replace("https", "http"), "https://x/"]),
    "id": st.sampled_from(["999", MEDIA_ID + "0", " " + MEDIA_ID, "", int(MEDIA_ID)]),
    "messaging_product": st.sampled_from(["", "sms", None]),
}
MISSING = object()


@st.composite
def metadata(draw: st.DrawFn) -> dict[str, Any]:
    """GOOD with each field kept, removed, nudged or replaced by any JSON value; extra keys."""
    answer: dict[str, Any] = {}
    for field, good in GOOD.items():
        value = draw(
            st.one_of(
                st.just(good),
                st.just(good),
                st.just(MISSING),
                near_values[field],
                json_values,
            )
        )
        if value is not MISSING:
            answer[field] = value
    extra = draw(st.dictionaries(st.text(max_size=12), json_values, max_size=3))
    return extra | answer


@st.composite
def one_field_off(draw: st.DrawFn) -> dict[str, Any]:
    """GOOD with exactly one field removed, nudged or replaced: a lone bad value (a bool or a
    negative size, a float id) must not hide behind the others being right."""
    field = draw(st.sampled_from(sorted(GOOD)))
    value = draw(st.one_of(st.just(MISSING), near_values[field], scalars))
    answer = {name: good for name, good in GOOD.items() if name != field}
    return answer if value is MISSING else answer | {field: value}


def encode(value: Any) -> bytes:
    # Python's json writes NaN/Infinity literals and ints of any length, as hostile servers may.
    text = json.dumps(value, allow_nan=True)
    return text.encode()


@st.composite
def answers(draw: st.DrawFn) -> tuple[bytes, dict[str, str], Any]:
    """(body, headers, the parsed JSON the client should see or None) of one answer."""
    shape = draw(
        st.sampled_from(["object"] * 3 + ["one-field"] * 3 + ["any", "garbage", "deep", "long-int"])
    )
    parsed: Any
    if shape == "object":
        parsed = draw(metadata())
        body = encode(parsed)
    elif shape == "one-field":
        parsed = draw(one_field_off())
        body = encode(parsed)
    elif shape == "any":
        parsed = draw(json_values)
        body = encode(parsed)
    elif shape == "garbage":
        parsed, body = None, draw(st.binary(max_size=64))
    elif shape == "deep":
        depth = draw(st.sampled_from([10, 5_000, 200_000]))
        parsed, body = None, b"[" * depth + b"]" * depth
    else:
        parsed, body = None, b'{"file_size": ' + b"7" * 5_000 + b"}"
    headers = {"Content-Type": "application/json"}
    if draw(st.booleans()) and draw(st.booleans()):
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    return body, headers, parsed


def metadata_is_usable(parsed: Any) -> bool:
    """The rules, written apart from the client's own check."""
    if not isinstance(parsed, dict):
        return False
    size, sha = parsed.get("file_size", MISSING), parsed.get("sha256", MISSING)
    return (
        isinstance(size, int)
        and not isinstance(size, bool)
        and size >= 0
        and isinstance(sha, str)
        and re.fullmatch(r"[0-9a-fA-F]{64}", sha) is not None
        and isinstance(parsed.get("mime_type", MISSING), str)
        and isinstance(parsed.get("url", MISSING), str)
        and parsed.get("id", MISSING) == MEDIA_ID
        and isinstance(parsed.get("messaging_product", ""), str)
    )


# -- the stand-in API ------------------------------------------------------------------------


class FakeAPI:
    """GET /{id} answers `answer`; the attachments route always serves BODY."""

    def __init__(self) -> None:
        self.answer: tuple[bytes, dict[str, str]] = (b"", {})
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == f"/{MEDIA_ID}":
            body, headers = self.answer
            return httpx.Response(200, content=body, headers=headers)
        if request.url.path == ATTACHMENTS:
            return httpx.Response(200, content=BODY, headers={"Content-Type": "image/jpeg"})
        if request.url.path == "/media":
            body, headers = self.answer
            return httpx.Response(200, content=body, headers=headers)
        return httpx.Response(404, json={"error": "not found"})

    def bytes_requests(self) -> int:
        return sum(request.url.path == ATTACHMENTS for request in self.requests)


def _outcome(result: Any, error: BaseException | None, parsed: Any, api: FakeAPI, folder: Path):
    if error is not None:
        assert isinstance(error, Dialog360Error), f"untyped {error!r} for {parsed!r}"
        assert KEY not in str(error)
        assert list(folder.iterdir()) == [], "a failed download left something behind"
        if not metadata_is_usable(parsed):
            assert isinstance(error, APIError), f"{error!r} for unusable metadata {parsed!r}"
            assert api.bytes_requests() == 0, f"bytes were fetched on {parsed!r}"
        return
    assert metadata_is_usable(parsed), f"unusable metadata {parsed!r} gave a file"
    path = Path(result)
    assert path == folder / f"{MEDIA_ID}{path.suffix}"
    data = path.read_bytes()
    assert len(data) == parsed["file_size"]
    assert hashlib.sha256(data).hexdigest() == parsed["sha256"].lower()
    path.unlink()


def test_random_metadata_ends_in_a_verified_file_or_a_typed_error(tmp_path: Path) -> None:
    api = FakeAPI()
    transport = httpx.MockTransport(api)
    sync_client = Dialog360(KEY, base_url=BASE, transport=transport, max_download_bytes=MAX_BYTES)
    async_client = AsyncDialog360(
        KEY, base_url=BASE, transport=transport, max_download_bytes=MAX_BYTES
    )
    loop = asyncio.new_event_loop()
    outcomes = {"file": 0, "refused": 0, "other error": 0}

    async def async_download() -> Any:
        return await async_client.media.download(MEDIA_ID, tmp_path)

    # Usable metadata that the bytes then contradict: every run reaches that ending too.
    wrong_size = GOOD | {"file_size": len(BODY) + 1}
    wrong_sha = GOOD | {"sha256": "0" * 64}

    @FUZZ
    @given(answer=answers())
    @example(answer=(encode(wrong_size), {"Content-Type": "application/json"}, wrong_size))
    @example(answer=(encode(wrong_sha), {"Content-Type": "application/json"}, wrong_sha))
    def check(answer: tuple[bytes, dict[str, str], Any]) -> None:
        body, headers, parsed = answer
        for run in (
            lambda: sync_client.media.download(MEDIA_ID, tmp_path),
            lambda: loop.run_until_complete(async_download()),
        ):
            api.answer, api.requests = (body, headers), []
            result: Any = None
            error: BaseException | None = None
            try:
                result = run()
            except Exception as caught:
                error = caught
            _outcome(result, error, parsed, api, tmp_path)
            if error is None:
                outcomes["file"] += 1
            elif api.bytes_requests() == 0:
                outcomes["refused"] += 1
            else:
                outcomes["other error"] += 1

    try:
        check()
    finally:
        sync_client.close()
        loop.run_until_complete(async_client.close())
        loop.close()
    # The cases reached every ending, not only the refusals.
    assert all(count > 0 for count in outcomes.values()), outcomes


@st.composite
def upload_answers(draw: st.DrawFn) -> Any:
    return draw(
        st.one_of(
            st.fixed_dictionaries({"id": json_values}),
            st.fixed_dictionaries({"id": st.from_regex(r"[0-9]{1,64}", fullmatch=True)}),
            st.fixed_dictionaries(
                {"id": st.text(alphabet="0123456789\u0660\u0661\u0663 ", min_size=0, max_size=70)}
            ),
            json_values,
        )
    )


def test_random_upload_answers_give_a_digit_id_or_an_api_error() -> None:
    api = FakeAPI()
    client = Dialog360(KEY, base_url=BASE, transport=httpx.MockTransport(api))
    accepted = 0

    @FUZZ
    @given(answer=upload_answers())
    def check(answer: Any) -> None:
        nonlocal accepted
        api.answer = (encode(answer), {"Content-Type": "application/json"})
        try:
            uploaded = client.media.upload(b"\xff\xd8 jpeg", mime_type="image/jpeg")
        except APIError as error:
            assert type(error) is APIError
            media_id = answer.get("id") if isinstance(answer, dict) else None
            assert not (isinstance(media_id, str) and re.fullmatch(r"[0-9]{1,64}", media_id))
            return
        assert re.fullmatch(r"[0-9]{1,64}", uploaded.id), uploaded.id
        assert uploaded.id == answer["id"]
        accepted += 1

    try:
        check()
    finally:
        client.close()
    assert accepted > 0
