"""The API's answers about media, checked before anything is built on them.

The generated models copy whatever JSON arrives (no type checks; Python's json even accepts
NaN), so every answer passes through here first. A field that breaks the rules raises
APIError naming it: the caller never meets a raw KeyError/TypeError, and no byte is fetched
on metadata that could not be verified.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NoReturn

import httpx
from dialog360_api.models import DeleteMediaResponse, MediaUrlResponse, UploadMediaResponse

from . import _constants as C
from ._errors import APIError

_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")
_MEDIA_ID = re.compile(rf"[0-9]{{1,{C.MEDIA_ID_MAX_LENGTH}}}")
_SHOWN_VALUE_CHARS = 40


def media_info_answer(response: httpx.Response, media_id: str) -> MediaUrlResponse:
    """The metadata of `media_id` from the answer to `GET /{media_id}`, checked."""
    answer = _json_object(response, "media metadata")
    check_media_fields(answer, media_id, response=response)
    return MediaUrlResponse.from_dict(answer)


def held_media_info(info: MediaUrlResponse, media_id: str) -> MediaUrlResponse:
    """Metadata the caller hands back from get(): the same rules as a fresh answer."""
    check_media_fields(info.to_dict(), media_id, response=None)
    return info


def check_media_fields(
    fields: Mapping[str, Any], media_id: str, *, response: httpx.Response | None
) -> None:
    """APIError naming the first field of the metadata that cannot be used as it is."""
    size = fields.get("file_size")
    # bool is an int in Python, and a float (NaN included) compares in surprising ways.
    if type(size) is not int or size < 0:
        _refuse("file_size", "a whole number of bytes >= 0", fields, response)
    sha256 = fields.get("sha256")
    if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
        _refuse("sha256", "64 hexadecimal digits", fields, response)
    for name in ("mime_type", "url"):
        if not isinstance(fields.get(name), str):
            _refuse(name, "a string", fields, response)
    if "messaging_product" in fields and not isinstance(fields["messaging_product"], str):
        _refuse("messaging_product", "a string", fields, response)
    if fields.get("id") != media_id:
        _refuse("id", f"the media id asked for ({media_id})", fields, response)


def upload_answer(response: httpx.Response) -> UploadMediaResponse:
    """The new media's id from the answer to an upload: 1 to 64 ASCII digits."""
    answer = _json_object(response, "upload")
    media_id = answer.get("id")
    if not isinstance(media_id, str) or not _MEDIA_ID.fullmatch(media_id):
        _refuse("id", f"1 to {C.MEDIA_ID_MAX_LENGTH} ASCII digits", answer, response)
    return UploadMediaResponse.from_dict(answer)


def delete_answer(response: httpx.Response, media_id: str) -> DeleteMediaResponse:
    """The answer to a delete; APIError unless it confirms it (`"success": true`)."""
    answer = _json_object(response, "delete")
    if answer.get("success") is not True:
        raise APIError(
            f"the API did not confirm deleting media {media_id}",
            status_code=response.status_code,
            response=response,
        )
    return DeleteMediaResponse.from_dict(answer)


def _json_object(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code != 200:
        raise APIError(
            f"unexpected answer to the {what} request: HTTP {response.status_code}",
            status_code=response.status_code,
            response=response,
        )
    try:
        answer = response.json()
    # ValueError: not JSON, not text, or an int of more digits than Python converts;
    # RecursionError: nesting deeper than the parser's stack.
    except (ValueError, RecursionError) as error:
        raise APIError(
            f"the {what} answer is not JSON ({type(error).__name__})",
            status_code=response.status_code,
            response=response,
        ) from None
    if not isinstance(answer, dict):
        raise APIError(
            f"the {what} answer is a JSON {type(answer).__name__}, not an object",
            status_code=response.status_code,
            response=response,
        )
    return answer


def _shown(value: Any) -> str:
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int too long to convert, a structure too deep
        return f"a {type(value).__name__} too large to show"
    return text if len(text) <= _SHOWN_VALUE_CHARS else text[: _SHOWN_VALUE_CHARS - 1] + "…"


def _refuse(
    field: str, expected: str, fields: Mapping[str, Any], response: httpx.Response | None
) -> NoReturn:
    found = f"got {_shown(fields[field])}" if field in fields else "it is missing"
    raise APIError(
        f"the API answered an unusable {field!r}: expected {expected}, {found}",
        status_code=200,
        response=response,
    )
