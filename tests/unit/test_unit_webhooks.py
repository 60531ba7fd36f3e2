"""dialog360.webhooks: parse, verify_signature and media_items over realistic and hostile bodies."""

from __future__ import annotations

import copy
import datetime as dt
import hmac
import json
import types
import typing
from collections.abc import Iterator
from typing import Any

import attrs
import dialog360_api.models
import httpx
import pytest
import webhook_payloads as wp
from dialog360 import (
    ConfigurationError,
    Dialog360Error,
    WebhookError,
    WebhookSignatureError,
    webhooks,
)
from dialog360 import _constants as C
from dialog360_api.models import InboundMessage, WebhookPayload
from dialog360_api.types import Unset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.datastructures import Headers as StarletteHeaders

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def signed(raw: bytes, name: str = "X-360Dialog-Signature", value: str | None = None) -> dict:
    return {name: wp.sign(raw) if value is None else value}


# -- the errors ------------------------------------------------------------------------------


def test_errors_are_exported_typed_and_value_errors() -> None:
    assert issubclass(WebhookSignatureError, WebhookError)
    assert issubclass(WebhookError, Dialog360Error)
    assert issubclass(WebhookError, ValueError)
    assert webhooks.WebhookError is WebhookError


def test_import_dialog360_does_not_import_the_webhooks_module() -> None:
    import subprocess
    import sys

    code = "import sys, dialog360; print('dialog360.webhooks' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- realistic payloads ----------------------------------------------------------------------


def test_every_message_type_parses_with_unknown_fields_kept() -> None:
    document = wp.every_type()
    payload = webhooks.parse(wp.body(document))
    assert isinstance(payload, WebhookPayload)
    assert payload.to_dict() == document  # nothing lost, nothing invented
    messages = payload.entry[0].changes[0].value.messages
    assert not isinstance(messages, Unset)
    by_type = {m.type_: m for m in messages}
    assert by_type["hologram"]["hologram"] == {"id": "9", "depth": [1, 2, {"x": None}]}
    assert by_type["location"].location.latitude == 52.52  # type: ignore[union-attr]
    statuses = payload.entry[0].changes[1].value.statuses
    assert not isinstance(statuses, Unset)
    assert [s.status for s in statuses] == ["delivered", "failed"]
    assert payload.entry[0].changes[2].value["event"] == "VERIFIED_ACCOUNT"


@pytest.mark.parametrize("kind", ["bytes", "str", "bytearray", "memoryview"])
def test_body_may_be_bytes_or_text(kind: str) -> None:
    raw = wp.body(wp.every_type())
    given_body: Any = {
        "bytes": raw,
        "str": raw.decode(),
        "bytearray": bytearray(raw),
        "memoryview": memoryview(raw),
    }[kind]
    payload = webhooks.parse(given_body, headers=signed(raw), secret=wp.SECRET)
    assert payload.to_dict() == wp.every_type()


@pytest.mark.parametrize("given_body", [{"object": "x", "entry": []}, None, 12, ["a"]])
def test_a_parsed_body_is_refused_with_a_hint(given_body: Any) -> None:
    with pytest.raises(WebhookError, match="raw bytes"):
        webhooks.parse(given_body)


# -- hostile and malformed bodies ------------------------------------------------------------

