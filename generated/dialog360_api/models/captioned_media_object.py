from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CaptionedMediaObject")


@_attrs_define
class CaptionedMediaObject:
    """Image or video, by id or link (exactly one), with an optional caption

    Attributes:
        caption (str | Unset):
        id (str | Unset): A media id from POST /media (or from a webhook)
        link (str | Unset): An https URL WhatsApp fetches the media from
    """

    caption: str | Unset = UNSET
    id: str | Unset = UNSET
    link: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        caption = self.caption

        id = self.id

        link = self.link

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if caption is not UNSET:
            field_dict["caption"] = caption
        if id is not UNSET:
            field_dict["id"] = id
        if link is not UNSET:
            field_dict["link"] = link

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        caption = d.pop("caption", UNSET)

        id = d.pop("id", UNSET)

        link = d.pop("link", UNSET)

        captioned_media_object = cls(
            caption=caption,
            id=id,
            link=link,
        )

        return captioned_media_object
