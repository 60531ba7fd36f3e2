from typing import Literal

SendMessageRequestType = Literal[
    "audio", "document", "image", "sticker", "text", "video"
]

SEND_MESSAGE_REQUEST_TYPE_VALUES: set[SendMessageRequestType] = {
    "audio",
    "document",
    "image",
    "sticker",
    "text",
    "video",
}


def check_send_message_request_type(value: str) -> SendMessageRequestType:
    if value in SEND_MESSAGE_REQUEST_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SEND_MESSAGE_REQUEST_TYPE_VALUES!r}"
    )
