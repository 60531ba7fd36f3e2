from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.upload_media_request_messaging_product import (
    UploadMediaRequestMessagingProduct,
    check_upload_media_request_messaging_product,
)
from ..models.upload_media_request_type import (
    UploadMediaRequestType,
    check_upload_media_request_type,
)
from ..types import File

T = TypeVar("T", bound="UploadMediaRequest")


@_attrs_define
class UploadMediaRequest:
    """Multipart form of a media upload

    Attributes:
        file (File):
        messaging_product (UploadMediaRequestMessagingProduct):
        type_ (UploadMediaRequestType): MIME type of the file, e.g. image/jpeg
    """

    file: File
    messaging_product: UploadMediaRequestMessagingProduct
    type_: UploadMediaRequestType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        messaging_product: str = self.messaging_product

        type_: str = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
                "messaging_product": messaging_product,
                "type": type_,
            }
        )

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        files.append(
            (
                "messaging_product",
                (None, str(self.messaging_product).encode(), "text/plain"),
            )
        )

        files.append(("type", (None, str(self.type_).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        messaging_product = check_upload_media_request_messaging_product(
            d.pop("messaging_product")
        )

        type_ = check_upload_media_request_type(d.pop("type"))

        upload_media_request = cls(
            file=file,
            messaging_product=messaging_product,
            type_=type_,
        )

        upload_media_request.additional_properties = d
        return upload_media_request

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