HOSTILE = {
    "empty": b"",
    "not json": b"<html>502 Bad Gateway</html>",
    "truncated": wp.body(wp.every_type())[:-3],
    "not utf-8": b'{"object": "\xff\xfe", "entry": []}',
    "latin-1": '{"object": "caf\xe9", "entry": []}'.encode("latin-1"),
    "utf-16": '{"object": "x", "entry": []}'.encode("utf-16"),
    "utf-8 bom": b'\xef\xbb\xbf{"object": "x", "entry": []}',
    "NaN": b'{"object": "x", "entry": [], "n": NaN}',
    "Infinity": b'{"object": "x", "entry": [], "n": -Infinity}',
    "1e999": b'{"object": "x", "entry": [], "n": 1e999}',
    "huge int": b'{"object": "x", "entry": [], "n": ' + b"9" * 5000 + b"}",
    "repeated key": b'{"object": "x", "entry": [], "entry": [{"id": "1", "changes": []}]}',
    "array": b"[]",
    "string": b'"whatsapp_business_account"',
    "null": b"null",
    "deep (parser stack)": b'{"object": "x", "entry": [], "n": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}",
    "deep (cap)": b'{"object": "x", "entry": [], "n": '
    + b'{"a":' * C.WEBHOOK_MAX_DEPTH
    + b"1"
    + b"}" * C.WEBHOOK_MAX_DEPTH
    + b"}",
    "huge array (unknown field)": b'{"object": "x", "entry": [], "n": ['
    + b",".join([b"0"] * (C.WEBHOOK_MAX_ARRAY_ITEMS + 1))
    + b"]}",
    "huge array (entry)": json.dumps(
        {"object": "x", "entry": [{"id": "1", "changes": []}] * (C.WEBHOOK_MAX_ARRAY_ITEMS + 1)}
    ).encode(),
}


@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_bodies_end_in_webhook_error(raw: bytes) -> None:
    with pytest.raises(WebhookError) as info:
        webhooks.parse(raw)
    assert not isinstance(info.value, WebhookSignatureError)
    assert len(str(info.value)) < 200  # says what is wrong, does not echo the body


def test_deep_nesting_and_array_caps_are_inclusive() -> None:
    depth = C.WEBHOOK_MAX_DEPTH - 1  # the envelope object is level 1
    deep = b'{"object": "x", "entry": [], "n": ' + b"[" * depth + b"]" * depth + b"}"
    assert webhooks.parse(deep)["n"] is not None
    wide = {"object": "x", "entry": [], "n": [0] * C.WEBHOOK_MAX_ARRAY_ITEMS}
    assert len(webhooks.parse(wp.body(wide))["n"]) == C.WEBHOOK_MAX_ARRAY_ITEMS


def test_body_size_cap_is_checked_before_the_signature_and_the_json() -> None:
    document = {"object": "x", "entry": []}
    raw = wp.body(document)
    at_cap = raw + b" " * (C.WEBHOOK_MAX_BODY_BYTES - len(raw))
    assert webhooks.parse(at_cap, headers=signed(at_cap), secret=wp.SECRET).entry == []
    over = at_cap + b" "
    with pytest.raises(WebhookError, match="limit") as info:
        webhooks.parse(over, headers={}, secret=wp.SECRET)  # unsigned, yet refused for size
    assert not isinstance(info.value, WebhookSignatureError)
    with pytest.raises(WebhookError, match="limit"):
        webhooks.verify_signature(over, signed(over), wp.SECRET)


def test_a_str_that_is_not_text_is_refused() -> None:
    with pytest.raises(WebhookError, match="not valid text"):
        webhooks.parse('{"object": "\ud800", "entry": []}')


def test_a_list_of_pairs_where_an_object_belongs_is_refused() -> None:
    # dict(["ab"]) == {"a": "b"}: the generated from_dict would build a profile out of it.
    document = wp.envelope(wp.change([wp.MEDIA_MESSAGES["image"]]))
    document["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"] = ["ab"]
    with pytest.raises(WebhookError, match=r"contacts\[0\]\.profile: expected an object"):
        webhooks.parse(wp.body(document))


# -- the shape is read from the generated models -----------------------------------------------


# Every model by name: the package imports each on first use, and the hints refer to them all.
MODELS = {name: getattr(dialog360_api.models, name) for name in dialog360_api.models.__all__}


def _model_fields(model: type) -> Iterator[tuple[str, bool, Any]]:
    hints = typing.get_type_hints(model, localns=MODELS)
    for field in attrs.fields(model):
        if field.name != "additional_properties":
            hint = hints[field.name]
            members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
            (kind,) = [m for m in members if m is not Unset]
            yield field.name, Unset not in members, kind


