"""Fuzzing media ids and media urls through the public client (2,000 generated cases).

1. Anything that is not 1..64 ASCII digits (unicode digits, whitespace, signs, empty, too long,
   non-strings) raises InvalidMediaIdError from every media operation, sync and async, and no
   request is sent.
2. For media urls the API could hand out (scheme, host incl. lookaside, the base host, foreign
   and IDN hosts, userinfo, ports, paths with traversal and encoded slashes, raw query bytes,
   fragments): the download either fetches the bytes from the base URL's origin, at the
   attachments path, with the url's query kept byte for byte (only characters that cannot stand
   raw in a request line are percent-encoded), or refuses with UnsafeMediaURLError after the
   metadata call. No request ever goes to another origin, and the key goes nowhere else.

An httpx.MockTransport stands in for 360dialog (`Dialog360(..., transport=...)`) and records
every request. Hypothesis runs derandomized, so CI sees the same cases every time.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from dialog360 import (
    APIConnectionError,
    AsyncDialog360,
    Dialog360,
    InvalidMediaIdError,
    NotFoundError,
    UnsafeMediaURLError,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

KEY = "fuzz-key-7c1d3e9a5b"
BASE = "http://waba.d360.test:8360"
BASE_ORIGIN = ("http", "waba.d360.test", 8360)
MEDIA_ID = "1234567890"
ATTACHMENTS = "/whatsapp_business/attachments/"
BODY = b"fuzzed media bytes \x00\xff" * 8
BODY_SHA256 = hashlib.sha256(BODY).hexdigest()
# Enough to catch, with a wide margin, each of the bugs these tests are here for (a raw idna or
# Location parsing error escaping, unicode digits taken for an id, userinfo, fragments or an
# encoded slash let through): planted one at a time, each fails the run within 300 cases.
EXAMPLES = 1000

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class FakeAPI:
    """The MockTransport's handler: metadata holding `media_url`, then the bytes."""

    def __init__(self) -> None:
        self.media_url = ""
        self.redirect: str | None = None
        self.requests: list[httpx.Request] = []

    def reset(self, media_url: str = "", redirect: str | None = None) -> None:
        self.media_url = media_url
        self.redirect = redirect
        self.requests = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == f"/{MEDIA_ID}":
            document = {
                "messaging_product": "whatsapp",
                "url": self.media_url,
                "mime_type": "image/jpeg",
                "sha256": BODY_SHA256,
                "file_size": len(BODY),
                "id": MEDIA_ID,
            }
            return httpx.Response(200, json=document)
        if request.url.path == ATTACHMENTS:
            if self.redirect is not None:
                location = self.redirect.encode("utf-8")  # any text, as raw header bytes
                return httpx.Response(302, headers=[(b"Location", location)])
            return httpx.Response(200, content=BODY, headers={"Content-Type": "image/jpeg"})
        return httpx.Response(404, json={"error": "not found"})


API = FakeAPI()
CLIENT = Dialog360(KEY, base_url=BASE, transport=httpx.MockTransport(API))


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def assert_key_stays_home(requests: list[httpx.Request]) -> None:
    for request in requests:
        assert origin(request.url) == BASE_ORIGIN, f"a request left the base origin: {request.url}"
        assert KEY not in str(request.url)
        for name, value in request.headers.items():
            if name.lower() != "d360-api-key":
                assert KEY not in value, f"the key is in the {name} header"


# -- 1. invalid media ids ------------------------------------------------------------------

_VALID_ID = re.compile(r"[0-9]{1,64}")
_DIGITS = "0123456789"

_PREFIXES = ["", " ", "\t", "\n", "+", "-", "0x", "\u00a0", "\u200b", "\uff11", "\u0663"]
_SUFFIXES = ["", " ", "\n", "\r\n", ".0", "e5", "_1", "/..", "?x=1", "#", "\x00", "\u00b2"]
_OTHER_DIGITS = "\u0660\u0663\u06f5\u0966\u09e7\u0e51\uff10\uff19\u00b2\u00b9\u2460\U0001d7ce"
_ODD_IDS: list[object] = ["", "12 34", "1_000", "-0", "0x1f", None, 123, 1.5, b"123", ["1"]]


def _id_from_bytes(raw: bytes) -> object:
    """One cheap draw decoded into an invalid id of a chosen family (hypothesis spends far
    more time per draw than the client spends refusing an id)."""
    family, rest = raw[0] % 4, raw[1:]
    digits = "".join(_DIGITS[byte % 10] for byte in rest) or "7"
    if family == 0:  # digits of other scripts mixed in: "\u0663".isdigit() is True
        other = _OTHER_DIGITS[raw[0] % len(_OTHER_DIGITS)]
        at = raw[0] % (len(digits[:63]) + 1)
        return digits[:63][:at] + other + digits[:63][at:]
    if family == 1:  # too long
        return (digits * 90)[: 65 + len(rest) % 30]
    if family == 2:  # signs, whitespace, separators around valid digits
        prefix, suffix = _PREFIXES[rest[0] % 11 if rest else 1], _SUFFIXES[len(rest) % 12]
        return prefix + digits[:64] + suffix if prefix or suffix else digits + " "
    return _ODD_IDS[len(rest) % len(_ODD_IDS)]


