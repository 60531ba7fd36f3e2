from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.meta_error_data import MetaErrorData


T = TypeVar("T", bound="MetaErrorDetail")


@_attrs_define
class MetaErrorDetail:
    """
    Attributes:
        code (int):
        message (str):
        error_data (MetaErrorData | Unset):
        error_subcode (int | Unset):
        fbtrace_id (str | Unset):
        type_ (str | Unset):
    """

    code: int
    message: str
    error_data: MetaErrorData | Unset = UNSET
    error_subcode: int | Unset = UNSET
    fbtrace_id: str | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        error_data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error_data, Unset):
            error_data = self.error_data.to_dict()

        error_subcode = self.error_subcode

        fbtrace_id = self.fbtrace_id

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if error_data is not UNSET:
            field_dict["error_data"] = error_data
        if error_subcode is not UNSET:
            field_dict["error_subcode"] = error_subcode
        if fbtrace_id is not UNSET:
            field_dict["fbtrace_id"] = fbtrace_id
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.meta_error_data import MetaErrorData

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        _error_data = d.pop("error_data", UNSET)
        error_data: MetaErrorData | Unset
        if isinstance(_error_data, Unset):
            error_data = UNSET
        else:
            error_data = MetaErrorData.from_dict(_error_data)

        error_subcode = d.pop("error_subcode", UNSET)

        fbtrace_id = d.pop("fbtrace_id", UNSET)

        type_ = d.pop("type", UNSET)

        meta_error_detail = cls(
            code=code,
            message=message,
            error_data=error_data,
            error_subcode=error_subcode,
            fbtrace_id=fbtrace_id,
            type_=type_,
        )

        meta_error_detail.additional_properties = d
        return meta_error_detail

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
