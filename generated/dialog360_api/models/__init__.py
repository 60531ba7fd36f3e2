"""Contains all the data models used in inputs/outputs (each imported on first use)"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .captioned_media_object import CaptionedMediaObject
    from .delete_media_response import DeleteMediaResponse
    from .document_object import DocumentObject
    from .error_resp import ErrorResp
    from .inbound_button import InboundButton
    from .inbound_contact_card import InboundContactCard
    from .inbound_contact_card_emails_item import InboundContactCardEmailsItem
    from .inbound_contact_card_name import InboundContactCardName
    from .inbound_contact_card_phones_item import InboundContactCardPhonesItem
    from .inbound_context import InboundContext
    from .inbound_interactive import InboundInteractive
    from .inbound_location import InboundLocation
    from .inbound_media_object import InboundMediaObject
    from .inbound_message import InboundMessage
    from .inbound_order import InboundOrder
    from .inbound_order_item import InboundOrderItem
    from .inbound_reaction import InboundReaction
    from .inbound_reply import InboundReply
    from .inbound_system import InboundSystem
    from .inbound_text import InboundText
    from .inbound_unsupported import InboundUnsupported
    from .media_object import MediaObject
    from .media_url_response import MediaUrlResponse
    from .message_context import MessageContext
    from .message_recipient import MessageRecipient
    from .message_status import MessageStatus
    from .meta_error import MetaError
    from .meta_error_data import MetaErrorData
    from .meta_error_detail import MetaErrorDetail
    from .send_message_request import SendMessageRequest
    from .send_message_request_messaging_product import (
        SendMessageRequestMessagingProduct,
    )
    from .send_message_request_recipient_type import SendMessageRequestRecipientType
    from .send_message_request_type import SendMessageRequestType
    from .send_message_response import SendMessageResponse
    from .sent_message import SentMessage
    from .status_conversation import StatusConversation
    from .status_conversation_origin import StatusConversationOrigin
    from .status_pricing import StatusPricing
    from .text_object import TextObject
    from .upload_media_request import UploadMediaRequest
    from .upload_media_request_messaging_product import (
        UploadMediaRequestMessagingProduct,
    )
    from .upload_media_request_type import UploadMediaRequestType
    from .upload_media_response import UploadMediaResponse
    from .webhook_change import WebhookChange
    from .webhook_contact import WebhookContact
    from .webhook_entry import WebhookEntry
    from .webhook_error_data import WebhookErrorData
    from .webhook_error_info import WebhookErrorInfo
    from .webhook_metadata import WebhookMetadata
    from .webhook_payload import WebhookPayload
    from .webhook_profile import WebhookProfile
    from .webhook_value import WebhookValue

_MODULES = {
    "CaptionedMediaObject": ".captioned_media_object",
    "DeleteMediaResponse": ".delete_media_response",
    "DocumentObject": ".document_object",
    "ErrorResp": ".error_resp",
    "InboundButton": ".inbound_button",
    "InboundContactCard": ".inbound_contact_card",
    "InboundContactCardEmailsItem": ".inbound_contact_card_emails_item",
    "InboundContactCardName": ".inbound_contact_card_name",
    "InboundContactCardPhonesItem": ".inbound_contact_card_phones_item",
    "InboundContext": ".inbound_context",
    "InboundInteractive": ".inbound_interactive",
    "InboundLocation": ".inbound_location",
    "InboundMediaObject": ".inbound_media_object",
    "InboundMessage": ".inbound_message",
    "InboundOrder": ".inbound_order",
    "InboundOrderItem": ".inbound_order_item",
    "InboundReaction": ".inbound_reaction",
    "InboundReply": ".inbound_reply",
    "InboundSystem": ".inbound_system",
    "InboundText": ".inbound_text",
    "InboundUnsupported": ".inbound_unsupported",
    "MediaObject": ".media_object",
    "MediaUrlResponse": ".media_url_response",
    "MessageContext": ".message_context",
    "MessageRecipient": ".message_recipient",
    "MessageStatus": ".message_status",
    "MetaError": ".meta_error",
    "MetaErrorData": ".meta_error_data",
    "MetaErrorDetail": ".meta_error_detail",
    "SendMessageRequest": ".send_message_request",
    "SendMessageRequestMessagingProduct": ".send_message_request_messaging_product",
    "SendMessageRequestRecipientType": ".send_message_request_recipient_type",
    "SendMessageRequestType": ".send_message_request_type",
    "SendMessageResponse": ".send_message_response",
    "SentMessage": ".sent_message",
    "StatusConversation": ".status_conversation",
    "StatusConversationOrigin": ".status_conversation_origin",
    "StatusPricing": ".status_pricing",
    "TextObject": ".text_object",
    "UploadMediaRequest": ".upload_media_request",
    "UploadMediaRequestMessagingProduct": ".upload_media_request_messaging_product",
    "UploadMediaRequestType": ".upload_media_request_type",
    "UploadMediaResponse": ".upload_media_response",
    "WebhookChange": ".webhook_change",
    "WebhookContact": ".webhook_contact",
    "WebhookEntry": ".webhook_entry",
    "WebhookErrorData": ".webhook_error_data",
    "WebhookErrorInfo": ".webhook_error_info",
    "WebhookMetadata": ".webhook_metadata",
    "WebhookPayload": ".webhook_payload",
    "WebhookProfile": ".webhook_profile",
    "WebhookValue": ".webhook_value",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


__all__ = (
    "CaptionedMediaObject",
    "DeleteMediaResponse",
    "DocumentObject",
    "ErrorResp",
    "InboundButton",
    "InboundContactCard",
    "InboundContactCardEmailsItem",
    "InboundContactCardName",
    "InboundContactCardPhonesItem",
    "InboundContext",
    "InboundInteractive",
    "InboundLocation",
    "InboundMediaObject",
    "InboundMessage",
    "InboundOrder",
    "InboundOrderItem",
    "InboundReaction",
    "InboundReply",
    "InboundSystem",
    "InboundText",
    "InboundUnsupported",
    "MediaObject",
    "MediaUrlResponse",
    "MessageContext",
    "MessageRecipient",
    "MessageStatus",
    "MetaError",
    "MetaErrorData",
    "MetaErrorDetail",
    "SendMessageRequest",
    "SendMessageRequestMessagingProduct",
    "SendMessageRequestRecipientType",
    "SendMessageRequestType",
    "SendMessageResponse",
    "SentMessage",
    "StatusConversation",
    "StatusConversationOrigin",
    "StatusPricing",
    "TextObject",
    "UploadMediaRequest",
    "UploadMediaRequestMessagingProduct",
    "UploadMediaRequestType",
    "UploadMediaResponse",
    "WebhookChange",
    "WebhookContact",
    "WebhookEntry",
    "WebhookErrorData",
    "WebhookErrorInfo",
    "WebhookMetadata",
    "WebhookPayload",
    "WebhookProfile",
    "WebhookValue",
)
