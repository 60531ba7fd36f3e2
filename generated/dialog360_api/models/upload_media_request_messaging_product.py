from typing import Literal

UploadMediaRequestMessagingProduct = Literal["whatsapp"]

UPLOAD_MEDIA_REQUEST_MESSAGING_PRODUCT_VALUES: set[
    UploadMediaRequestMessagingProduct
] = {
    "whatsapp",
}


def check_upload_media_request_messaging_product(
    value: str,
) -> UploadMediaRequestMessagingProduct:
    if value in UPLOAD_MEDIA_REQUEST_MESSAGING_PRODUCT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {UPLOAD_MEDIA_REQUEST_MESSAGING_PRODUCT_VALUES!r}"
    )
