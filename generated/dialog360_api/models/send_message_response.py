from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.message_recipient import MessageRecipient
    from ..models.sent_message import SentMessage


T = TypeVar("T", bound="SendMessageResponse")


@_attrs_define
class SendMessageResponse:
    """The accepted message and the recipient it was resolved to

    Example:
        {'contacts': [{'input': '4915112345678', 'wa_id': '4915112345678'}], 'messages': [{'id':
            'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjQ5QkE1QjNGRDQ0QjY2QjI0OAA=', 'message_status': 'accepted'}],
            'messaging_product': 'whatsapp'}

    Attributes:
        contacts (list[MessageRecipient]):
        messages (list[SentMessage]):
        messaging_product (str):
    """

    contacts: list[MessageRecipient]
    messages: list[SentMessage]
    messaging_product: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contacts = []
        for contacts_item_data in self.contacts:
            contacts_item = contacts_item_data.to_dict()
            contacts.append(contacts_item)

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        messaging_product = self.messaging_product

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contacts": contacts,
                "messages": messages,
                "messaging_product": messaging_product,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.message_recipient import MessageRecipient
        from ..models.sent_message import SentMessage

        d = dict(src_dict)
        contacts = []
        _contacts = d.pop("contacts")
        for contacts_item_data in _contacts:
            contacts_item = MessageRecipient.from_dict(contacts_item_data)

            contacts.append(contacts_item)

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = SentMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        messaging_product = d.pop("messaging_product")

        send_message_response = cls(
            contacts=contacts,
            messages=messages,
            messaging_product=messaging_product,
        )

        send_message_response.additional_properties = d
        return send_message_response

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
