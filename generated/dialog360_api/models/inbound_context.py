from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InboundContext")


@_attrs_define
class InboundContext:
    """Set when the message replies to, or forwards, another message

    Attributes:
        forwarded (bool | Unset):
        frequently_forwarded (bool | Unset):
        from_ (str | Unset):
        id (str | Unset):
    """

    forwarded: bool | Unset = UNSET
    frequently_forwarded: bool | Unset = UNSET
    from_: str | Unset = UNSET
    id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        forwarded = self.forwarded

        frequently_forwarded = self.frequently_forwarded

        from_ = self.from_

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if forwarded is not UNSET:
            field_dict["forwarded"] = forwarded
        if frequently_forwarded is not UNSET:
            field_dict["frequently_forwarded"] = frequently_forwarded
        if from_ is not UNSET:
            field_dict["from"] = from_
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        forwarded = d.pop("forwarded", UNSET)

        frequently_forwarded = d.pop("frequently_forwarded", UNSET)

        from_ = d.pop("from", UNSET)

        id = d.pop("id", UNSET)

        inbound_context = cls(
            forwarded=forwarded,
            frequently_forwarded=frequently_forwarded,
            from_=from_,
            id=id,
        )

        inbound_context.additional_properties = d
        return inbound_context

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
