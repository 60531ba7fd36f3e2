"""`dialog360 media get|download|read|delete|upload`."""

from __future__ import annotations

import argparse
import base64
import errno
import os
from pathlib import Path

from .._files import destination_path
from .._media_types import guess_mime_type, normalize_mime_type
from ._client import make_client
from ._destination import refuse_early, saving_error
from ._errors import EXIT_OK, UsageError
from ._output import (
    emit,
    emit_bytes,
    emit_json,
    human_size,
    short_hash,
    stderr_is_terminal,
    stdout_is_terminal,
)
from ._progress import transfer_progress


def _show_bar(args: argparse.Namespace) -> bool:
    return not args.json and stderr_is_terminal()


def media_get(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        info = client.media.get(args.media_id)
    if args.json:
        emit_json(info.to_dict())
        return EXIT_OK
    emit(f"media {args.media_id}")
    emit(f"  type    {info.mime_type}")
    emit(f"  size    {human_size(info.file_size)} ({info.file_size} bytes)")
    emit(f"  sha256  {info.sha256}")
    emit(f"  url     {info.url}")
    emit("          (valid for 5 minutes; fetch it with `dialog360 media download`)")
    return EXIT_OK


def media_download(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        # The metadata first, for the output; the download reuses it (one request fewer).
        info = client.media.get(args.media_id)
        # Named after the id asked for (checked by get()), never after anything the server said.
        target = destination_path(args.output, args.media_id, info.mime_type)
        try:
            # What must not be replaced is refused before a bar is drawn (download() checks too).
            refuse_early(target, overwrite=args.overwrite)
            with transfer_progress(
                f"download {args.media_id}", enabled=_show_bar(args)
            ) as on_progress:
                path = client.media.download(
                    info, args.output, overwrite=args.overwrite, on_progress=on_progress
                )
        except OSError as error:
            raise saving_error(error, target, overwrite=args.overwrite) from None
    if args.json:
        emit_json(
            {
                "path": os.fspath(path),
                "media_id": args.media_id,
                "mime_type": info.mime_type,
                "file_size": info.file_size,
                "sha256": info.sha256,
            }
        )
        return EXIT_OK
    emit(
        f"saved {path} ({human_size(info.file_size)}, {info.mime_type}, "
        f"sha256 {short_hash(info.sha256)} verified)"
    )
    return EXIT_OK


def media_read(args: argparse.Namespace) -> int:
    if not args.json and stdout_is_terminal():
        raise UsageError(
            "refusing to write binary media to a terminal",
            hint="redirect it, e.g. `> file`, or use `dialog360 media download`",
        )
    with make_client(args) as client, client.media.stream(args.media_id) as media:
        # Held until verified: a pipe never receives bytes that turn out to be wrong.
        data = b"".join(media.iter_bytes())
        info = media.info
    if args.json:
        emit_json(
            {
                "media_id": args.media_id,
                "mime_type": info.mime_type,
                "file_size": info.file_size,
                "sha256": info.sha256,
                "data_base64": base64.b64encode(data).decode("ascii"),
            }
        )
        return EXIT_OK
    emit_bytes(data)
    return EXIT_OK


def media_delete(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        client.media.delete(args.media_id)
    if args.json:
        emit_json({"media_id": args.media_id, "deleted": True})
    else:
        emit(f"deleted media {args.media_id}")
    return EXIT_OK


def media_upload(args: argparse.Namespace) -> int:
    path = Path(args.file)
    size = path.stat().st_size  # FileNotFoundError (exit 1) before anything else
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    mime_type = normalize_mime_type(args.mime_type) if args.mime_type else None
    mime_type = mime_type or guess_mime_type(path.name)
    if mime_type is None:
        raise UsageError(
            f"cannot tell the media type of {path.name!r} from its name",
            hint="pass --mime-type, e.g. --mime-type image/jpeg",
        )
    with (
        make_client(args) as client,
        transfer_progress(f"upload {path.name}", enabled=_show_bar(args)) as on_progress,
    ):
        uploaded = client.media.upload(path, mime_type=mime_type, on_progress=on_progress)
    if args.json:
        emit_json({"id": uploaded.id, "mime_type": mime_type, "size": size, "file": str(path)})
    else:
        emit(f"uploaded {path.name} ({mime_type}, {human_size(size)}) as media {uploaded.id}")
    return EXIT_OK
