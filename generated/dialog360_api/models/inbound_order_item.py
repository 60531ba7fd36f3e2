from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="InboundOrderItem")


@_attrs_define
class InboundOrderItem:
    """
    Attributes:
        currency (str | Unset):
        item_price (float | Unset):
        product_retailer_id (str | Unset):
        quantity (int | Unset):
    """

    currency: str | Unset = UNSET
    item_price: float | Unset = UNSET
    product_retailer_id: str | Unset = UNSET
    quantity: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        item_price = self.item_price

        product_retailer_id = self.product_retailer_id

        quantity = self.quantity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if currency is not UNSET:
            field_dict["currency"] = currency
        if item_price is not UNSET:
            field_dict["item_price"] = item_price
        if product_retailer_id is not UNSET:
            field_dict["product_retailer_id"] = product_retailer_id
        if quantity is not UNSET:
            field_dict["quantity"] = quantity

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        currency = d.pop("currency", UNSET)

        item_price = d.pop("item_price", UNSET)

        product_retailer_id = d.pop("product_retailer_id", UNSET)

        quantity = d.pop("quantity", UNSET)

        inbound_order_item = cls(
            currency=currency,
            item_price=item_price,
            product_retailer_id=product_retailer_id,
            quantity=quantity,
        )

        inbound_order_item.additional_properties = d
        return inbound_order_item

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
