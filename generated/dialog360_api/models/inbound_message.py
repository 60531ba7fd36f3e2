from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inbound_button import InboundButton
    from ..models.inbound_contact_card import InboundContactCard
    from ..models.inbound_context import InboundContext
    from ..models.inbound_interactive import InboundInteractive
    from ..models.inbound_location import InboundLocation
    from ..models.inbound_media_object import InboundMediaObject
    from ..models.inbound_order import InboundOrder
    from ..models.inbound_reaction import InboundReaction
    from ..models.inbound_system import InboundSystem
    from ..models.inbound_text import InboundText
    from ..models.inbound_unsupported import InboundUnsupported
    from ..models.webhook_error_info import WebhookErrorInfo


T = TypeVar("T", bound="InboundMessage")


@_attrs_define
class InboundMessage:
    """An inbound message. `type` names the object that carries it (text, image, video, audio, document, sticker, location,
    contacts, interactive, reaction, button, order, system, unsupported, or a newer one, kept in the additional
    properties).

        Attributes:
            from_ (str): The sender's WhatsApp id
            id (str): The message id (wamid....); re-deliveries repeat it
            timestamp (str):
            type_ (str):
            audio (InboundMediaObject | Unset): Inbound image, video, audio, document or sticker. `id` fetches the bytes
                (valid 7 days); `sha256` is seen both hex and base64.
            button (InboundButton | Unset): A quick-reply button of a template was pressed
            contacts (list[InboundContactCard] | Unset):
            context (InboundContext | Unset): Set when the message replies to, or forwards, another message
            document (InboundMediaObject | Unset): Inbound image, video, audio, document or sticker. `id` fetches the bytes
                (valid 7 days); `sha256` is seen both hex and base64.
            errors (list[WebhookErrorInfo] | Unset):
            image (InboundMediaObject | Unset): Inbound image, video, audio, document or sticker. `id` fetches the bytes
                (valid 7 days); `sha256` is seen both hex and base64.
            interactive (InboundInteractive | Unset): A reply to an interactive message
            location (InboundLocation | Unset):
            order (InboundOrder | Unset):
            reaction (InboundReaction | Unset):
            sticker (InboundMediaObject | Unset): Inbound image, video, audio, document or sticker. `id` fetches the bytes
                (valid 7 days); `sha256` is seen both hex and base64.
            system (InboundSystem | Unset): e.g. the user changed their number
            text (InboundText | Unset):
            unsupported (InboundUnsupported | Unset):
            video (InboundMediaObject | Unset): Inbound image, video, audio, document or sticker. `id` fetches the bytes
                (valid 7 days); `sha256` is seen both hex and base64.
    """

    from_: str
    id: str
    timestamp: str
    type_: str
    audio: InboundMediaObject | Unset = UNSET
    button: InboundButton | Unset = UNSET
    contacts: list[InboundContactCard] | Unset = UNSET
    context: InboundContext | Unset = UNSET
    document: InboundMediaObject | Unset = UNSET
    errors: list[WebhookErrorInfo] | Unset = UNSET
    image: InboundMediaObject | Unset = UNSET
    interactive: InboundInteractive | Unset = UNSET
    location: InboundLocation | Unset = UNSET
    order: InboundOrder | Unset = UNSET
    reaction: InboundReaction | Unset = UNSET
    sticker: InboundMediaObject | Unset = UNSET
    system: InboundSystem | Unset = UNSET
    text: InboundText | Unset = UNSET
    unsupported: InboundUnsupported | Unset = UNSET
    video: InboundMediaObject | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        id = self.id

        timestamp = self.timestamp

        type_ = self.type_

        audio: dict[str, Any] | Unset = UNSET
        if not isinstance(self.audio, Unset):
            audio = self.audio.to_dict()

        button: dict[str, Any] | Unset = UNSET
        if not isinstance(self.button, Unset):
            button = self.button.to_dict()

        contacts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.contacts, Unset):
            contacts = []
            for contacts_item_data in self.contacts:
                contacts_item = contacts_item_data.to_dict()
                contacts.append(contacts_item)

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        document: dict[str, Any] | Unset = UNSET
        if not isinstance(self.document, Unset):
            document = self.document.to_dict()

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        image: dict[str, Any] | Unset = UNSET
        if not isinstance(self.image, Unset):
            image = self.image.to_dict()

        interactive: dict[str, Any] | Unset = UNSET
        if not isinstance(self.interactive, Unset):
            interactive = self.interactive.to_dict()

        location: dict[str, Any] | Unset = UNSET
        if not isinstance(self.location, Unset):
            location = self.location.to_dict()

        order: dict[str, Any] | Unset = UNSET
        if not isinstance(self.order, Unset):
            order = self.order.to_dict()

        reaction: dict[str, Any] | Unset = UNSET
        if not isinstance(self.reaction, Unset):
            reaction = self.reaction.to_dict()

        sticker: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sticker, Unset):
            sticker = self.sticker.to_dict()

        system: dict[str, Any] | Unset = UNSET
        if not isinstance(self.system, Unset):
            system = self.system.to_dict()

        text: dict[str, Any] | Unset = UNSET
        if not isinstance(self.text, Unset):
            text = self.text.to_dict()

        unsupported: dict[str, Any] | Unset = UNSET
        if not isinstance(self.unsupported, Unset):
            unsupported = self.unsupported.to_dict()

        video: dict[str, Any] | Unset = UNSET
        if not isinstance(self.video, Unset):
            video = self.video.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "id": id,
                "timestamp": timestamp,
                "type": type_,
            }
        )
        if audio is not UNSET:
            field_dict["audio"] = audio
        if button is not UNSET:
            field_dict["button"] = button
        if contacts is not UNSET:
            field_dict["contacts"] = contacts
        if context is not UNSET:
            field_dict["context"] = context
        if document is not UNSET:
            field_dict["document"] = document
        if errors is not UNSET:
            field_dict["errors"] = errors
        if image is not UNSET:
            field_dict["image"] = image
        if interactive is not UNSET:
            field_dict["interactive"] = interactive
        if location is not UNSET:
            field_dict["location"] = location
        if order is not UNSET:
            field_dict["order"] = order
        if reaction is not UNSET:
            field_dict["reaction"] = reaction
        if sticker is not UNSET:
            field_dict["sticker"] = sticker
        if system is not UNSET:
            field_dict["system"] = system
        if text is not UNSET:
            field_dict["text"] = text
        if unsupported is not UNSET:
            field_dict["unsupported"] = unsupported
        if video is not UNSET:
            field_dict["video"] = video

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inbound_button import InboundButton
        from ..models.inbound_contact_card import InboundContactCard
        from ..models.inbound_context import InboundContext
        from ..models.inbound_interactive import InboundInteractive
        from ..models.inbound_location import InboundLocation
        from ..models.inbound_media_object import InboundMediaObject
        from ..models.inbound_order import InboundOrder
        from ..models.inbound_reaction import InboundReaction
        from ..models.inbound_system import InboundSystem
        from ..models.inbound_text import InboundText
        from ..models.inbound_unsupported import InboundUnsupported
        from ..models.webhook_error_info import WebhookErrorInfo

        d = dict(src_dict)
        from_ = d.pop("from")

        id = d.pop("id")

        timestamp = d.pop("timestamp")

        type_ = d.pop("type")

        _audio = d.pop("audio", UNSET)
        audio: InboundMediaObject | Unset
        if isinstance(_audio, Unset):
            audio = UNSET
        else:
            audio = InboundMediaObject.from_dict(_audio)

        _button = d.pop("button", UNSET)
        button: InboundButton | Unset
        if isinstance(_button, Unset):
            button = UNSET
        else:
            button = InboundButton.from_dict(_button)

        _contacts = d.pop("contacts", UNSET)
        contacts: list[InboundContactCard] | Unset = UNSET
        if _contacts is not UNSET:
            contacts = []
            for contacts_item_data in _contacts:
                contacts_item = InboundContactCard.from_dict(contacts_item_data)

                contacts.append(contacts_item)

        _context = d.pop("context", UNSET)
        context: InboundContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = InboundContext.from_dict(_context)

        _document = d.pop("document", UNSET)
        document: InboundMediaObject | Unset
        if isinstance(_document, Unset):
            document = UNSET
        else:
            document = InboundMediaObject.from_dict(_document)

        _errors = d.pop("errors", UNSET)
        errors: list[WebhookErrorInfo] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = WebhookErrorInfo.from_dict(errors_item_data)

                errors.append(errors_item)

        _image = d.pop("image", UNSET)
        image: InboundMediaObject | Unset
        if isinstance(_image, Unset):
            image = UNSET
        else:
            image = InboundMediaObject.from_dict(_image)

        _interactive = d.pop("interactive", UNSET)
        interactive: InboundInteractive | Unset
        if isinstance(_interactive, Unset):
            interactive = UNSET
        else:
            interactive = InboundInteractive.from_dict(_interactive)

        _location = d.pop("location", UNSET)
        location: InboundLocation | Unset
        if isinstance(_location, Unset):
            location = UNSET
        else:
            location = InboundLocation.from_dict(_location)

        _order = d.pop("order", UNSET)
        order: InboundOrder | Unset
        if isinstance(_order, Unset):
            order = UNSET
        else:
            order = InboundOrder.from_dict(_order)

        _reaction = d.pop("reaction", UNSET)
        reaction: InboundReaction | Unset
        if isinstance(_reaction, Unset):
            reaction = UNSET
        else:
            reaction = InboundReaction.from_dict(_reaction)

        _sticker = d.pop("sticker", UNSET)
        sticker: InboundMediaObject | Unset
        if isinstance(_sticker, Unset):
            sticker = UNSET
        else:
            sticker = InboundMediaObject.from_dict(_sticker)

        _system = d.pop("system", UNSET)
        system: InboundSystem | Unset
        if isinstance(_system, Unset):
            system = UNSET
        else:
            system = InboundSystem.from_dict(_system)

        _text = d.pop("text", UNSET)
        text: InboundText | Unset
        if isinstance(_text, Unset):
            text = UNSET
        else:
            text = InboundText.from_dict(_text)

        _unsupported = d.pop("unsupported", UNSET)
        unsupported: InboundUnsupported | Unset
        if isinstance(_unsupported, Unset):
            unsupported = UNSET
        else:
            unsupported = InboundUnsupported.from_dict(_unsupported)

        _video = d.pop("video", UNSET)
        video: InboundMediaObject | Unset
        if isinstance(_video, Unset):
            video = UNSET
        else:
            video = InboundMediaObject.from_dict(_video)

        inbound_message = cls(
            from_=from_,
            id=id,
            timestamp=timestamp,
            type_=type_,
            audio=audio,
            button=button,
            contacts=contacts,
            context=context,
            document=document,
            errors=errors,
            image=image,
            interactive=interactive,
            location=location,
            order=order,
            reaction=reaction,
            sticker=sticker,
            system=system,
            text=text,
            unsupported=unsupported,
            video=video,
        )

        inbound_message.additional_properties = d
        return inbound_message

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
