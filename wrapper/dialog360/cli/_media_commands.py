"""`dialog360 media get|download|read|delete|upload`.

Every check (media id, destination, media type and size) is the library's: a command only
calls it and tells what came back. With --json each prints one object, the same key for the
same thing everywhere: `id`, `path`, `mime_type`, `file_size`, `sha256`.
"""

from __future__ import annotations

import argparse
import base64
import os
from pathlib import Path

from dialog360 import guess_mime_type, normalize_mime_type

from ._client import make_client
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


def get(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        info = client.media.get(args.media_id)
    if args.json:
        emit_json(info.to_dict())
        return EXIT_OK
    emit(f"media {args.media_id}")
    emit(f"  type    {info.mime_type}")
    emit(f"  size    {human_size(info.file_size)}")
    emit(f"  sha256  {info.sha256}")
    emit(f"  url     {info.url}")
    emit("          (valid for 5 minutes; fetch it with `dialog360 media download`)")
    return EXIT_OK


def download(args: argparse.Namespace) -> int:
    with (
        make_client(args) as client,
        # The bar appears with the first progress report, so a destination the library
        # refuses before fetching anything draws no bar at all.
        transfer_progress(args.media_id, enabled=_show_bar(args)) as on_progress,
    ):
        # The metadata first, for the output; the download reuses it (one request fewer).
        info = client.media.get(args.media_id)
        path = client.media.download(
            info, args.output, overwrite=args.overwrite, on_progress=on_progress
        )
    if args.json:
        emit_json(
            {
                "id": args.media_id,
                "path": os.fspath(path),
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


def read(args: argparse.Namespace) -> int:
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
                "id": args.media_id,
                "mime_type": info.mime_type,
                "file_size": info.file_size,
                "sha256": info.sha256,
                "data_base64": base64.b64encode(data).decode("ascii"),
            }
        )
        return EXIT_OK
    emit_bytes(data)
    return EXIT_OK


def delete(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        client.media.delete(args.media_id)
    if args.json:
        emit_json({"id": args.media_id, "deleted": True})
    else:
        emit(f"deleted media {args.media_id}")
    return EXIT_OK


def upload(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with (
        make_client(args) as client,
        transfer_progress(path.name, enabled=_show_bar(args)) as on_progress,
    ):
        uploaded = client.media.upload(path, mime_type=args.mime_type, on_progress=on_progress)
    # What upload() sent: it refuses a file it cannot type or that changes while it is sent.
    mime_type = (
        normalize_mime_type(args.mime_type) if args.mime_type else guess_mime_type(path.name)
    )
    size = path.stat().st_size
    if args.json:
        emit_json({"id": uploaded.id, "path": str(path), "mime_type": mime_type, "file_size": size})
    else:
        emit(f"uploaded {path.name} ({mime_type}, {human_size(size)}) as media {uploaded.id}")
    return EXIT_OK
