from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MessageContext")


@_attrs_define
class MessageContext:
    """Makes the message a reply to an earlier message

    Attributes:
        message_id (str): The id (wamid....) of the message replied to
    """

    message_id: str

    def to_dict(self) -> dict[str, Any]:
        message_id = self.message_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "message_id": message_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        message_id = d.pop("message_id")

        message_context = cls(
            message_id=message_id,
        )

        return message_context
