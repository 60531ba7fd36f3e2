"""The decisions of one media download, shared by the sync and async loops (sans-I/O)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import httpx
from dialog360_api.models import MediaUrlResponse

from . import _constants as C
from ._config import Settings
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    MediaDownloadError,
    UnsafeMediaURLError,
)
from ._media_url import download_target
from ._upload import ProgressCallback
from ._verify import MediaVerifier, bytes_to_skip

logger = logging.getLogger("dialog360")


class DownloadState:
    """Where a download stands: which url, how many bytes verified, what may still be retried.

    The sync and async loops ask it for the next request, hand it each response and chunk,
    and let it judge every failure: retry (resume or refresh) or raise; at the end it judges
    the whole.
    """

    def __init__(self, media_id: str, info: MediaUrlResponse, settings: Settings):
        self.media_id = media_id
        self.info = info
        self._base_url = settings.base_url
        self._trusted_hosts = settings.trusted_media_hosts
        self._max_drops = settings.retry.max_retries
        self._drops = 0
        self._refreshed = False
        self.verifier = MediaVerifier(
            expected_size=info.file_size,
            expected_sha256=info.sha256,
            max_bytes=settings.max_download_bytes,
        )
        self.url = download_target(info.url, self._base_url, self._trusted_hosts)
        self._skip = 0

    def next_request(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        """The GET for the bytes still missing, marked so the transport hands its body on raw."""
        return http.build_request(
            "GET",
            self.url,
            headers=self.request_headers(),
            extensions={C.MEDIA_BYTES_EXTENSION: True},
        )

    def request_headers(self) -> dict[str, str]:
        """Identity encoding (we hash the bytes as stored), and Range when resuming."""
        headers = {"Accept-Encoding": "identity"}
        if self.verifier.received:
            headers["Range"] = f"bytes={self.verifier.received}-"
        return headers

    def start_body(self, response: httpx.Response) -> None:
        """Check a response before its body is read: no redirects, the bytes as stored (no
        content coding), a resumable range."""
        if 300 <= response.status_code < 400:
            raise UnsafeMediaURLError(
                f"the media download redirected to {_redirect_host(response)}: redirects are not "
                f"followed, so the API key stays with {self._base_url.host}"
            )
        refuse_content_coding(response.headers.get_list("content-encoding", split_commas=True))
        self._skip = bytes_to_skip(
            response.status_code, response.headers.get("content-range"), self.verifier.received
        )

    def take(self, chunk: bytes) -> bytes:
        """The part of `chunk` that is new (a restart re-sends bytes we have), verified."""
        if self._skip:
            dropped = min(self._skip, len(chunk))
            chunk = chunk[dropped:]
            self._skip -= dropped
        if chunk:
            self.verifier.update(chunk)
        return chunk

    def finish(self, sha256: str) -> None:
        """The body ended: IntegrityError unless every byte came and `sha256` (theirs) matches."""
        self.verifier.finish(sha256)

    def after_drop(self, error: httpx.TransportError) -> None:
        """A connection broke mid-body: resume (bounded by max_retries) or raise."""
        self._drops += 1
        if self._drops > self._max_drops:
            error_class = (
                APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
            )
            raise error_class(
                f"the media download broke off after {self.verifier.received} of "
                f"{self.verifier.expected_size} bytes: {error or type(error).__name__}"
            ) from error
        logger.debug(
            "download of media %s broke off at byte %d (%s); resuming, attempt %d/%d",
            self.media_id,
            self.verifier.received,
            type(error).__name__,
            self._drops,
            self._max_drops,
        )

    def spend_refresh_on(self, error: APIError) -> None:
        """Raise `error` unless it means an expired url and the one refresh is still unspent;
        otherwise spend it: the caller fetches fresh metadata and calls refresh()."""
        if self._refreshed or error.status_code not in C.EXPIRED_URL_STATUSES:
            raise error
        self._refreshed = True
        logger.debug(
            "media url of %s refused (HTTP %s); fetching a fresh one",
            self.media_id,
            error.status_code,
        )

    def refresh(self, info: MediaUrlResponse) -> None:
        """Continue with fresh metadata; the media itself must not have changed."""
        if info.sha256.lower() != self.info.sha256.lower() or info.file_size != self.info.file_size:
            raise MediaDownloadError(f"media {self.media_id} changed while it was being downloaded")
        self.info = info
        self.url = download_target(info.url, self._base_url, self._trusted_hosts)


@contextlib.contextmanager
def redirect_parsing_refused() -> Iterator[None]:
    """Sending the GET for the bytes: the retry transport has already typed every connection
    failure, so what still comes out of httpx raw is its own parsing of a redirect's Location
    (done even with redirects off): RemoteProtocolError for an unparseable one, idna's
    UnicodeError for a bad xn-- host. Neither is a dropped connection worth resuming."""
    try:
        yield
    except (httpx.TransportError, UnicodeError) as error:
        raise UnsafeMediaURLError("the media download redirected to an invalid location") from error


class Progress:
    """The caller's `on_progress(done, total)`: 0 at the start, then after every chunk."""

    def __init__(self, on_progress: ProgressCallback | None, total: int):
        self._on_progress = on_progress
        self._total = total
        self.done = 0
        if on_progress is not None:
            on_progress(0, total)

    def add(self, count: int) -> None:
        """`count` more bytes arrived (and were verified so far)."""
        self.done += count
        if self._on_progress is not None:
            self._on_progress(self.done, self._total)


def refuse_content_coding(codings: list[str]) -> None:
    """MediaDownloadError unless the body is sent as stored: identity was asked for, and the
    sha256 and the size cap are about the stored bytes. Refusing before reading means no
    decoder ever runs, so a compression bomb costs nothing and a body that only claims to be
    compressed is never half-decoded."""
    declared = [coding.strip().lower() for coding in codings]
    unexpected = [coding for coding in declared if coding not in ("", "identity")]
    if unexpected:
        shown = ", ".join(repr(coding[:20]) for coding in unexpected[:3])
        raise MediaDownloadError(
            f"the media bytes came compressed ({shown}) although identity was asked for: "
            "refused without decoding"
        )


def _redirect_host(response: httpx.Response) -> str:
    """The host a redirect points to, for the error message; any Location, even a malformed
    one, gives a name rather than an exception of its own."""
    try:
        return httpx.URL(response.headers.get("location", "")).host or "elsewhere"
    except (httpx.InvalidURL, UnicodeError):
        return "an invalid location"
