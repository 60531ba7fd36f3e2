from typing import Literal

SendMessageRequestMessagingProduct = Literal["whatsapp"]

SEND_MESSAGE_REQUEST_MESSAGING_PRODUCT_VALUES: set[
    SendMessageRequestMessagingProduct
] = {
    "whatsapp",
}


def check_send_message_request_messaging_product(
    value: str,
) -> SendMessageRequestMessagingProduct:
    if value in SEND_MESSAGE_REQUEST_MESSAGING_PRODUCT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SEND_MESSAGE_REQUEST_MESSAGING_PRODUCT_VALUES!r}"
    )
