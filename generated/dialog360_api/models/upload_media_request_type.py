from typing import Literal

UploadMediaRequestType = Literal[
    "application/msword",
    "application/pdf",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "audio/aac",
    "audio/amr",
    "audio/mp4",
    "audio/mpeg",
    "audio/ogg",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/plain",
    "video/3gpp",
    "video/mp4",
]

UPLOAD_MEDIA_REQUEST_TYPE_VALUES: set[UploadMediaRequestType] = {
    "application/msword",
    "application/pdf",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "audio/aac",
    "audio/amr",
    "audio/mp4",
    "audio/mpeg",
    "audio/ogg",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/plain",
    "video/3gpp",
    "video/mp4",
}


def check_upload_media_request_type(value: str) -> UploadMediaRequestType:
    if value in UPLOAD_MEDIA_REQUEST_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {UPLOAD_MEDIA_REQUEST_TYPE_VALUES!r}"
    )
