from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InboundMediaObject")


@_attrs_define
class InboundMediaObject:
    """Inbound image, video, audio, document or sticker. `id` fetches the bytes (valid 7 days); `sha256` is seen both hex
    and base64.

        Attributes:
            id (str):
            animated (bool | Unset): sticker
            caption (str | Unset): image, video and document
            filename (str | Unset): document; chosen by the sender, never a safe path
            mime_type (str | Unset):
            sha256 (str | Unset):
            url (str | Unset): newer webhook versions
            voice (bool | Unset): audio recorded as a voice note
    """

    id: str
    animated: bool | Unset = UNSET
    caption: str | Unset = UNSET
    filename: str | Unset = UNSET
    mime_type: str | Unset = UNSET
    sha256: str | Unset = UNSET
    url: str | Unset = UNSET
    voice: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        animated = self.animated

        caption = self.caption

        filename = self.filename

        mime_type = self.mime_type

        sha256 = self.sha256

        url = self.url

        voice = self.voice

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if animated is not UNSET:
            field_dict["animated"] = animated
        if caption is not UNSET:
            field_dict["caption"] = caption
        if filename is not UNSET:
            field_dict["filename"] = filename
        if mime_type is not UNSET:
            field_dict["mime_type"] = mime_type
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256
        if url is not UNSET:
            field_dict["url"] = url
        if voice is not UNSET:
            field_dict["voice"] = voice

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        animated = d.pop("animated", UNSET)

        caption = d.pop("caption", UNSET)

        filename = d.pop("filename", UNSET)

        mime_type = d.pop("mime_type", UNSET)

        sha256 = d.pop("sha256", UNSET)

        url = d.pop("url", UNSET)

        voice = d.pop("voice", UNSET)

        inbound_media_object = cls(
            id=id,
            animated=animated,
            caption=caption,
            filename=filename,
            mime_type=mime_type,
            sha256=sha256,
            url=url,
            voice=voice,
        )

        inbound_media_object.additional_properties = d
        return inbound_media_object

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
