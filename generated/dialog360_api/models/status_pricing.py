from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StatusPricing")


@_attrs_define
class StatusPricing:
    """
    Attributes:
        billable (bool | Unset):
        category (str | Unset):
        pricing_model (str | Unset):
    """

    billable: bool | Unset = UNSET
    category: str | Unset = UNSET
    pricing_model: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        billable = self.billable

        category = self.category

        pricing_model = self.pricing_model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if billable is not UNSET:
            field_dict["billable"] = billable
        if category is not UNSET:
            field_dict["category"] = category
        if pricing_model is not UNSET:
            field_dict["pricing_model"] = pricing_model

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        billable = d.pop("billable", UNSET)

        category = d.pop("category", UNSET)

        pricing_model = d.pop("pricing_model", UNSET)

        status_pricing = cls(
            billable=billable,
            category=category,
            pricing_model=pricing_model,
        )

        status_pricing.additional_properties = d
        return status_pricing

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
