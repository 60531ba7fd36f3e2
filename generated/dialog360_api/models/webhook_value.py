from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inbound_message import InboundMessage
    from ..models.message_status import MessageStatus
    from ..models.webhook_contact import WebhookContact
    from ..models.webhook_error_info import WebhookErrorInfo
    from ..models.webhook_metadata import WebhookMetadata


T = TypeVar("T", bound="WebhookValue")


@_attrs_define
class WebhookValue:
    """What changed; other fields than "messages" carry other keys

    Attributes:
        contacts (list[WebhookContact] | Unset):
        errors (list[WebhookErrorInfo] | Unset):
        messages (list[InboundMessage] | Unset):
        messaging_product (str | Unset):
        metadata (WebhookMetadata | Unset): The business phone number the event is for
        statuses (list[MessageStatus] | Unset):
    """

    contacts: list[WebhookContact] | Unset = UNSET
    errors: list[WebhookErrorInfo] | Unset = UNSET
    messages: list[InboundMessage] | Unset = UNSET
    messaging_product: str | Unset = UNSET
    metadata: WebhookMetadata | Unset = UNSET
    statuses: list[MessageStatus] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contacts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.contacts, Unset):
            contacts = []
            for contacts_item_data in self.contacts:
                contacts_item = contacts_item_data.to_dict()
                contacts.append(contacts_item)

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = []
            for messages_item_data in self.messages:
                messages_item = messages_item_data.to_dict()
                messages.append(messages_item)

        messaging_product = self.messaging_product

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        statuses: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.statuses, Unset):
            statuses = []
            for statuses_item_data in self.statuses:
                statuses_item = statuses_item_data.to_dict()
                statuses.append(statuses_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if contacts is not UNSET:
            field_dict["contacts"] = contacts
        if errors is not UNSET:
            field_dict["errors"] = errors
        if messages is not UNSET:
            field_dict["messages"] = messages
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if statuses is not UNSET:
            field_dict["statuses"] = statuses

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inbound_message import InboundMessage
        from ..models.message_status import MessageStatus
        from ..models.webhook_contact import WebhookContact
        from ..models.webhook_error_info import WebhookErrorInfo
        from ..models.webhook_metadata import WebhookMetadata

        d = dict(src_dict)
        _contacts = d.pop("contacts", UNSET)
        contacts: list[WebhookContact] | Unset = UNSET
        if _contacts is not UNSET:
            contacts = []
            for contacts_item_data in _contacts:
                contacts_item = WebhookContact.from_dict(contacts_item_data)

                contacts.append(contacts_item)

        _errors = d.pop("errors", UNSET)
        errors: list[WebhookErrorInfo] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = WebhookErrorInfo.from_dict(errors_item_data)

                errors.append(errors_item)

        _messages = d.pop("messages", UNSET)
        messages: list[InboundMessage] | Unset = UNSET
        if _messages is not UNSET:
            messages = []
            for messages_item_data in _messages:
                messages_item = InboundMessage.from_dict(messages_item_data)

                messages.append(messages_item)

        messaging_product = d.pop("messaging_product", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: WebhookMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = WebhookMetadata.from_dict(_metadata)

        _statuses = d.pop("statuses", UNSET)
        statuses: list[MessageStatus] | Unset = UNSET
        if _statuses is not UNSET:
            statuses = []
            for statuses_item_data in _statuses:
                statuses_item = MessageStatus.from_dict(statuses_item_data)

                statuses.append(statuses_item)

        webhook_value = cls(
            contacts=contacts,
            errors=errors,
            messages=messages,
            messaging_product=messaging_product,
            metadata=metadata,
            statuses=statuses,
        )

        webhook_value.additional_properties = d
        return webhook_value

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
