"""`client.media`: get, delete, download, read, stream and upload (sync and async twins).

Every decision is made once, outside these classes (the id and the metadata in `_metadata`,
the destination in `_files`, the download in `DownloadState`, progress in `Progress`); the two
classes are the I/O shells around them, one blocking, one awaited.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import httpx
from dialog360_api import AuthenticatedClient
from dialog360_api.api.media import delete_media_by_id, get_media_by_id, upload_media
from dialog360_api.models import (
    DeleteMediaResponse,
    MediaUrlResponse,
    UploadMediaRequest,
    UploadMediaResponse,
)
from dialog360_api.models.upload_media_request_type import check_upload_media_request_type
from dialog360_api.types import File

from ._config import Settings
from ._download import DownloadState, Progress, redirect_parsing_refused
from ._errors import APIError
from ._files import AtomicFile, check_destination, refuse_existing
from ._hashing_writer import Seal, hashing_writer
from ._media_source import MediaSource
from ._media_url import validate_media_id
from ._metadata import delete_answer, held_media_info, media_info_answer, upload_answer
from ._off_loop import off_loop
from ._upload import ProgressCallback, UploadPart, UploadSource, open_upload

if TYPE_CHECKING:
    from dialog360_api.models import InboundMediaObject

    from ._inbound import InboundMedia

# The generated endpoint functions are used for building requests only: their parsers trust any
# JSON, and an exception raised inside them could be the API's fault or the caller's (a file
# object, an on_progress callback). Sending here and checking the answer in `_metadata` keeps
# the two apart: the caller's own errors pass through untouched.


def _upload_request(part: UploadPart) -> dict[str, Any]:
    """The generated request arguments of an upload of `part`."""
    body = UploadMediaRequest(
        messaging_product="whatsapp",
        file=File(payload=part.reader, file_name=part.filename, mime_type=part.mime_type),
        # Checked against WhatsApp's table already; this only narrows str to the spec's enum.
        type_=check_upload_media_request_type(part.mime_type),
    )
    return upload_media._get_kwargs(body=body)


# A media id, the metadata from get(), or what a webhook announced (dialog360.webhooks).
MediaRef: TypeAlias = "str | MediaUrlResponse | InboundMedia | InboundMediaObject"


def _media_source(media: MediaRef) -> MediaSource:
    """The checked media id, and what the caller already knows about the media."""
    if isinstance(media, MediaUrlResponse):
        media_id = validate_media_id(media.id)
        return MediaSource(media_id, held_media_info(media, media_id))
    if isinstance(media, str):
        return MediaSource(validate_media_id(media))
    from ._inbound import webhook_source  # the webhook models load only for a webhook's media

    return webhook_source(media)


def _sealer(state: DownloadState, out: AtomicFile | None) -> Seal:
    """What ends a download once every byte is written: the bytes judged against the metadata,
    then, for a file, made durable and moved into place (on the writer's thread, no extra
    hand-off)."""
    if out is None:
        return state.finish

    def seal(sha256: str) -> None:
        state.finish(sha256)
        out.commit()

    return seal


def _shown(info: MediaUrlResponse) -> str:
    # Never the url: its `hash` lets anyone holding the key fetch the file for 5 minutes.
    return f"id={info.id!r}, mime_type={info.mime_type!r}, file_size={info.file_size}"


class MediaStream:
    """A verified stream of one media file: `info`, then `iter_bytes()`.

    The sha256 and size are checked when iteration ends; a mismatch raises IntegrityError
    from the iterator, so a consumer never mistakes bad bytes for a finished file.
    """

    def __init__(self, info: MediaUrlResponse, chunks: Iterator[bytes]):
        self.info = info
        self._chunks = chunks

    def iter_bytes(self) -> Iterator[bytes]:
        """The media bytes in chunks, verified at the end."""
        return self._chunks

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_shown(self.info)})"


class AsyncMediaStream:
    """Async twin of `MediaStream`: `info`, then `async for chunk in iter_bytes()`."""

    def __init__(self, info: MediaUrlResponse, chunks: AsyncIterator[bytes]):
        self.info = info
        self._chunks = chunks

    def iter_bytes(self) -> AsyncIterator[bytes]:
        """The media bytes in chunks, verified at the end."""
        return self._chunks

    __repr__ = MediaStream.__repr__


class _MediaBase:
    """What both `client.media` twins hold: the generated client and the settings."""

    def __init__(self, api: AuthenticatedClient, settings: Settings):
        self._api = api
        self._settings = settings

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._settings.base_url)!r})"


class Media(_MediaBase):
    """Media operations of a `Dialog360` client."""

    def get(self, media_id: str) -> MediaUrlResponse:
        """The media's url (valid 5 minutes), mime type, sha256 and size."""
        media_id = validate_media_id(media_id)
        http = self._api.get_httpx_client()
        return media_info_answer(http.request(**get_media_by_id._get_kwargs(media_id)), media_id)

    def delete(self, media_id: str) -> DeleteMediaResponse:
        """Delete the media; raises unless the API confirms it."""
        media_id = validate_media_id(media_id)
        http = self._api.get_httpx_client()
        return delete_answer(http.request(**delete_media_by_id._get_kwargs(media_id)), media_id)

    def upload(
        self,
        file: UploadSource,
        *,
        mime_type: str | None = None,
        filename: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> UploadMediaResponse:
        """Upload a path, bytes or binary file; `.id` of the answer is the new media id.

        The type (argument or guessed from the name) and size are checked against WhatsApp's
        limits before anything is sent; the file is streamed, not read whole.
        `on_progress(sent_bytes, total_bytes)` is called as the file is read for sending.
        """
        http = self._api.get_httpx_client()
        with open_upload(
            file, mime_type=mime_type, filename=filename, on_progress=on_progress
        ) as part:
            response = http.request(**_upload_request(part))
        return upload_answer(response)

    def download(
        self,
        media_id: MediaRef,
        destination: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        on_progress: ProgressCallback | None = None,
        use_filename: bool = False,
    ) -> Path:
        """Download to a folder (as `<media_id><ext>`) or a file path; returns the path.

        `media_id` may also be the metadata from `get()`, which saves a request, or a webhook's
        `InboundMedia` or media object, whose sha256 must match the metadata's before any byte
        is fetched. The bytes go to a temp file beside the destination and are moved into place
        only after their size and sha256 match the metadata; on any failure nothing is left.
        `on_progress(done_bytes, total_bytes)` is called with 0 first, then after every chunk.
        `use_filename=True` names a webhook document after the sender's file name, made safe
        (one name, extension matching the type), when downloading into a folder.
        """
        source = _media_source(media_id)
        folder = check_destination(destination, overwrite)
        media_id = source.media_id
        info = source.checked(source.held or self.get(media_id))
        target = source.target(
            destination, info.mime_type, use_filename=use_filename, folder=folder
        )
        if folder:  # the name came with the metadata: judged now, before the bytes
            refuse_existing(target, overwrite)
        with AtomicFile(target, overwrite=overwrite) as out:
            out.create()
            progress = Progress(on_progress, info.file_size)
            # The writer writes, hashes and commits (durable, in place); here it is only counted.
            with contextlib.closing(self._verified_chunks(media_id, info, out)) as chunks:
                for chunk in chunks:
                    progress.add(len(chunk))
        return target

    def read(self, media_id: MediaRef) -> bytes:
        """The media bytes, verified (held in memory: use download() or stream() for big files)."""
        media_id, info = self._media_id_and_info(media_id)
        with contextlib.closing(self._verified_chunks(media_id, info)) as chunks:
            return b"".join(chunks)

    @contextlib.contextmanager
    def stream(self, media_id: MediaRef) -> Iterator[MediaStream]:
        """The media as a stream (`.info`, then `.iter_bytes()`), closed when the block ends."""
        media_id, info = self._media_id_and_info(media_id)
        with contextlib.closing(self._verified_chunks(media_id, info)) as chunks:
            yield MediaStream(info, chunks)

    def _media_id_and_info(self, media: MediaRef) -> tuple[str, MediaUrlResponse]:
        source = _media_source(media)
        return source.media_id, source.checked(source.held or self.get(source.media_id))

    def _verified_chunks(
        self, media_id: str, info: MediaUrlResponse, out: AtomicFile | None = None
    ) -> Generator[bytes, None, None]:
        state = DownloadState(media_id, info, self._settings)
        http = self._api.get_httpx_client()
        # Hashing and file writes run on the writer thread, beside the receive.
        with hashing_writer(out, info.file_size) as sink:
            while True:
                try:
                    with redirect_parsing_refused():
                        response = http.send(state.next_request(http), stream=True)
                except APIError as error:
                    state.spend_refresh_on(error)
                    state.refresh(self.get(media_id))
                    continue
                try:
                    state.start_body(response)
                    # Raw: start_body refused every content coding, so httpx's decoder is the
                    # identity. Unchunked: httpx's chunker drops the bytes it buffered when the
                    # connection breaks, and a resume must start after every byte received.
                    # (iter_bytes, not iter_raw: it also serves a body httpx has read already.)
                    for chunk in response.iter_bytes():
                        if fresh := state.take(chunk):
                            sink.put(fresh)
                            yield fresh
                    sink.finish(_sealer(state, out))
                    return
                except httpx.TransportError as error:
                    state.after_drop(error)
                finally:
                    response.close()


class AsyncMedia(_MediaBase):
    """Async twin of `Media`: the same names, awaited."""

    async def get(self, media_id: str) -> MediaUrlResponse:
        """The media's url (valid 5 minutes), mime type, sha256 and size."""
        media_id = validate_media_id(media_id)
        http = self._api.get_async_httpx_client()
        response = await http.request(**get_media_by_id._get_kwargs(media_id))
        return media_info_answer(response, media_id)

    async def delete(self, media_id: str) -> DeleteMediaResponse:
        """Delete the media; raises unless the API confirms it."""
        media_id = validate_media_id(media_id)
        http = self._api.get_async_httpx_client()
        response = await http.request(**delete_media_by_id._get_kwargs(media_id))
        return delete_answer(response, media_id)

    async def upload(
        self,
        file: UploadSource,
        *,
        mime_type: str | None = None,
        filename: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> UploadMediaResponse:
        """Upload a path, bytes or binary file; `.id` of the answer is the new media id.

        The type (argument or guessed from the name) and size are checked against WhatsApp's
        limits before anything is sent; the file is streamed, not read whole.
        `on_progress(sent_bytes, total_bytes)` is called as the file is read for sending.
        """
        http = self._api.get_async_httpx_client()
        with open_upload(
            file, mime_type=mime_type, filename=filename, on_progress=on_progress
        ) as part:
            response = await http.request(**_upload_request(part))
        return upload_answer(response)

    async def download(
        self,
        media_id: MediaRef,
        destination: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        on_progress: ProgressCallback | None = None,
        use_filename: bool = False,
    ) -> Path:
        """Download to a folder (as `<media_id><ext>`) or a file path; returns the path.

        `media_id` may also be the metadata from `get()`, which saves a request, or a webhook's
        `InboundMedia` or media object, whose sha256 must match the metadata's before any byte
        is fetched. The bytes go to a temp file beside the destination and are moved into place
        only after their size and sha256 match the metadata; on any failure nothing is left.
        `on_progress(done_bytes, total_bytes)` is called with 0 first, then after every chunk.
        `use_filename=True` names a webhook document after the sender's file name, made safe
        (one name, extension matching the type), when downloading into a folder.
        """
        source = _media_source(media_id)
        folder = await off_loop(check_destination, destination, overwrite)
        media_id = source.media_id
        info = source.checked(source.held or await self.get(media_id))
        target = source.target(
            destination, info.mime_type, use_filename=use_filename, folder=folder
        )
        if folder:  # the name came with the metadata: judged now, before the bytes
            await off_loop(refuse_existing, target, overwrite)
        # The temp file is created, written, fsynced, placed (or removed) on threads only.
        async with AtomicFile(target, overwrite=overwrite) as out:
            progress = Progress(on_progress, info.file_size)
            async with contextlib.aclosing(self._verified_chunks(media_id, info, out)) as chunks:
                async for chunk in chunks:
                    progress.add(len(chunk))
        return target

    async def read(self, media_id: MediaRef) -> bytes:
        """The media bytes, verified (held in memory: use download() or stream() for big files)."""
        media_id, info = await self._media_id_and_info(media_id)
        async with contextlib.aclosing(self._verified_chunks(media_id, info)) as chunks:
            return b"".join([chunk async for chunk in chunks])

    @contextlib.asynccontextmanager
    async def stream(self, media_id: MediaRef) -> AsyncIterator[AsyncMediaStream]:
        """The media as a stream (`.info`, then `.iter_bytes()`), closed when the block ends."""
        media_id, info = await self._media_id_and_info(media_id)
        async with contextlib.aclosing(self._verified_chunks(media_id, info)) as chunks:
            yield AsyncMediaStream(info, chunks)

    async def _media_id_and_info(self, media: MediaRef) -> tuple[str, MediaUrlResponse]:
        source = _media_source(media)
        held = source.held or await self.get(source.media_id)
        return source.media_id, source.checked(held)

    async def _verified_chunks(
        self, media_id: str, info: MediaUrlResponse, out: AtomicFile | None = None
    ) -> AsyncGenerator[bytes, None]:
        state = DownloadState(media_id, info, self._settings)
        http = self._api.get_async_httpx_client()
        # Hashing and file writes run on the writer thread, beside the receive (never on the
        # event loop).
        async with hashing_writer(out, info.file_size) as sink:
            while True:
                try:
                    with redirect_parsing_refused():
                        response = await http.send(state.next_request(http), stream=True)
                except APIError as error:
                    state.spend_refresh_on(error)
                    state.refresh(await self.get(media_id))
                    continue
                try:
                    state.start_body(response)
                    # Raw and unchunked, as in Media._verified_chunks: no byte decoded or lost.
                    async for chunk in response.aiter_bytes():
                        if fresh := state.take(chunk):
                            await sink.aput(fresh)
                            yield fresh
                    await sink.afinish(_sealer(state, out))
                    return
                except httpx.TransportError as error:
                    state.after_drop(error)
                finally:
                    await response.aclose()
