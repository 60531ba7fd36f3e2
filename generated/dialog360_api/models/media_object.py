from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MediaObject")


@_attrs_define
class MediaObject:
    """Audio or sticker, by uploaded media id or by https link (exactly one)

    Attributes:
        id (str | Unset): A media id from POST /media (or from a webhook)
        link (str | Unset): An https URL WhatsApp fetches the media from
    """

    id: str | Unset = UNSET
    link: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        link = self.link

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if link is not UNSET:
            field_dict["link"] = link

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        link = d.pop("link", UNSET)

        media_object = cls(
            id=id,
            link=link,
        )

        return media_object
