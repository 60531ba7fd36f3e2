from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MediaUrlResponse")


@_attrs_define
class MediaUrlResponse:
    """Response payload containing the media download URL and metadata

    Example:
        {'file_size': 303833, 'id': '1234567890123456', 'messaging_product': 'whatsapp', 'mime_type': 'image/jpeg',
            'sha256': '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'url': 'https://lookaside.fbsbx.co
            m/whatsapp_business/attachments/?mid=1234567890123456&ext=1764230400&hash=ATtEzq5nUvcpXq8T2hOasn0QI9f1R0YxdyBqJj
            0bXh3ygw&source=getMedia'}

    Attributes:
        file_size (int):
        id (str):
        mime_type (str):
        sha256 (str):
        url (str):
        messaging_product (str | Unset):
    """

    file_size: int
    id: str
    mime_type: str
    sha256: str
    url: str
    messaging_product: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_size = self.file_size

        id = self.id

        mime_type = self.mime_type

        sha256 = self.sha256

        url = self.url

        messaging_product = self.messaging_product

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_size": file_size,
                "id": id,
                "mime_type": mime_type,
                "sha256": sha256,
                "url": url,
            }
        )
        if messaging_product is not UNSET:
            field_dict["messaging_product"] = messaging_product

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_size = d.pop("file_size")

        id = d.pop("id")

        mime_type = d.pop("mime_type")

        sha256 = d.pop("sha256")

        url = d.pop("url")

        messaging_product = d.pop("messaging_product", UNSET)

        media_url_response = cls(
            file_size=file_size,
            id=id,
            mime_type=mime_type,
            sha256=sha256,
            url=url,
            messaging_product=messaging_product,
        )

        media_url_response.additional_properties = d
        return media_url_response

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