def _maximal(kind: Any) -> Any:
    """A value of `kind` with every optional field of every model filled in."""
    if kind is str:
        return "1234"
    if kind is bool:
        return True
    if kind is int:
        return 7
    if kind is float:
        return 1.5
    if typing.get_origin(kind) is list:
        return [_maximal(typing.get_args(kind)[0])]
    return {name.removesuffix("_"): _maximal(sub) for name, _, sub in _model_fields(kind)}


def _all_set(instance: Any) -> None:
    assert instance.additional_properties == {}, type(instance)
    for name, _, _ in _model_fields(type(instance)):
        value = getattr(instance, name)
        assert not isinstance(value, Unset), (type(instance).__name__, name)
        for item in value if isinstance(value, list) else [value]:
            if attrs.has(type(item)):
                _all_set(item)


MAXIMAL = _maximal(WebhookPayload)


def test_every_generated_field_is_read_from_its_json_key() -> None:
    # Were a JSON key guessed wrong, the field would stay unset and the value land in the
    # additional properties.
    _all_set(webhooks.parse(wp.body(MAXIMAL)))


def _leaves(document: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, document
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _leaves(value, (*path, index))


def _shown(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# For the JSON type a field holds: values of every other kind a careless sender might write.
WRONG: dict[type, list[Any]] = {
    str: [5, None, ["1234"], True],
    bool: ["true", 1, None],
    int: [7.0, True, "7", None],
    float: ["1.5", True, None],
    list: [{"0": 1}, "ab", None],
    dict: [["ab"], "x", 0, None],
}
WRONG_CASES = [
    (path, wrong) for path, value in _leaves(MAXIMAL) if path for wrong in WRONG[type(value)]
]


@pytest.mark.parametrize(
    ("path", "wrong"), WRONG_CASES, ids=[f"{_shown(p)}={w!r}" for p, w in WRONG_CASES]
)
def test_a_wrong_type_anywhere_is_named(path: tuple[Any, ...], wrong: Any) -> None:
    document = copy.deepcopy(MAXIMAL)
    *parent_path, last = path
    parent = document
    for part in parent_path:
        parent = parent[part]
    parent[last] = wrong
    with pytest.raises(WebhookError) as info:
        webhooks.parse(wp.body(document))
    assert f"{_shown(path)}: expected" in str(info.value)


def _required_paths(model: type, path: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    for name, required, kind in _model_fields(model):
        key = name.removesuffix("_")
        if required:
            yield (*path, key)
        if typing.get_origin(kind) is list:
            kind, sub = typing.get_args(kind)[0], (*path, key, 0)
        else:
            sub = (*path, key)
        if attrs.has(kind):
            yield from _required_paths(kind, sub)


@pytest.mark.parametrize("path", list(_required_paths(WebhookPayload, ())), ids=_shown)
def test_a_missing_required_key_anywhere_is_named(path: tuple[Any, ...]) -> None:
    document = copy.deepcopy(MAXIMAL)
    *parent_path, last = path
    parent = document
    for part in parent_path:
        parent = parent[part]
    del parent[last]
    with pytest.raises(WebhookError, match=f"{last!r} is missing"):
        webhooks.parse(wp.body(document))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


def _mutated(data: st.DataObject) -> Any:
    """The maximal payload with one subtree replaced by arbitrary JSON."""
    document = copy.deepcopy(MAXIMAL)
    paths = [p for p, _ in _leaves(document) if p]
    path = data.draw(st.sampled_from(paths))
    *parent_path, last = path
    parent = document
    for part in parent_path:
        parent = parent[part]
    parent[last] = data.draw(json_values)
    return document


@FUZZ
@given(data=st.data())
def test_any_json_body_ends_in_a_payload_or_a_webhook_error(data: st.DataObject) -> None:
    document = data.draw(json_values) if data.draw(st.booleans()) else _mutated(data)
    try:
        payload = webhooks.parse(json.dumps(document).encode())
    except WebhookError:
        return
    assert payload.to_dict() == document
    try:
        items = webhooks.media_items(payload)
    except WebhookError:
        return
    assert all(item.media_id.isdigit() for item in items)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_bytes_end_in_a_payload_or_a_webhook_error(raw: bytes) -> None:
    try:
        payload = webhooks.parse(raw)
    except WebhookError:
        return
    assert isinstance(payload, WebhookPayload)


def test_escaped_lone_surrogates_are_text_like_any_other() -> None:
    # JSON may spell a lone surrogate ("\\ud800"); it is kept, and whoever prints or stores it
    # escapes or drops it (the CLI and safe file names do).
    document = wp.envelope(wp.change([wp.MEDIA_MESSAGES["document"]]))
    document["entry"][0]["changes"][0]["value"]["messages"][0]["document"]["filename"] = "a\ud800"
    raw = json.dumps(document).encode()
    assert b"\\ud800" in raw
    (item,) = webhooks.media_items(webhooks.parse(raw))
    assert item.filename == "a\ud800"


# -- signatures ------------------------------------------------------------------------------

RAW = wp.body(wp.every_type())
GOOD = wp.sign(RAW)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-360Dialog-Signature": GOOD},
        {"x-360dialog-signature": GOOD.upper()},
        {"X-360DIALOG-SIGNATURE": f"sha256={GOOD}"},
        {"X-360Dialog-Signature": f"  SHA256={GOOD} "},
        {"X-Hub-Signature-256": f"sha256={GOOD}"},
        {"x-hub-signature-256": GOOD},
        [("X-360Dialog-Signature", GOOD)],
        [(b"x-360dialog-signature", GOOD.encode())],  # an ASGI scope's raw headers
        httpx.Headers({"X-360Dialog-Signature": GOOD}),
        StarletteHeaders(raw=[(b"x-hub-signature-256", f"sha256={GOOD}".encode())]),
        # 360dialog's header decides; a Meta signature beside it is not checked.
        {"X-360Dialog-Signature": GOOD, "X-Hub-Signature-256": "sha256=" + "0" * 64},
        [("X-360Dialog-Signature", GOOD), ("X-360Dialog-Signature", GOOD)],
    ],
    ids=[
        "hex",
        "uppercase hex, lowercase name",
        "sha256= prefix",
        "SHA256= prefix, padded",
        "meta",
        "meta without prefix",
        "pairs",
        "asgi bytes",
        "httpx headers",
        "starlette headers",
        "both, meta wrong",
        "repeated, same value",
    ],
)
def test_valid_signatures_are_accepted(headers: Any) -> None:
    webhooks.verify_signature(RAW, headers, wp.SECRET)
    webhooks.verify_signature(RAW, headers, wp.SECRET.encode())
    assert webhooks.parse(RAW, headers=headers, secret=wp.SECRET).to_dict() == wp.every_type()


RESERIALISED = json.dumps(json.loads(RAW), separators=(",", ":")).encode()


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (None, "not signed"),
        ({}, "not signed"),
        ({"Content-Type": "application/json"}, "not signed"),
        ({"X-360Dialog-Signature": "0" * 64}, "does not match"),
        ({"X-360Dialog-Signature": wp.sign(RAW, "another-secret")}, "does not match"),
        ({"X-360Dialog-Signature": wp.sign(RESERIALISED)}, "does not match"),
        ({"X-360Dialog-Signature": GOOD[:-1]}, "not an HMAC-SHA256"),
        ({"X-360Dialog-Signature": GOOD + "0"}, "not an HMAC-SHA256"),
        ({"X-360Dialog-Signature": ""}, "not an HMAC-SHA256"),
        ({"X-360Dialog-Signature": "sha1=" + GOOD[:40]}, "not an HMAC-SHA256"),
        ({"X-360Dialog-Signature": f"sha256={GOOD},sha256={GOOD}"}, "not an HMAC-SHA256"),
        ({"X-360Dialog-Signature": "g" * 64}, "not an HMAC-SHA256"),
        ({"X-360Dialog-Signature": "\u0661" * 64}, "not an HMAC-SHA256"),  # Arabic-Indic digits
        ({"X-Hub-Signature-256": "sha256=" + wp.sign(RAW, "x")}, "does not match"),
        ({"X-360Dialog-Signature": "0" * 64, "X-Hub-Signature-256": f"sha256={GOOD}"}, "does not"),
        (
            [("X-360Dialog-Signature", GOOD), ("X-360Dialog-Signature", "0" * 64)],
            "different values",
        ),
        (
            httpx.Headers([("X-360Dialog-Signature", GOOD), ("x-360dialog-signature", "1" * 64)]),
            "different",
        ),
    ],
    ids=[
        "no headers",
        "empty headers",
        "unsigned",
        "wrong",
        "other secret",
        "re-serialised body",
        "short",
        "long",
        "empty",
        "sha1",
        "two in one",
        "not hex",
        "unicode digits",
        "meta, other secret",
        "both, 360dialog wrong",
        "repeated, disagreeing",
        "httpx repeated, disagreeing",
    ],
)
def test_bad_signatures_are_refused(headers: Any, message: str) -> None:
    with pytest.raises(WebhookSignatureError, match=message) as info:
        webhooks.verify_signature(RAW, headers, wp.SECRET)
    assert wp.SECRET not in str(info.value)
    assert GOOD not in str(info.value).lower()  # never tells what would have matched
    with pytest.raises(WebhookSignatureError, match=message):
        webhooks.parse(RAW, headers=headers, secret=wp.SECRET)


