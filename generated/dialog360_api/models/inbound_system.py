from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InboundSystem")


@_attrs_define
class InboundSystem:
    """e.g. the user changed their number

    Attributes:
        body (str | Unset):
        identity (str | Unset):
        new_wa_id (str | Unset):
        type_ (str | Unset):
        wa_id (str | Unset):
    """

    body: str | Unset = UNSET
    identity: str | Unset = UNSET
    new_wa_id: str | Unset = UNSET
    type_: str | Unset = UNSET
    wa_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        identity = self.identity

        new_wa_id = self.new_wa_id

        type_ = self.type_

        wa_id = self.wa_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if body is not UNSET:
            field_dict["body"] = body
        if identity is not UNSET:
            field_dict["identity"] = identity
        if new_wa_id is not UNSET:
            field_dict["new_wa_id"] = new_wa_id
        if type_ is not UNSET:
            field_dict["type"] = type_
        if wa_id is not UNSET:
            field_dict["wa_id"] = wa_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        body = d.pop("body", UNSET)

        identity = d.pop("identity", UNSET)

        new_wa_id = d.pop("new_wa_id", UNSET)

        type_ = d.pop("type", UNSET)

        wa_id = d.pop("wa_id", UNSET)

        inbound_system = cls(
            body=body,
            identity=identity,
            new_wa_id=new_wa_id,
            type_=type_,
            wa_id=wa_id,
        )

        inbound_system.additional_properties = d
        return inbound_system

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
