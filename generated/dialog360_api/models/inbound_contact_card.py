from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inbound_contact_card_emails_item import InboundContactCardEmailsItem
    from ..models.inbound_contact_card_name import InboundContactCardName
    from ..models.inbound_contact_card_phones_item import InboundContactCardPhonesItem


T = TypeVar("T", bound="InboundContactCard")


@_attrs_define
class InboundContactCard:
    """A contact card the sender shared

    Attributes:
        emails (list[InboundContactCardEmailsItem] | Unset):
        name (InboundContactCardName | Unset):
        phones (list[InboundContactCardPhonesItem] | Unset):
    """

    emails: list[InboundContactCardEmailsItem] | Unset = UNSET
    name: InboundContactCardName | Unset = UNSET
    phones: list[InboundContactCardPhonesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        emails: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.emails, Unset):
            emails = []
            for emails_item_data in self.emails:
                emails_item = emails_item_data.to_dict()
                emails.append(emails_item)

        name: dict[str, Any] | Unset = UNSET
        if not isinstance(self.name, Unset):
            name = self.name.to_dict()

        phones: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.phones, Unset):
            phones = []
            for phones_item_data in self.phones:
                phones_item = phones_item_data.to_dict()
                phones.append(phones_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if emails is not UNSET:
            field_dict["emails"] = emails
        if name is not UNSET:
            field_dict["name"] = name
        if phones is not UNSET:
            field_dict["phones"] = phones

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inbound_contact_card_emails_item import (
            InboundContactCardEmailsItem,
        )
        from ..models.inbound_contact_card_name import InboundContactCardName
        from ..models.inbound_contact_card_phones_item import (
            InboundContactCardPhonesItem,
        )

        d = dict(src_dict)
        _emails = d.pop("emails", UNSET)
        emails: list[InboundContactCardEmailsItem] | Unset = UNSET
        if _emails is not UNSET:
            emails = []
            for emails_item_data in _emails:
                emails_item = InboundContactCardEmailsItem.from_dict(emails_item_data)

                emails.append(emails_item)

        _name = d.pop("name", UNSET)
        name: InboundContactCardName | Unset
        if isinstance(_name, Unset):
            name = UNSET
        else:
            name = InboundContactCardName.from_dict(_name)

        _phones = d.pop("phones", UNSET)
        phones: list[InboundContactCardPhonesItem] | Unset = UNSET
        if _phones is not UNSET:
            phones = []
            for phones_item_data in _phones:
                phones_item = InboundContactCardPhonesItem.from_dict(phones_item_data)

                phones.append(phones_item)

        inbound_contact_card = cls(
            emails=emails,
            name=name,
            phones=phones,
        )

        inbound_contact_card.additional_properties = d
        return inbound_contact_card

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
