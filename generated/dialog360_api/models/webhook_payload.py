from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.webhook_entry import WebhookEntry


T = TypeVar("T", bound="WebhookPayload")


@_attrs_define
class WebhookPayload:
    """One webhook delivery

    Example:
        {'entry': [{'changes': [{'field': 'messages', 'value': {'contacts': [{'profile': {'name': 'Sheena Nelson'},
            'wa_id': '16505551234'}], 'messages': [{'from': '16505551234', 'id':
            'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', 'image': {'caption': 'Invoice', 'id':
            '1003383421387256', 'mime_type': 'image/jpeg', 'sha256':
            '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'}, 'timestamp': '1749416383', 'type':
            'image'}], 'messaging_product': 'whatsapp', 'metadata': {'display_phone_number': '15550783881',
            'phone_number_id': '106540352242922'}}}], 'id': '102290129340398'}], 'object': 'whatsapp_business_account'}

    Attributes:
        entry (list[WebhookEntry]):
        object_ (str): whatsapp_business_account
    """

    entry: list[WebhookEntry]
    object_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entry = []
        for entry_item_data in self.entry:
            entry_item = entry_item_data.to_dict()
            entry.append(entry_item)

        object_ = self.object_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entry": entry,
                "object": object_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.webhook_entry import WebhookEntry

        d = dict(src_dict)
        entry = []
        _entry = d.pop("entry")
        for entry_item_data in _entry:
            entry_item = WebhookEntry.from_dict(entry_item_data)

            entry.append(entry_item)

        object_ = d.pop("object")

        webhook_payload = cls(
            entry=entry,
            object_=object_,
        )

        webhook_payload.additional_properties = d
        return webhook_payload

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
