"""Contains all the data models used in inputs/outputs"""

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
from .send_message_request_messaging_product import SendMessageRequestMessagingProduct
from .send_message_request_recipient_type import SendMessageRequestRecipientType
from .send_message_request_type import SendMessageRequestType
from .send_message_response import SendMessageResponse
from .sent_message import SentMessage
from .status_conversation import StatusConversation
from .status_conversation_origin import StatusConversationOrigin
from .status_pricing import StatusPricing
from .text_object import TextObject
from .upload_media_request import UploadMediaRequest
from .upload_media_request_messaging_product import UploadMediaRequestMessagingProduct
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
