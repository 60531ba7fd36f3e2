from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InboundContactCardName")


@_attrs_define
class InboundContactCardName:
    """
    Attributes:
        first_name (str | Unset):
        formatted_name (str | Unset):
        last_name (str | Unset):
    """

    first_name: str | Unset = UNSET
    formatted_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        first_name = self.first_name

        formatted_name = self.formatted_name

        last_name = self.last_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if formatted_name is not UNSET:
            field_dict["formatted_name"] = formatted_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        first_name = d.pop("first_name", UNSET)

        formatted_name = d.pop("formatted_name", UNSET)

        last_name = d.pop("last_name", UNSET)

        inbound_contact_card_name = cls(
            first_name=first_name,
            formatted_name=formatted_name,
            last_name=last_name,
        )

        inbound_contact_card_name.additional_properties = d
        return inbound_contact_card_name

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