def test_the_signature_is_checked_before_the_body_is_read() -> None:
    with pytest.raises(WebhookSignatureError):
        webhooks.parse(b"not json at all", headers={"X-360Dialog-Signature": GOOD}, secret="s3")
    garbage = b"\xff not json"
    with pytest.raises(WebhookError, match="not UTF-8"):
        webhooks.parse(garbage, headers=signed(garbage), secret=wp.SECRET)


def test_without_a_secret_the_headers_are_not_checked() -> None:
    payload = webhooks.parse(RAW, headers={"X-360Dialog-Signature": "0" * 64})
    assert payload.object_ == "whatsapp_business_account"


def test_digests_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def recording(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    webhooks.verify_signature(RAW, {"X-360Dialog-Signature": GOOD}, wp.SECRET)
    with pytest.raises(WebhookSignatureError):
        webhooks.verify_signature(RAW, {"X-360Dialog-Signature": "0" * 64}, wp.SECRET)
    assert compared == [(bytes.fromhex(GOOD),) * 2, (bytes.fromhex(GOOD), bytes(32))]


@pytest.mark.parametrize("secret", ["", b"", None, 5])
def test_an_unusable_secret_is_a_configuration_error(secret: Any) -> None:
    with pytest.raises(ConfigurationError, match="secret"):
        webhooks.verify_signature(RAW, {"X-360Dialog-Signature": GOOD}, secret)


@pytest.mark.parametrize("headers", ["X-360Dialog-Signature: x", b"x", [("only-a-name",)], [5]])
def test_headers_of_the_wrong_kind_are_refused(headers: Any) -> None:
    with pytest.raises(WebhookError, match="headers"):
        webhooks.verify_signature(RAW, headers, wp.SECRET)


# -- media_items ------------------------------------------------------------------------------


def test_media_items_of_every_media_type() -> None:
    items = webhooks.media_items(webhooks.parse(wp.body(wp.every_type())))
    assert [i.type for i in items] == ["image", "video", "audio", "document", "sticker"]
    assert [i.media_id for i in items] == ["1001", "1002", "1003", "1004", "1005"]
    assert [i.message_id for i in items] == [f"wamid.{t}" for t in webhooks.MEDIA_TYPES]
    when = dt.datetime(2025, 6, 8, 20, 59, 43, tzinfo=dt.UTC)
    for item in items:
        assert item.sender == wp.SENDER
        assert item.phone_number_id == wp.PHONE_NUMBER_ID
        assert item.timestamp == when
        assert item.sha256 == wp.SHA_HEX  # the sticker's was base64
        assert item.media.id == item.media_id
    image, video, audio, document, sticker = items
    assert (image.caption, image.mime_type, image.filename) == ("Invoice", "image/jpeg", None)
    assert (video.caption, video.mime_type) == ("clip", "video/mp4")
    assert audio.mime_type == "audio/ogg; codecs=opus"
    assert audio.media.voice is True
    assert (document.filename, document.caption) == ("../../etc/passwd", "contract")
    assert sticker.media.animated is False
    assert sticker.caption is None


def test_media_items_of_every_entry_and_change_in_order() -> None:
    first = wp.message("image", wp.media_object("11"), id="wamid.1")
    second = wp.message("document", wp.media_object("12", mime_type="text/plain"), id="wamid.2")
    third = wp.message("video", wp.media_object("13", mime_type="video/3gpp"), id="wamid.3")
    document = wp.envelope(
        wp.change([first, wp.OTHER_MESSAGES["text"]]),
        wp.change(statuses=wp.STATUSES),
        wp.change([second], phone_number_id="222"),
        entries=2,
    )
    document["entry"][1]["changes"] = [wp.change([third], phone_number_id="333")]
    items = webhooks.media_items(webhooks.parse(wp.body(document)))
    assert [(i.message_id, i.phone_number_id) for i in items] == [
        ("wamid.1", wp.PHONE_NUMBER_ID),
        ("wamid.2", "222"),
        ("wamid.3", "333"),
    ]


def test_statuses_text_and_unknown_types_yield_no_media() -> None:
    document = wp.envelope(wp.change(list(wp.OTHER_MESSAGES.values()), statuses=wp.STATUSES))
    assert webhooks.media_items(webhooks.parse(wp.body(document))) == []
    assert webhooks.media_items(webhooks.parse(b'{"object": "x", "entry": []}')) == []


def test_a_change_without_metadata_has_no_phone_number_id() -> None:
    document = wp.envelope(
        {"field": "messages", "value": {"messages": [wp.MEDIA_MESSAGES["image"]]}}
    )
    (item,) = webhooks.media_items(webhooks.parse(wp.body(document)))
    assert item.phone_number_id is None


def test_inbound_media_is_frozen_hashable_and_comparable() -> None:
    (a,) = webhooks.media_items(
        webhooks.parse(wp.body(wp.envelope(wp.change([wp.MEDIA_MESSAGES["image"]]))))
    )
    (b,) = webhooks.media_items(
        webhooks.parse(wp.body(wp.envelope(wp.change([wp.MEDIA_MESSAGES["image"]]))))
    )
    assert a == b and len({a, b}) == 1
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.media_id = "1"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"type": "image", "image": None}, r"messages\[0\]\.image: expected an object"),
        ({"type": "document", "image": wp.media_object()}, "without its 'document'"),
        ({"image": wp.media_object("../1")}, r"image\.id: expected a media id"),
        ({"image": wp.media_object("")}, r"image\.id: expected a media id"),
        ({"timestamp": "yesterday"}, r"timestamp: expected unix seconds"),
        ({"timestamp": "1" * 30}, r"timestamp: expected unix seconds"),
        ({"image": wp.media_object(sha256="abc")}, r"image\.sha256: expected 64 hex"),
        ({"image": wp.media_object(sha256=wp.SHA_BASE64[:-4] + "====")}, r"sha256"),
    ],
)
def test_an_unusable_media_message_is_a_webhook_error(broken: dict, message: str) -> None:
    msg = {**wp.MEDIA_MESSAGES["image"], **broken}
    document = wp.envelope(wp.change([msg]))
    with pytest.raises(WebhookError, match=message):
        webhooks.media_items(webhooks.parse(wp.body(document)))


@pytest.mark.parametrize("given_payload", [RAW, wp.every_type(), None])
def test_media_items_wants_the_parsed_payload(given_payload: Any) -> None:
    with pytest.raises(WebhookError, match=r"webhooks\.parse"):
        webhooks.media_items(given_payload)


def test_message_model_is_the_generated_one() -> None:
    payload = webhooks.parse(wp.body(wp.envelope(wp.change([wp.MEDIA_MESSAGES["image"]]))))
    (message,) = payload.entry[0].changes[0].value.messages  # type: ignore[misc]
    assert type(message) is InboundMessage
