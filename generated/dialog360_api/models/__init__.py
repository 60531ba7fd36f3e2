"""Contains all the data models used in inputs/outputs"""

from .delete_media_response import DeleteMediaResponse
from .error_resp import ErrorResp
from .media_url_response import MediaUrlResponse
from .upload_media_request import UploadMediaRequest
from .upload_media_request_messaging_product import UploadMediaRequestMessagingProduct
from .upload_media_request_type import UploadMediaRequestType
from .upload_media_response import UploadMediaResponse

__all__ = (
    "DeleteMediaResponse",
    "ErrorResp",
    "MediaUrlResponse",
    "UploadMediaRequest",
    "UploadMediaRequestMessagingProduct",
    "UploadMediaRequestType",
    "UploadMediaResponse",
)
