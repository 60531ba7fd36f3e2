"""`dialog360 messages send-text|send-media`."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path

from dialog360_api.models import SendMessageResponse

from ._client import make_client
from ._errors import EXIT_OK, CLIError, describe
from ._output import emit, emit_json, stderr_is_terminal
from ._progress import transfer_progress


@contextlib.contextmanager
def _as_cli_errors(args: argparse.Namespace) -> Iterator[None]:
    """A failure after the upload names the uploaded media id, so the file is sent again by
    id instead of uploaded twice."""
    try:
        yield
    except Exception as error:
        media_id = getattr(error, "uploaded_media_id", None)
        if not isinstance(media_id, str):
            raise
        told = describe(error)
        uploaded = (
            f"{Path(args.file).name} was uploaded as media {media_id}: send it again with "
            f"--media-id {media_id}"
        )
        failure = CLIError(told.message, hint="; ".join(filter(None, (told.hint, uploaded))))
        failure.exit_code = told.exit_code
        raise failure from None


def _report(answer: SendMessageResponse, args: argparse.Namespace, kind: str) -> int:
    if args.json:
        emit_json(answer.to_dict())
        return EXIT_OK
    sent = answer.messages[0]
    recipient = answer.contacts[0].wa_id if answer.contacts else args.to
    status = f" ({sent.message_status})" if isinstance(sent.message_status, str) else ""
    emit(f"sent {kind} message {sent.id} to {recipient}{status}")
    return EXIT_OK


def messages_send_text(args: argparse.Namespace) -> int:
    with _as_cli_errors(args), make_client(args) as client:
        answer = client.messages.send_text(
            args.to, args.text, preview_url=args.preview_url, reply_to=args.reply_to
        )
    return _report(answer, args, "text")


def messages_send_media(args: argparse.Namespace) -> int:
    file = Path(args.file) if args.file is not None else None
    show_bar = file is not None and not args.json and stderr_is_terminal()
    description = file.name if file is not None else ""
    with (
        _as_cli_errors(args),
        make_client(args) as client,
        transfer_progress(description, enabled=show_bar) as on_progress,
    ):
        answer = client.messages.send_media(
            args.to,
            media_id=args.media_id,
            link=args.link,
            file=file,
            type=args.type,
            caption=args.caption,
            filename=args.filename,
            reply_to=args.reply_to,
            mime_type=args.mime_type,
            on_progress=on_progress,
        )
    return _report(answer, args, args.type or "media")
