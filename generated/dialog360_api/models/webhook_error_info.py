from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_error_data import WebhookErrorData


T = TypeVar("T", bound="WebhookErrorInfo")


@_attrs_define
class WebhookErrorInfo:
    """
    Attributes:
        code (int):
        error_data (WebhookErrorData | Unset):
        href (str | Unset):
        message (str | Unset):
        title (str | Unset):
    """

    code: int
    error_data: WebhookErrorData | Unset = UNSET
    href: str | Unset = UNSET
    message: str | Unset = UNSET
    title: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        error_data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error_data, Unset):
            error_data = self.error_data.to_dict()

        href = self.href

        message = self.message

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
            }
        )
        if error_data is not UNSET:
            field_dict["error_data"] = error_data
        if href is not UNSET:
            field_dict["href"] = href
        if message is not UNSET:
            field_dict["message"] = message
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.webhook_error_data import WebhookErrorData

        d = dict(src_dict)
        code = d.pop("code")

        _error_data = d.pop("error_data", UNSET)
        error_data: WebhookErrorData | Unset
        if isinstance(_error_data, Unset):
            error_data = UNSET
        else:
            error_data = WebhookErrorData.from_dict(_error_data)

        href = d.pop("href", UNSET)

        message = d.pop("message", UNSET)

        title = d.pop("title", UNSET)

        webhook_error_info = cls(
            code=code,
            error_data=error_data,
            href=href,
            message=message,
            title=title,
        )

        webhook_error_info.additional_properties = d
        return webhook_error_info

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
