from typing import Literal

SendMessageRequestRecipientType = Literal["individual"]

SEND_MESSAGE_REQUEST_RECIPIENT_TYPE_VALUES: set[SendMessageRequestRecipientType] = {
    "individual",
}


def check_send_message_request_recipient_type(
    value: str,
) -> SendMessageRequestRecipientType:
    if value in SEND_MESSAGE_REQUEST_RECIPIENT_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SEND_MESSAGE_REQUEST_RECIPIENT_TYPE_VALUES!r}"
    )
