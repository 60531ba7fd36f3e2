from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.status_conversation import StatusConversation
    from ..models.status_pricing import StatusPricing
    from ..models.webhook_error_info import WebhookErrorInfo


T = TypeVar("T", bound="MessageStatus")


@_attrs_define
class MessageStatus:
    """A status change of a message the business sent (sent, delivered, read, failed, ...)

    Attributes:
        id (str): The id of the sent message
        status (str):
        timestamp (str):
        conversation (StatusConversation | Unset):
        errors (list[WebhookErrorInfo] | Unset):
        pricing (StatusPricing | Unset):
        recipient_id (str | Unset):
    """

    id: str
    status: str
    timestamp: str
    conversation: StatusConversation | Unset = UNSET
    errors: list[WebhookErrorInfo] | Unset = UNSET
    pricing: StatusPricing | Unset = UNSET
    recipient_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status

        timestamp = self.timestamp

        conversation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.conversation, Unset):
            conversation = self.conversation.to_dict()

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        pricing: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pricing, Unset):
            pricing = self.pricing.to_dict()

        recipient_id = self.recipient_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "timestamp": timestamp,
            }
        )
        if conversation is not UNSET:
            field_dict["conversation"] = conversation
        if errors is not UNSET:
            field_dict["errors"] = errors
        if pricing is not UNSET:
            field_dict["pricing"] = pricing
        if recipient_id is not UNSET:
            field_dict["recipient_id"] = recipient_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.status_conversation import StatusConversation
        from ..models.status_pricing import StatusPricing
        from ..models.webhook_error_info import WebhookErrorInfo

        d = dict(src_dict)
        id = d.pop("id")

        status = d.pop("status")

        timestamp = d.pop("timestamp")

        _conversation = d.pop("conversation", UNSET)
        conversation: StatusConversation | Unset
        if isinstance(_conversation, Unset):
            conversation = UNSET
        else:
            conversation = StatusConversation.from_dict(_conversation)

        _errors = d.pop("errors", UNSET)
        errors: list[WebhookErrorInfo] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = WebhookErrorInfo.from_dict(errors_item_data)

                errors.append(errors_item)

        _pricing = d.pop("pricing", UNSET)
        pricing: StatusPricing | Unset
        if isinstance(_pricing, Unset):
            pricing = UNSET
        else:
            pricing = StatusPricing.from_dict(_pricing)

        recipient_id = d.pop("recipient_id", UNSET)

        message_status = cls(
            id=id,
            status=status,
            timestamp=timestamp,
            conversation=conversation,
            errors=errors,
            pricing=pricing,
            recipient_id=recipient_id,
        )

        message_status.additional_properties = d
        return message_status

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