invalid_ids = st.one_of(
    st.text(max_size=80).filter(lambda text: not _VALID_ID.fullmatch(text)),
    st.binary(min_size=1, max_size=70).map(_id_from_bytes),
)


def _refused(media_id: object, error: BaseException | None) -> None:
    assert isinstance(error, InvalidMediaIdError), f"{media_id!r} was not refused: {error!r}"
    assert KEY not in str(error)


async def _async_refusals(client: AsyncDialog360, media_id: Any, folder: Path) -> int:
    media = client.media
    count = 0
    for operation in (
        lambda: media.get(media_id),
        lambda: media.delete(media_id),
        lambda: media.read(media_id),
        lambda: media.download(media_id, folder),
    ):
        error: BaseException | None = None
        try:
            await operation()
        except Exception as caught:
            error = caught
        _refused(media_id, error)
        count += 1
    error = None
    try:
        async with media.stream(media_id):
            pass
    except Exception as caught:
        error = caught
    _refused(media_id, error)
    return count + 1


def test_invalid_media_ids_never_send_a_request(tmp_path: Path) -> None:
    api = FakeAPI()
    sync_client = Dialog360(KEY, base_url=BASE, transport=httpx.MockTransport(api))
    async_client = AsyncDialog360(KEY, base_url=BASE, transport=httpx.MockTransport(api))
    loop = asyncio.new_event_loop()
    seen = 0

    @FUZZ
    @given(media_id=invalid_ids)
    def check(media_id: Any) -> None:
        nonlocal seen
        seen += 1
        api.reset()
        media = sync_client.media
        for operation in (
            lambda: media.get(media_id),
            lambda: media.delete(media_id),
            lambda: media.read(media_id),
            lambda: media.download(media_id, tmp_path),
            lambda: media.stream(media_id).__enter__(),
        ):
            error: BaseException | None = None
            try:
                operation()
            except Exception as caught:
                error = caught
            _refused(media_id, error)
        assert loop.run_until_complete(_async_refusals(async_client, media_id, tmp_path)) == 5
        assert api.requests == [], f"{media_id!r} caused a request"

    try:
        check()
    finally:
        sync_client.close()
        loop.run_until_complete(async_client.close())
        loop.close()
    assert seen >= EXAMPLES
    assert list(tmp_path.iterdir()) == []


def test_valid_media_ids_at_the_bounds_are_sent() -> None:
    api = FakeAPI()
    with Dialog360(KEY, base_url=BASE, transport=httpx.MockTransport(api)) as client:
        for media_id in ("0", "9" * 64):
            api.reset()
            with pytest.raises(NotFoundError):  # the fake knows only MEDIA_ID; what counts
                client.media.get(media_id)  # is that the request was sent
            assert [request.url.path for request in api.requests] == [f"/{media_id}"]


# -- 2. media urls ---------------------------------------------------------------------------

