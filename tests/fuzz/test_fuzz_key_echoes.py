"""Fuzzing the key's redaction: whatever surrounds a key echoed inside base64 (either alphabet)
or percent-encoded, what the redactor leaves gives the key away nowhere.

`leaks.recoverable` is the independent oracle: the key as is, percent-encoded, or any six of
its bytes in a row decoding out of any base64 run. Each case first shows the oracle sees the
unredacted echo, so a passing case is never a blind one.
"""

from __future__ import annotations

import base64
import string
from urllib.parse import quote

from dialog360._secrets import Redactor
from hypothesis import given, settings
from hypothesis import strategies as st
from leaks import recoverable

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None)
# What API keys are made of: printable ASCII, no whitespace; at least 8 characters (shorter
# "keys" are placeholders the redactor leaves alone).
keys = st.text(
    alphabet=string.ascii_letters + string.digits + string.punctuation, min_size=8, max_size=64
)


@FUZZ
@given(key=keys, before=st.binary(max_size=7), after=st.binary(max_size=7), urlsafe=st.booleans())
def test_a_key_inside_base64_is_not_recoverable_once_redacted(
    key: str, before: bytes, after: bytes, urlsafe: bool
) -> None:
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    echo = "echoed headers: " + encode(before + key.encode() + after).decode() + " (end)"
    assert recoverable(key, echo)

    assert not recoverable(key, Redactor(key).text(echo))
    assert not recoverable(key, Redactor(key).bytes(echo.encode()).decode())


@FUZZ
@given(key=keys, before=st.text(max_size=7), after=st.text(max_size=7))
def test_a_key_percent_encoded_is_not_recoverable_once_redacted(
    key: str, before: str, after: str
) -> None:
    echo = "location: /x?k=" + quote(before + key + after, safe="")
    assert recoverable(key, echo)

    assert not recoverable(key, Redactor(key).text(echo))
