from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_profile import WebhookProfile


T = TypeVar("T", bound="WebhookContact")


@_attrs_define
class WebhookContact:
    """The sender of the messages in this change

    Attributes:
        wa_id (str):
        profile (WebhookProfile | Unset):
    """

    wa_id: str
    profile: WebhookProfile | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        wa_id = self.wa_id

        profile: dict[str, Any] | Unset = UNSET
        if not isinstance(self.profile, Unset):
            profile = self.profile.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "wa_id": wa_id,
            }
        )
        if profile is not UNSET:
            field_dict["profile"] = profile

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.webhook_profile import WebhookProfile

        d = dict(src_dict)
        wa_id = d.pop("wa_id")

        _profile = d.pop("profile", UNSET)
        profile: WebhookProfile | Unset
        if isinstance(_profile, Unset):
            profile = UNSET
        else:
            profile = WebhookProfile.from_dict(_profile)

        webhook_contact = cls(
            wa_id=wa_id,
            profile=profile,
        )

        webhook_contact.additional_properties = d
        return webhook_contact

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