# Each part of a url: the forms the API may really use, and odd or hostile ones.
SCHEMES = (["https", "http", "HTTPS"], ["Http", "ftp", "file", "ws", "javascript", "data", ""])
SEPARATORS = (["://"], [":", ":/", ":///", "://\\", ":\\\\", "//"])
USERINFOS = (
    [""],
    ["user@", "user:pass@", ":@", "@", "lookaside.fbsbx.com@", "waba.d360.test:8360@"],
)
HOSTS = (
    ["lookaside.fbsbx.com", "waba.d360.test", "LOOKASIDE.FBSBX.COM", "WABA.d360.TEST"],
    [
        "lookaside.fbsbx.com.",
        "lookaside.fbsbx.com.evil.example",
        "evil.example.com",
        "x.lookaside.fbsbx.com",
        "fbsbx.com",
        "waba.d360.test.evil.example",
        "look\u0430side.fbsbx.com",  # a Cyrillic a
        "xn--lookside-8hg.fbsbx.com",  # punycode that does not decode
        "xn--lookaside-2ub.fbsbx.com",
        "lookaside.fbsbx.c\u00f6m",
        "\uff4c\uff4f\uff4f\uff4b\uff41\uff53\uff49\uff44\uff45.fbsbx.com",  # fullwidth
        "127.0.0.1",
        "[::1]",
        "localhost",
        "evil.example.com\\@lookaside.fbsbx.com",
        "lookaside.fbsbx.com%2f@evil.example.com",
        "",
    ],
)
PORTS = (["", ":443", ":8360"], [":80", ":8443", ":0", ":65535", ":65536", ":", ":-1", ":x"])
PATHS = (
    [ATTACHMENTS],
    [
        "/whatsapp_business/attachments",
        "/whatsapp_business/attachments//",
        "/whatsapp_business/attachments/x",
        "/whatsapp_business/x/../attachments/",
        "/whatsapp_business/attachments/../../v1/media/",
        "/whatsapp_business/attachments/%2e%2e/%2e%2e/",
        "/whatsapp_business%2Fattachments/",
        "/whatsapp_business/attachments%2F",
        "/whatsapp_business/attachments/%2F..%2F",
        "//evil.example.com/whatsapp_business/attachments/",
        "/WHATSAPP_BUSINESS/attachments/",
        "/whatsapp_business/attachments/;x",
        "/whatsapp_business/./attachments/",
        "/./whatsapp_business/attachments/",
        "/whatsapp_business\\attachments\\",
        "",
        "/",
    ],
)
FRAGMENTS = ([""], ["#", "#frag", "#?mid=1", "#@evil.example.com"])
_QUERY_TOKENS = [
    "mid=1234567890",
    "ext=1764230400",
    "hash=AT0x-_yZ",
    "hash=AT%2Bx%2F%3D",
    "source=getMedia",
    "&",
    "=",
    "?",
    "/",
    "%",
    "%2F",
    "%2e%2e",
    "%zz",
    "%00",
    "%C3%A9",
    "..",
    "+",
    ";",
    ":",
    "@",
    "!",
    "$",
    "'",
    "(",
    ")",
    "*",
    ",",
    "~",
    " ",
    '"',
    "<",
    ">",
    "`",
    "{",
    "}",
    "[",
    "]",
    "|",
    "\\",
    "^",
    "é",
    "中",
    "\u00a0",
    "\u200b",
    "😀",
    "\t",
    "\x00",
    "\x7f",
    KEY[:4],
]
_PATH_CHARS = "/._%2Fawhtsp_businec~\\;\u00e9"


def _pick(part: tuple[list[str], list[str]], byte: int) -> str:
    """Three bytes in four pick a usual form, the fourth an odd one."""
    usual, odd = part
    return usual[byte % len(usual)] if byte % 4 else odd[(byte // 4) % len(odd)]


def _url_from_bytes(raw: bytes) -> str:
    """One draw of bytes decoded into a url: a byte picks each part (scheme, separator,
    userinfo, host, port, path, fragment), the rest pick query tokens."""
    head, tail = raw[:8].ljust(8, b"\x00"), raw[8:]
    path = _pick(PATHS, head[5])
    if head[5] % 16 == 4:  # a made-up path from risky characters
        path = "/" + "".join(_PATH_CHARS[byte % len(_PATH_CHARS)] for byte in tail[:12])
    query = "".join(_QUERY_TOKENS[byte % len(_QUERY_TOKENS)] for byte in tail)
    query_part = ("?" + query) if head[6] % 5 else ("" if head[6] % 2 else "?")
    return (
        _pick(SCHEMES, head[0])
        + _pick(SEPARATORS, head[1])
        + _pick(USERINFOS, head[2])
        + _pick(HOSTS, head[3])
        + _pick(PORTS, head[4])
        + path
        + query_part
        + _pick(FRAGMENTS, head[7])
    )


def media_urls() -> st.SearchStrategy[str]:
    return st.one_of(
        st.binary(min_size=8, max_size=24).map(_url_from_bytes),
        st.binary(min_size=8, max_size=24).map(_url_from_bytes),
        st.binary(min_size=8, max_size=24).map(_url_from_bytes),
        st.text(max_size=20).map(lambda text: f"https://lookaside.fbsbx.com{ATTACHMENTS}?{text}"),
        st.text(max_size=60),  # anything at all
    )


_RAW_IN_REQUEST_LINE = re.compile(r"[ \"<>]|[^\x00-\x7f]")


def expected_query(media_url: str) -> bytes:
    """The url's query as the API handed it, byte for byte, except that a character that cannot
    stand raw in an HTTP request line (space, ", <, >, non-ASCII) is percent-encoded as UTF-8.
    Existing %XX sequences (and stray %) are left exactly as they are."""
    without_fragment = media_url.split("#", 1)[0]
    query = without_fragment.split("?", 1)[1] if "?" in without_fragment else ""

    def encode(match: re.Match[str]) -> str:
        return "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8"))

    return _RAW_IN_REQUEST_LINE.sub(encode, query).encode("ascii")


