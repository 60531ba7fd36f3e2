from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DocumentObject")


@_attrs_define
class DocumentObject:
    """A document, by id or link (exactly one), with optional caption and file name

    Attributes:
        caption (str | Unset):
        filename (str | Unset): The file name the recipient sees
        id (str | Unset): A media id from POST /media (or from a webhook)
        link (str | Unset): An https URL WhatsApp fetches the media from
    """

    caption: str | Unset = UNSET
    filename: str | Unset = UNSET
    id: str | Unset = UNSET
    link: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        caption = self.caption

        filename = self.filename

        id = self.id

        link = self.link

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if caption is not UNSET:
            field_dict["caption"] = caption
        if filename is not UNSET:
            field_dict["filename"] = filename
        if id is not UNSET:
            field_dict["id"] = id
        if link is not UNSET:
            field_dict["link"] = link

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        caption = d.pop("caption", UNSET)

        filename = d.pop("filename", UNSET)

        id = d.pop("id", UNSET)

        link = d.pop("link", UNSET)

        document_object = cls(
            caption=caption,
            filename=filename,
            id=id,
            link=link,
        )

        return document_object
