from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TextObject")


@_attrs_define
class TextObject:
    """The text of a text message

    Attributes:
        body (str):
        preview_url (bool | Unset): Render a preview of the first URL in the body
    """

    body: str
    preview_url: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        preview_url = self.preview_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "body": body,
            }
        )
        if preview_url is not UNSET:
            field_dict["preview_url"] = preview_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        body = d.pop("body")

        preview_url = d.pop("preview_url", UNSET)

        text_object = cls(
            body=body,
            preview_url=preview_url,
        )

        return text_object