def is_canonical(media_url: str) -> bool:
    """A url in exactly the documented form: the client must accept it."""
    match = re.fullmatch(
        r"(?:https://lookaside\.fbsbx\.com|http://waba\.d360\.test(?::8360)?)"
        r"/whatsapp_business/attachments/(?:\?[A-Za-z0-9=&%_.~+-]*)?",
        media_url,
    )
    return match is not None


redirects = st.one_of(
    st.none(),
    st.none(),
    st.none(),
    st.sampled_from(
        [
            f"https://evil.example.com{ATTACHMENTS}?mid=1",
            f"{BASE}{ATTACHMENTS}?mid=1",
            f"{ATTACHMENTS}?mid=1",
            "//evil.example.com/",
            "https://xn--lookside-8hg.fbsbx.com/",
            "http://[::1",
            "\x1f",
            "",
        ]
    ),
    st.text(max_size=20),
)


@FUZZ
@given(media_url=media_urls(), redirect=redirects)
def test_media_urls_are_fetched_at_the_base_origin_or_refused(
    media_url: str, redirect: str | None
) -> None:
    """`redirect`, when drawn, is the Location the bytes request answers with (302): a redirect
    is never followed, whatever it points to."""
    API.reset(media_url, redirect)
    try:
        data = CLIENT.media.read(MEDIA_ID)
    except APIConnectionError as broken:
        # httpx itself rejects a Location it cannot parse (RemoteProtocolError, even with
        # redirects off), which the client takes for a broken connection and retries.
        assert redirect is not None and "location header" in str(broken)
        assert KEY not in str(broken)
        for request in API.requests[1:]:
            check_fetched(request.url, media_url)
    except UnsafeMediaURLError as refused:
        assert KEY not in str(refused)
        if len(API.requests) == 1:  # refused the url itself
            assert not is_canonical(media_url), f"refused a well-formed media url {media_url!r}"
        else:  # refused the redirect
            assert redirect is not None and len(API.requests) == 2
            check_fetched(API.requests[1].url, media_url)
    else:
        assert redirect is None, "a redirect was followed"
        assert data == BODY
        assert len(API.requests) == 2
        check_fetched(API.requests[1].url, media_url)
    metadata_call = API.requests[0]
    assert metadata_call.method == "GET" and metadata_call.url.path == f"/{MEDIA_ID}"
    assert metadata_call.headers["D360-API-KEY"] == KEY
    assert_key_stays_home(API.requests)


def check_fetched(fetched: httpx.URL, media_url: str) -> None:
    """The bytes request for an accepted url: attachments path, the url's own query."""
    assert fetched.raw_path.split(b"?", 1)[0] == ATTACHMENTS.encode()
    assert fetched.query == expected_query(media_url), "the query was not kept as handed out"
    # What was accepted really was a media url on an allowed host, without credentials.
    parsed = httpx.URL(media_url)
    assert parsed.host in {"lookaside.fbsbx.com", "waba.d360.test"}
    assert parsed.scheme in {"https", "http"}
    assert not parsed.userinfo
    assert not parsed.fragment


def test_the_generated_urls_cover_both_outcomes() -> None:
    """A guard against a strategy that silently stops producing one kind of url."""
    accepted = refused = 0
    for media_url in (
        f"https://lookaside.fbsbx.com{ATTACHMENTS}?mid=1&ext=2&hash=a%2Fb c",
        f"http://waba.d360.test:8360{ATTACHMENTS}?",
        f"https://evil.example.com{ATTACHMENTS}?mid=1",
        "https://lookaside.fbsbx.com/whatsapp_business%2Fattachments/?mid=1",
    ):
        API.reset(media_url)
        try:
            CLIENT.media.read(MEDIA_ID)
            accepted += 1
        except UnsafeMediaURLError:
            refused += 1
    assert (accepted, refused) == (2, 2)


@pytest.mark.parametrize(
    ("media_url", "location"),
    [
        (f"https://xn--lookside-8hg.fbsbx.com{ATTACHMENTS}?mid=1", None),
        (f"https://lookaside.fbsbx.com{ATTACHMENTS}?mid=1", "https://xn--lookside-8hg.fbsbx.com/"),
        (f"https://lookaside.fbsbx.com{ATTACHMENTS}?mid=1", "https://evil.example.com/"),
    ],
)
async def test_async_twin_refuses_the_same_urls(media_url: str, location: str | None) -> None:
    """The async download shares the url checks; the fuzzing above drives the sync one."""
    api = FakeAPI()
    api.reset(media_url, location)
    async with AsyncDialog360(KEY, base_url=BASE, transport=httpx.MockTransport(api)) as client:
        with pytest.raises(UnsafeMediaURLError):
            await client.media.read(MEDIA_ID)
    assert len(api.requests) == (1 if location is None else 2)
    assert_key_stays_home(api.requests)
