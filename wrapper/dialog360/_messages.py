"""`client.messages`: send a text, or media by id, by link or from a file uploaded first.

Everything a message is checked against, and the request it becomes, is decided here by pure
functions both twins share; `Messages` and `AsyncMessages` only send and await.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import PurePath
from typing import Any, Final, Literal

import attrs
import httpx
from dialog360_api import AuthenticatedClient
from dialog360_api.api.messages import send_message
from dialog360_api.models import (
    CaptionedMediaObject,
    DocumentObject,
    MediaObject,
    MessageContext,
    SendMessageRequest,
    SendMessageResponse,
    TextObject,
)
from dialog360_api.types import UNSET, Unset

from . import _constants as C
from ._errors import InvalidMessageError
from ._media import AsyncMedia, Media
from ._media_types import MEDIA_TYPES, guess_mime_type, normalize_mime_type
from ._media_url import validate_media_id
from ._metadata import _json_object, _refuse
from ._upload import ProgressCallback, UploadSource, open_upload

MediaKind = Literal["image", "video", "audio", "document", "sticker"]
MEDIA_KINDS: Final[tuple[MediaKind, ...]] = ("image", "video", "audio", "document", "sticker")
_CAPTIONED: Final = frozenset({"image", "video", "document"})

# What a caller's number may hold besides digits: a leading "+", and the spaces, dashes, dots
# and parentheses people write numbers with.
_PHONE = re.compile(r"\+?[0-9 .()\-]+")
_PHONE_PUNCTUATION = re.compile(r"[ .()\-]")
# A message id: "wamid." and base64-ish ASCII, no spaces or controls.
_MESSAGE_ID = re.compile(
    rf"{re.escape(C.MESSAGE_ID_PREFIX)}[\x21-\x7e]{{1,{C.MESSAGE_ID_MAX_CHARS}}}"
)

# The attribute an error raised by send_media(file=...) after the upload carries: the new
# media id, so the caller can send again with media_id= instead of uploading the file twice.
UPLOADED_MEDIA_ID = "uploaded_media_id"


# -- checks --------------------------------------------------------------------------------


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def recipient(to: object) -> str:
    """The recipient's number as WhatsApp takes it: 7 to 15 ASCII digits."""
    if not isinstance(to, str):
        raise InvalidMessageError(
            f"the recipient must be a phone number in a str, not {type(to).__name__}"
        )
    number = to.strip()
    if not _PHONE.fullmatch(number):
        raise InvalidMessageError(
            f"invalid recipient {_shown(to)}: expected a phone number, country code first "
            "(digits, with an optional leading '+', spaces, dashes, dots or parentheses)"
        )
    digits = _PHONE_PUNCTUATION.sub("", number.removeprefix("+"))
    if not C.PHONE_MIN_DIGITS <= len(digits) <= C.PHONE_MAX_DIGITS:
        raise InvalidMessageError(
            f"invalid recipient {_shown(to)}: a phone number has {C.PHONE_MIN_DIGITS} to "
            f"{C.PHONE_MAX_DIGITS} digits, country code first; got {len(digits)}"
        )
    return digits


