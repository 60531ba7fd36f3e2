"""Contains all the data models used in inputs/outputs"""

from .captioned_media_object import CaptionedMediaObject
from .delete_media_response import DeleteMediaResponse
from .document_object import DocumentObject
from .error_resp import ErrorResp
from .media_object import MediaObject
from .media_url_response import MediaUrlResponse
from .message_context import MessageContext
from .message_recipient import MessageRecipient
from .meta_error import MetaError
from .meta_error_data import MetaErrorData
from .meta_error_detail import MetaErrorDetail
from .send_message_request import SendMessageRequest
from .send_message_request_messaging_product import SendMessageRequestMessagingProduct
from .send_message_request_recipient_type import SendMessageRequestRecipientType
from .send_message_request_type import SendMessageRequestType
from .send_message_response import SendMessageResponse
from .sent_message import SentMessage
from .text_object import TextObject
from .upload_media_request import UploadMediaRequest
from .upload_media_request_messaging_product import UploadMediaRequestMessagingProduct
from .upload_media_request_type import UploadMediaRequestType
from .upload_media_response import UploadMediaResponse

__all__ = (
    "CaptionedMediaObject",
    "DeleteMediaResponse",
    "DocumentObject",
    "ErrorResp",
    "MediaObject",
    "MediaUrlResponse",
    "MessageContext",
    "MessageRecipient",
    "MetaError",
    "MetaErrorData",
    "MetaErrorDetail",
    "SendMessageRequest",
    "SendMessageRequestMessagingProduct",
    "SendMessageRequestRecipientType",
    "SendMessageRequestType",
    "SendMessageResponse",
    "SentMessage",
    "TextObject",
    "UploadMediaRequest",
    "UploadMediaRequestMessagingProduct",
    "UploadMediaRequestType",
    "UploadMediaResponse",
)
