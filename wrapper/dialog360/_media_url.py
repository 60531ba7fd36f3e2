"""Media ids and media urls: what we accept, and where a media url is really fetched from."""

from __future__ import annotations

import re
from collections.abc import Iterable

import httpx

from . import _constants as C
from ._errors import InvalidMediaIdError, UnsafeMediaURLError

# ASCII digits only: str.isdigit() also accepts "١٢٣" and "²".
_MEDIA_ID = re.compile(rf"[0-9]{{1,{C.MEDIA_ID_MAX_LENGTH}}}")


def validate_media_id(media_id: object) -> str:
    """The media id if it is 1..64 ASCII digits; InvalidMediaIdError before any request."""
    if not isinstance(media_id, str) or not _MEDIA_ID.fullmatch(media_id):
        shown = repr(media_id) if len(repr(media_id)) <= 80 else repr(media_id)[:77] + "..."
        raise InvalidMediaIdError(
            f"invalid media id {shown}: expected 1 to {C.MEDIA_ID_MAX_LENGTH} ASCII digits"
        )
    return media_id


def download_target(media_url: str, base_url: httpx.URL, trusted_hosts: Iterable[str]) -> httpx.URL:
    """The url to GET for `media_url`: the base URL (origin and any path prefix) with the media
    url's path and raw query, kept byte for byte. Refuses (UnsafeMediaURLError) anything that
    is not a media url on lookaside, the base URL's own host or an opted-in host."""
    try:
        url = httpx.URL(media_url)
        host = url.host  # decodes an xn-- host: idna raises UnicodeError for a malformed one
    except (httpx.InvalidURL, TypeError, UnicodeError) as exc:
        raise UnsafeMediaURLError("the media url is not a valid url") from exc
    allowed_schemes = {"https", base_url.scheme}
    allowed_hosts = {*C.TRUSTED_MEDIA_HOSTS, base_url.host, *trusted_hosts}
    if url.scheme not in allowed_schemes:
        raise UnsafeMediaURLError(f"refusing a media url with scheme {url.scheme!r}")
    if host not in allowed_hosts:
        raise UnsafeMediaURLError(
            f"refusing a media url on host {host!r}: the API key is only sent to known hosts"
        )
    if url.userinfo:
        raise UnsafeMediaURLError("refusing a media url with credentials in it")
    if url.raw_path.split(b"?", 1)[0] != C.ATTACHMENTS_PATH.encode():
        raise UnsafeMediaURLError(f"refusing a media url with path {url.path!r}")
    if url.fragment:
        raise UnsafeMediaURLError("refusing a media url with a fragment")
    # Rebuild from the base URL (keeping a proxy's path prefix) and the raw path+query bytes,
    # so nothing is re-encoded. Kept parsed: a signed url is long, and each parse of it cost
    # about a tenth of a small download's CPU.
    prefix = base_url.raw_path.split(b"?", 1)[0].rstrip(b"/")
    return base_url.copy_with(raw_path=prefix + url.raw_path)
