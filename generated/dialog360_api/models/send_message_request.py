from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.send_message_request_messaging_product import (
    SendMessageRequestMessagingProduct,
    check_send_message_request_messaging_product,
)
from ..models.send_message_request_recipient_type import (
    SendMessageRequestRecipientType,
    check_send_message_request_recipient_type,
)
from ..models.send_message_request_type import (
    SendMessageRequestType,
    check_send_message_request_type,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.captioned_media_object import CaptionedMediaObject
    from ..models.document_object import DocumentObject
    from ..models.media_object import MediaObject
    from ..models.message_context import MessageContext
    from ..models.text_object import TextObject


T = TypeVar("T", bound="SendMessageRequest")


@_attrs_define
class SendMessageRequest:
    """A text or media message to one WhatsApp user

    Example:
        {'image': {'caption': 'Your receipt', 'id': '1234567890123456'}, 'messaging_product': 'whatsapp',
            'recipient_type': 'individual', 'to': '4915112345678', 'type': 'image'}

    Attributes:
        messaging_product (SendMessageRequestMessagingProduct):
        to (str): The recipient's phone number, digits only (country code first)
        type_ (SendMessageRequestType): Which of the message objects below is sent
        audio (MediaObject | Unset): Audio or sticker, by uploaded media id or by https link (exactly one)
        context (MessageContext | Unset): Makes the message a reply to an earlier message
        document (DocumentObject | Unset): A document, by id or link (exactly one), with optional caption and file name
        image (CaptionedMediaObject | Unset): Image or video, by id or link (exactly one), with an optional caption
        recipient_type (SendMessageRequestRecipientType | Unset): Optional; the Cloud API takes a message without it as
            "individual" Default: 'individual'.
        sticker (MediaObject | Unset): Audio or sticker, by uploaded media id or by https link (exactly one)
        text (TextObject | Unset): The text of a text message
        video (CaptionedMediaObject | Unset): Image or video, by id or link (exactly one), with an optional caption
    """

    messaging_product: SendMessageRequestMessagingProduct
    to: str
    type_: SendMessageRequestType
    audio: MediaObject | Unset = UNSET
    context: MessageContext | Unset = UNSET
    document: DocumentObject | Unset = UNSET
    image: CaptionedMediaObject | Unset = UNSET
    recipient_type: SendMessageRequestRecipientType | Unset = "individual"
    sticker: MediaObject | Unset = UNSET
    text: TextObject | Unset = UNSET
    video: CaptionedMediaObject | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messaging_product: str = self.messaging_product

        to = self.to

        type_: str = self.type_

        audio: dict[str, Any] | Unset = UNSET
        if not isinstance(self.audio, Unset):
            audio = self.audio.to_dict()

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        document: dict[str, Any] | Unset = UNSET
        if not isinstance(self.document, Unset):
            document = self.document.to_dict()

        image: dict[str, Any] | Unset = UNSET
        if not isinstance(self.image, Unset):
            image = self.image.to_dict()

        recipient_type: str | Unset = UNSET
        if not isinstance(self.recipient_type, Unset):
            recipient_type = self.recipient_type

        sticker: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sticker, Unset):
            sticker = self.sticker.to_dict()

        text: dict[str, Any] | Unset = UNSET
        if not isinstance(self.text, Unset):
            text = self.text.to_dict()

        video: dict[str, Any] | Unset = UNSET
        if not isinstance(self.video, Unset):
            video = self.video.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messaging_product": messaging_product,
                "to": to,
                "type": type_,
            }
        )
        if audio is not UNSET:
            field_dict["audio"] = audio
        if context is not UNSET:
            field_dict["context"] = context
        if document is not UNSET:
            field_dict["document"] = document
        if image is not UNSET:
            field_dict["image"] = image
        if recipient_type is not UNSET:
            field_dict["recipient_type"] = recipient_type
        if sticker is not UNSET:
            field_dict["sticker"] = sticker
        if text is not UNSET:
            field_dict["text"] = text
        if video is not UNSET:
            field_dict["video"] = video

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.captioned_media_object import CaptionedMediaObject
        from ..models.document_object import DocumentObject
        from ..models.media_object import MediaObject
        from ..models.message_context import MessageContext
        from ..models.text_object import TextObject

        d = dict(src_dict)
        messaging_product = check_send_message_request_messaging_product(
            d.pop("messaging_product")
        )

        to = d.pop("to")

        type_ = check_send_message_request_type(d.pop("type"))

        _audio = d.pop("audio", UNSET)
        audio: MediaObject | Unset
        if isinstance(_audio, Unset):
            audio = UNSET
        else:
            audio = MediaObject.from_dict(_audio)

        _context = d.pop("context", UNSET)
        context: MessageContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = MessageContext.from_dict(_context)

        _document = d.pop("document", UNSET)
        document: DocumentObject | Unset
        if isinstance(_document, Unset):
            document = UNSET
        else:
            document = DocumentObject.from_dict(_document)

        _image = d.pop("image", UNSET)
        image: CaptionedMediaObject | Unset
        if isinstance(_image, Unset):
            image = UNSET
        else:
            image = CaptionedMediaObject.from_dict(_image)

        _recipient_type = d.pop("recipient_type", UNSET)
        recipient_type: SendMessageRequestRecipientType | Unset
        if isinstance(_recipient_type, Unset):
            recipient_type = UNSET
        else:
            recipient_type = check_send_message_request_recipient_type(_recipient_type)

        _sticker = d.pop("sticker", UNSET)
        sticker: MediaObject | Unset
        if isinstance(_sticker, Unset):
            sticker = UNSET
        else:
            sticker = MediaObject.from_dict(_sticker)

        _text = d.pop("text", UNSET)
        text: TextObject | Unset
        if isinstance(_text, Unset):
            text = UNSET
        else:
            text = TextObject.from_dict(_text)

        _video = d.pop("video", UNSET)
        video: CaptionedMediaObject | Unset
        if isinstance(_video, Unset):
            video = UNSET
        else:
            video = CaptionedMediaObject.from_dict(_video)

        send_message_request = cls(
            messaging_product=messaging_product,
            to=to,
            type_=type_,
            audio=audio,
            context=context,
            document=document,
            image=image,
            recipient_type=recipient_type,
            sticker=sticker,
            text=text,
            video=video,
        )

        send_message_request.additional_properties = d
        return send_message_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
