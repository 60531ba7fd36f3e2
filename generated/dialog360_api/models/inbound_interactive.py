from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inbound_reply import InboundReply


T = TypeVar("T", bound="InboundInteractive")


@_attrs_define
class InboundInteractive:
    """A reply to an interactive message

    Attributes:
        button_reply (InboundReply | Unset):
        list_reply (InboundReply | Unset):
        type_ (str | Unset): button_reply, list_reply, nfm_reply, ...
    """

    button_reply: InboundReply | Unset = UNSET
    list_reply: InboundReply | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        button_reply: dict[str, Any] | Unset = UNSET
        if not isinstance(self.button_reply, Unset):
            button_reply = self.button_reply.to_dict()

        list_reply: dict[str, Any] | Unset = UNSET
        if not isinstance(self.list_reply, Unset):
            list_reply = self.list_reply.to_dict()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if button_reply is not UNSET:
            field_dict["button_reply"] = button_reply
        if list_reply is not UNSET:
            field_dict["list_reply"] = list_reply
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inbound_reply import InboundReply

        d = dict(src_dict)
        _button_reply = d.pop("button_reply", UNSET)
        button_reply: InboundReply | Unset
        if isinstance(_button_reply, Unset):
            button_reply = UNSET
        else:
            button_reply = InboundReply.from_dict(_button_reply)

        _list_reply = d.pop("list_reply", UNSET)
        list_reply: InboundReply | Unset
        if isinstance(_list_reply, Unset):
            list_reply = UNSET
        else:
            list_reply = InboundReply.from_dict(_list_reply)

        type_ = d.pop("type", UNSET)

        inbound_interactive = cls(
            button_reply=button_reply,
            list_reply=list_reply,
            type_=type_,
        )

        inbound_interactive.additional_properties = d
        return inbound_interactive

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
