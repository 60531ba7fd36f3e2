from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.status_conversation_origin import StatusConversationOrigin


T = TypeVar("T", bound="StatusConversation")


@_attrs_define
class StatusConversation:
    """
    Attributes:
        expiration_timestamp (str | Unset):
        id (str | Unset):
        origin (StatusConversationOrigin | Unset):
    """

    expiration_timestamp: str | Unset = UNSET
    id: str | Unset = UNSET
    origin: StatusConversationOrigin | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expiration_timestamp = self.expiration_timestamp

        id = self.id

        origin: dict[str, Any] | Unset = UNSET
        if not isinstance(self.origin, Unset):
            origin = self.origin.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if expiration_timestamp is not UNSET:
            field_dict["expiration_timestamp"] = expiration_timestamp
        if id is not UNSET:
            field_dict["id"] = id
        if origin is not UNSET:
            field_dict["origin"] = origin

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.status_conversation_origin import StatusConversationOrigin

        d = dict(src_dict)
        expiration_timestamp = d.pop("expiration_timestamp", UNSET)

        id = d.pop("id", UNSET)

        _origin = d.pop("origin", UNSET)
        origin: StatusConversationOrigin | Unset
        if isinstance(_origin, Unset):
            origin = UNSET
        else:
            origin = StatusConversationOrigin.from_dict(_origin)

        status_conversation = cls(
            expiration_timestamp=expiration_timestamp,
            id=id,
            origin=origin,
        )

        status_conversation.additional_properties = d
        return status_conversation

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