def _text(value: object, what: str, max_chars: int) -> str:
    if not isinstance(value, str):
        raise InvalidMessageError(f"the {what} must be a str, not {type(value).__name__}")
    if not value:
        raise InvalidMessageError(f"the {what} is empty")
    if len(value) > max_chars:
        raise InvalidMessageError(
            f"the {what} is {len(value)} characters long; WhatsApp takes at most {max_chars}"
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no JSON encoder can send it
        raise InvalidMessageError(f"the {what} is not valid Unicode text") from None
    return value


def text_body(body: object) -> str:
    """The text of a text message: 1 to 4096 characters."""
    return _text(body, "message text", C.TEXT_BODY_MAX_CHARS)


def reply_id(reply_to: object) -> str | None:
    """The id of the message replied to (`wamid.…`), or None."""
    if reply_to is None:
        return None
    if not isinstance(reply_to, str) or not _MESSAGE_ID.fullmatch(reply_to):
        raise InvalidMessageError(
            f"invalid reply_to {_shown(reply_to)}: expected the id of a WhatsApp message "
            f"({C.MESSAGE_ID_PREFIX}… without spaces)"
        )
    return reply_to


def https_link(link: object) -> str:
    """A link WhatsApp may fetch media from: an https URL with a host."""
    if not isinstance(link, str):
        raise InvalidMessageError(f"the link must be a str, not {type(link).__name__}")
    refused = InvalidMessageError(f"invalid link {_shown(link)}: expected an https:// URL")
    if link[:8].lower() != "https://" or any(char.isspace() for char in link):
        raise refused
    try:
        host = httpx.URL(link).host  # idna raises UnicodeError for a malformed xn-- host
    except (httpx.InvalidURL, UnicodeError):
        raise refused from None
    if not host or not link.isprintable():
        raise refused
    return "https://" + link[8:]  # the spec spells the scheme in lower case


def caption_text(caption: object) -> str | None:
    """A caption: 1 to 1024 characters, or None."""
    if caption is None:
        return None
    return _text(caption, "caption", C.CAPTION_MAX_CHARS)


def document_filename(filename: object) -> str | None:
    """The file name a document is shown with: a plain name, no folders or controls."""
    if filename is None:
        return None
    name = _text(filename, "filename", C.DOCUMENT_FILENAME_MAX_CHARS)
    if name in (".", "..") or "/" in name or "\\" in name or not name.isprintable():
        raise InvalidMessageError(
            f"invalid filename {_shown(filename)}: expected a plain file name "
            "(no folders, no control characters)"
        )
    return name


def media_kind(type_: object) -> MediaKind | None:
    """`type=` as given: one of the five media message types, or None to derive it."""
    if type_ is None:
        return None
    for kind in MEDIA_KINDS:
        if type_ == kind:
            return kind
    raise InvalidMessageError(
        f"invalid type {_shown(type_)}: expected one of {', '.join(MEDIA_KINDS)}"
    )


def kind_of_mime(mime_type: str) -> MediaKind | None:
    """The message type WhatsApp sends a mime type as (image/webp is a sticker), or None."""
    media = MEDIA_TYPES.get(normalize_mime_type(mime_type))
    return None if media is None else media_kind(media.kind)


def resolved_kind(given: MediaKind | None, mime_type: str | None, what: str) -> MediaKind:
    """The message type: `given` unless it contradicts `mime_type` (any file may go as a
    document), else the type of `mime_type`; InvalidMessageError when neither tells."""
    derived = kind_of_mime(mime_type) if mime_type else None
    if given is None:
        if derived is None:
            known = f" (mime type {mime_type})" if mime_type else ""
            raise InvalidMessageError(
                f"cannot tell which type of message {what}{known} is: give its type "
                f"({', '.join(MEDIA_KINDS)})"
            )
        return derived
    if derived is not None and given not in (derived, "document"):
        raise InvalidMessageError(
            f"type {given!r} contradicts {what}: its mime type {mime_type} is sent as {derived}"
        )
    return given


def _link_mime_type(link: str) -> str | None:
    last = PurePath(httpx.URL(link).path).name
    return guess_mime_type(last) if last else None


# -- messages and their requests ------------------------------------------------------------


def text_request(
    to: object, body: object, *, preview_url: object, reply_to: object
) -> dict[str, Any]:
    """The generated request arguments of a text message, every field checked."""
    if not isinstance(preview_url, bool):
        raise InvalidMessageError(
            f"preview_url must be True or False, not {type(preview_url).__name__}"
        )
    request = SendMessageRequest(
        messaging_product="whatsapp",
        recipient_type="individual",
        to=recipient(to),
        type_="text",
        text=TextObject(body=text_body(body), preview_url=preview_url),
        context=_context(reply_id(reply_to)),
    )
    return send_message._get_kwargs(body=request)


def _context(reply_to: str | None) -> MessageContext | Unset:
    return UNSET if reply_to is None else MessageContext(message_id=reply_to)


@attrs.frozen
class MediaMessage:
    """A media message, checked as far as it can be before its file (if any) is opened.

    `kind` is None only while it depends on a file still to be looked at (`for_file`).
    """

    to: str
    kind: MediaKind | None
    media_id: str | None
    link: str | None
    caption: str | None
    filename: str | None
    reply_to: str | None

    def __attrs_post_init__(self) -> None:
        if self.kind is None:
            return
        if self.caption is not None and self.kind not in _CAPTIONED:
            raise InvalidMessageError(
                f"a caption is only for image, video and document messages, not {self.kind}"
            )
        if self.filename is not None and self.kind != "document":
            raise InvalidMessageError(f"a filename is only for document messages, not {self.kind}")

    def for_file(self, mime_type: str, name: str, *, named: bool) -> MediaMessage:
        """The message for a file of `mime_type` called `name`: its type checked against the
        file's; a document from a `named` file (a path, an open file) is shown with its name."""
        kind = resolved_kind(self.kind, mime_type, f"the file {name!r}")
        filename = self.filename
        if filename is None and kind == "document" and named:
            with contextlib.suppress(InvalidMessageError):  # a name only a disk would take
                filename = document_filename(name)
        return attrs.evolve(self, kind=kind, filename=filename)

    def request(self, media_id: str | None = None) -> dict[str, Any]:
        """The generated request arguments, with `media_id` (of the uploaded file) if given."""
        assert self.kind is not None, "for_file() first"
        media_id = media_id or self.media_id
        ref: Mapping[str, Any] = {"id": media_id or UNSET, "link": self.link or UNSET}
        caption = UNSET if self.caption is None else self.caption
        body = SendMessageRequest(
            messaging_product="whatsapp",
            recipient_type="individual",
            to=self.to,
            type_=self.kind,
            context=_context(self.reply_to),
        )
        if self.kind == "document":
            filename = UNSET if self.filename is None else self.filename
            body.document = DocumentObject(caption=caption, filename=filename, **ref)
        elif self.kind == "image":
            body.image = CaptionedMediaObject(caption=caption, **ref)
        elif self.kind == "video":
            body.video = CaptionedMediaObject(caption=caption, **ref)
        elif self.kind == "audio":
            body.audio = MediaObject(**ref)
        else:
            body.sticker = MediaObject(**ref)
        return send_message._get_kwargs(body=body)


def media_message(
    to: object,
    *,
    media_id: object,
    link: object,
    file: object,
    type_: object,
    caption: object,
    filename: object,
    reply_to: object,
    mime_type: object,
) -> MediaMessage:
    """Every argument of send_media checked; the type derived unless a file must tell it."""
    number = recipient(to)
    given = [
        name
        for name, value in (("media_id", media_id), ("link", link), ("file", file))
        if value is not None
    ]
    if len(given) != 1:
        raise InvalidMessageError(
            "give exactly one of media_id, link or file"
            + (f" (got {' and '.join(given)})" if given else "")
        )
    if mime_type is not None and not isinstance(mime_type, str):
        raise InvalidMessageError(f"mime_type must be a str, not {type(mime_type).__name__}")
    kind = media_kind(type_)
    checked_id = validate_media_id(media_id) if media_id is not None else None
    checked_link = https_link(link) if link is not None else None
    if checked_id is not None:
        kind = resolved_kind(kind, mime_type, f"media {checked_id}")
    elif checked_link is not None:
        kind = resolved_kind(kind, mime_type or _link_mime_type(checked_link), "the link")
    return MediaMessage(
        to=number,
        kind=kind,
        media_id=checked_id,
        link=checked_link,
        caption=caption_text(caption),
        filename=document_filename(filename),
        reply_to=reply_id(reply_to),
    )


@attrs.frozen
class FileUpload:
    """What send_media uploads: the file's checked mime type and name, and the message."""

    mime_type: str
    filename: str
    message: MediaMessage


def file_upload(
    message: MediaMessage, file: UploadSource, *, mime_type: str | None, filename: str | None
) -> FileUpload:
    """The file looked at, not read (the same checks as an upload: type table, size, a regular
    file), and the message typed by it, before any byte is sent.

    A file with a name of its own (a path, an open file) is uploaded under it, and its type
    guessed from it: `filename` only renames the document the recipient sees. Bytes are
    uploaded under `filename`, when given.
    """
    named = isinstance(file, str | os.PathLike) or isinstance(getattr(file, "name", None), str)
    upload_name = None if named else filename
    with open_upload(file, mime_type=mime_type, filename=upload_name, on_progress=None) as part:
        typed = message.for_file(part.mime_type, part.filename, named=named)
        return FileUpload(mime_type=part.mime_type, filename=part.filename, message=typed)


def sent_answer(response: httpx.Response) -> SendMessageResponse:
    """The answer to a send, checked: a message id, and the recipient it was resolved to."""
    answer = _json_object(response, "send message")
    if not isinstance(answer.get("messaging_product"), str):
        _refuse("messaging_product", "a string", answer, response)
    messages = answer.get("messages")
    if not isinstance(messages, list) or not messages:
        _refuse("messages", "a list of one message or more", answer, response)
    for index, item in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(item, dict):
            _refuse(where, "an object", {where: item}, response)
        if not isinstance(item.get("id"), str) or not item["id"]:
            _refuse(f"{where}.id", "a message id (a string)", _nested(where, item, "id"), response)
        if "message_status" in item and not isinstance(item["message_status"], str):
            field = "message_status"
            _refuse(f"{where}.{field}", "a string", _nested(where, item, field), response)
    contacts = answer.get("contacts")
    if not isinstance(contacts, list):
        _refuse("contacts", "a list", answer, response)
    for index, item in enumerate(contacts):
        where = f"contacts[{index}]"
        if not isinstance(item, dict):
            _refuse(where, "an object", {where: item}, response)
        for field in ("input", "wa_id"):
            if not isinstance(item.get(field), str):
                _refuse(f"{where}.{field}", "a string", _nested(where, item, field), response)
    return SendMessageResponse.from_dict(answer)


def _nested(where: str, item: Mapping[str, Any], field: str) -> dict[str, Any]:
    # _refuse shows the value it was given under the field's full name, or says it is missing.
    return {f"{where}.{field}": item[field]} if field in item else {}


@contextlib.contextmanager
def _telling_uploaded(media_id: str) -> Iterator[None]:
    """An error after the upload carries the new media id (and says it in its notes)."""
    try:
        yield
    except BaseException as error:
        setattr(error, UPLOADED_MEDIA_ID, media_id)
        error.add_note(
            f"the file was uploaded as media {media_id}: send it with media_id={media_id!r} "
            "rather than uploading it again"
        )
        raise


# -- the I/O shells --------------------------------------------------------------------------


class Messages:
    """Sending messages from a `Dialog360` client."""

    def __init__(self, api: AuthenticatedClient, media: Media):
        self._api = api
        self._media = media

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._media._settings.base_url)!r})"

    def send_text(
        self, to: str, body: str, *, preview_url: bool = False, reply_to: str | None = None
    ) -> SendMessageResponse:
        """Send a text (1 to 4096 characters) to `to` (a phone number, country code first).

        `preview_url` shows a preview of the first link in the text; `reply_to` (a message id,
        `wamid.…`) makes it a reply. Returns the API's answer (`.messages[0].id`).
        """
        return self._send(text_request(to, body, preview_url=preview_url, reply_to=reply_to))

    def send_media(
        self,
        to: str,
        *,
        media_id: str | None = None,
        link: str | None = None,
        file: UploadSource | None = None,
        type: MediaKind | None = None,
        caption: str | None = None,
        filename: str | None = None,
        reply_to: str | None = None,
        mime_type: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> SendMessageResponse:
        """Send an image, video, audio, document or sticker: by `media_id`, by https `link`,
        or a `file` (path, bytes or binary file) uploaded first (`on_progress` follows it).

        `type` is derived from the mime type (`mime_type=`, or guessed from the file's or the
        link's name) when not given. `caption` is for images, videos and documents; `filename`
        (the name a document is shown with) for documents, by default a file's own name.
        Everything is checked before anything is sent. If sending fails after the upload, the
        error has an `uploaded_media_id` attribute: send again with `media_id=` that.
        Never sent twice: retried only when it surely did not reach the server.
        """
        message = media_message(
            to,
            media_id=media_id,
            link=link,
            file=file,
            type_=type,
            caption=caption,
            filename=filename,
            reply_to=reply_to,
            mime_type=mime_type,
        )
        if file is None:
            return self._send(message.request())
        upload = file_upload(message, file, mime_type=mime_type, filename=filename)
        uploaded = self._media.upload(
            file, mime_type=upload.mime_type, filename=upload.filename, on_progress=on_progress
        )
        with _telling_uploaded(uploaded.id):
            return self._send(upload.message.request(uploaded.id))

    def _send(self, request: dict[str, Any]) -> SendMessageResponse:
        return sent_answer(self._api.get_httpx_client().request(**request))


class AsyncMessages:
    """Async twin of `Messages`: the same names, awaited."""

    def __init__(self, api: AuthenticatedClient, media: AsyncMedia):
        self._api = api
        self._media = media

    __repr__ = Messages.__repr__

    async def send_text(
        self, to: str, body: str, *, preview_url: bool = False, reply_to: str | None = None
    ) -> SendMessageResponse:
        """Send a text (1 to 4096 characters) to `to` (a phone number, country code first).

        `preview_url` shows a preview of the first link in the text; `reply_to` (a message id,
        `wamid.…`) makes it a reply. Returns the API's answer (`.messages[0].id`).
        """
        request = text_request(to, body, preview_url=preview_url, reply_to=reply_to)
        return await self._send(request)

    async def send_media(
        self,
        to: str,
        *,
        media_id: str | None = None,
        link: str | None = None,
        file: UploadSource | None = None,
        type: MediaKind | None = None,
        caption: str | None = None,
        filename: str | None = None,
        reply_to: str | None = None,
        mime_type: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> SendMessageResponse:
        """Send an image, video, audio, document or sticker: by `media_id`, by https `link`,
        or a `file` (path, bytes or binary file) uploaded first (`on_progress` follows it).

        `type` is derived from the mime type (`mime_type=`, or guessed from the file's or the
        link's name) when not given. `caption` is for images, videos and documents; `filename`
        (the name a document is shown with) for documents, by default a file's own name.
        Everything is checked before anything is sent. If sending fails after the upload, the
        error has an `uploaded_media_id` attribute: send again with `media_id=` that.
        Never sent twice: retried only when it surely did not reach the server.
        """
        message = media_message(
            to,
            media_id=media_id,
            link=link,
            file=file,
            type_=type,
            caption=caption,
            filename=filename,
            reply_to=reply_to,
            mime_type=mime_type,
        )
        if file is None:
            return await self._send(message.request())
        upload = file_upload(message, file, mime_type=mime_type, filename=filename)
        uploaded = await self._media.upload(
            file, mime_type=upload.mime_type, filename=upload.filename, on_progress=on_progress
        )
        with _telling_uploaded(uploaded.id):
            return await self._send(upload.message.request(uploaded.id))

    async def _send(self, request: dict[str, Any]) -> SendMessageResponse:
        response = await self._api.get_async_httpx_client().request(**request)
        return sent_answer(response)
