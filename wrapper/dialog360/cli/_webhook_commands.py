"""`dialog360 webhook verify|media`: check a delivery's signature, list the media in it.

The body is read from stdin as raw bytes (the signature covers them exactly), at most the
webhook size cap. Every string of a delivery is the sender's: it is printed through
`_output`, which escapes what a terminal could act on.
"""

from __future__ import annotations

import argparse
import sys

from dialog360 import webhooks

from ._client import secret_in_file
from ._errors import EXIT_OK, UsageError
from ._output import emit, emit_json


def webhook_verify(args: argparse.Namespace) -> int:
    secret = _secret(args.secret_file)
    headers = _headers(args)
    if not headers:
        raise UsageError(
            "no signature to check",
            hint="pass --signature VALUE or --header 'X-360Dialog-Signature: VALUE'",
        )
    webhooks.verify_signature(_body(), headers, secret)
    if args.json:
        emit_json({"valid": True})
    else:
        emit("valid: the signature matches the body")
    return EXIT_OK


def webhook_media(args: argparse.Namespace) -> int:
    headers = _headers(args)
    if headers and args.secret_file is None:
        raise UsageError("a signature was given but no --secret-file to check it with")
    secret = None if args.secret_file is None else _secret(args.secret_file)
    if secret is not None and not headers:
        raise UsageError(
            "--secret-file needs the delivery's signature",
            hint="pass --signature VALUE or --header 'X-360Dialog-Signature: VALUE'",
        )
    items = webhooks.media_items(webhooks.parse(_body(), headers=headers, secret=secret))
    if args.json:
        emit_json(
            {
                "media": [
                    {
                        "message_id": item.message_id,
                        "type": item.type,
                        "media_id": item.media_id,
                        "mime_type": item.mime_type,
                        "sha256": item.sha256,
                        "sender": item.sender,
                        "phone_number_id": item.phone_number_id,
                        "timestamp": item.timestamp.isoformat(),
                        "caption": item.caption,
                        "filename": item.filename,
                    }
                    for item in items
                ]
            }
        )
        return EXIT_OK
    if not items:
        emit("no media in this delivery")
    for item in items:
        emit(f"{item.type} {item.media_id} ({item.mime_type or 'type not given'})")
        emit(f"  message   {item.message_id}")
        emit(f"  from      {item.sender} at {item.timestamp.isoformat()}")
        if item.sha256 is not None:
            emit(f"  sha256    {item.sha256}")
        if item.filename is not None:
            emit(f"  filename  {item.filename!r} (as sent; never used as a path)")
        if item.caption is not None:
            emit(f"  caption   {item.caption!r}")
    return EXIT_OK


def _body() -> bytes:
    stdin = sys.stdin
    if stdin is None or not hasattr(stdin, "buffer"):
        raise UsageError("no standard input to read the webhook body from")
    if stdin.isatty():
        raise UsageError("the webhook body is read from standard input", hint="e.g. `< body.json`")
    # One byte over the cap is enough to refuse it, however much more there is.
    data: bytes = stdin.buffer.read(webhooks.MAX_BODY_BYTES + 1)
    return data


def _secret(path: str) -> str:
    try:
        return secret_in_file(path)
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise UsageError(f"cannot read the secret file: {reason}") from None


def _headers(args: argparse.Namespace) -> list[tuple[str, str]]:
    headers = []
    if args.signature is not None:
        headers.append((webhooks.SIGNATURE_HEADER, args.signature))
    for line in args.header:
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise UsageError(
                f"--header wants 'Name: value', got {line!r}",
                hint="e.g. --header 'X-Hub-Signature-256: sha256=...'",
            )
        headers.append((name.strip(), value.strip()))
    return headers
