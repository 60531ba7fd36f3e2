from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inbound_order_item import InboundOrderItem


T = TypeVar("T", bound="InboundOrder")


@_attrs_define
class InboundOrder:
    """
    Attributes:
        catalog_id (str | Unset):
        product_items (list[InboundOrderItem] | Unset):
        text (str | Unset):
    """

    catalog_id: str | Unset = UNSET
    product_items: list[InboundOrderItem] | Unset = UNSET
    text: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        catalog_id = self.catalog_id

        product_items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.product_items, Unset):
            product_items = []
            for product_items_item_data in self.product_items:
                product_items_item = product_items_item_data.to_dict()
                product_items.append(product_items_item)

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if catalog_id is not UNSET:
            field_dict["catalog_id"] = catalog_id
        if product_items is not UNSET:
            field_dict["product_items"] = product_items
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inbound_order_item import InboundOrderItem

        d = dict(src_dict)
        catalog_id = d.pop("catalog_id", UNSET)

        _product_items = d.pop("product_items", UNSET)
        product_items: list[InboundOrderItem] | Unset = UNSET
        if _product_items is not UNSET:
            product_items = []
            for product_items_item_data in _product_items:
                product_items_item = InboundOrderItem.from_dict(product_items_item_data)

                product_items.append(product_items_item)

        text = d.pop("text", UNSET)

        inbound_order = cls(
            catalog_id=catalog_id,
            product_items=product_items,
            text=text,
        )

        inbound_order.additional_properties = d
        return inbound_order

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
