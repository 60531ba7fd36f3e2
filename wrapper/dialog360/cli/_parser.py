"""The argparse command tree: `media get|download|read|delete|upload`,
`messages send-text|send-media`, `webhook verify|media`, `fake-server`, `demo`.

Each command group is added by one function, called once from build_parser(). A command names
the function that runs it as `handler="<module>:<function>"`: a module of this package,
imported only when that command runs.
"""

from __future__ import annotations

import argparse
import inspect
from typing import NoReturn

from dialog360 import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    MESSAGE_MEDIA_TYPES,
    Dialog360,
    __version__,
)

from ._errors import UsageError
from ._fake_server_command import add_webhook_options

_LIBRARY_DEFAULTS = {
    name: parameter.default for name, parameter in inspect.signature(Dialog360).parameters.items()
}

# Common options are accepted before or after the command (`dialog360 -v media get 1` and
# `dialog360 media get 1 -v`); they default to SUPPRESS so a later parser never overwrites a
# value given earlier, and `with_defaults()` fills in what was not given at all: the library's
# own defaults, so the two cannot drift apart.
DEFAULTS: dict[str, object] = {
    "verbose": False,
    "base_url": None,
    "max_retries": _LIBRARY_DEFAULTS["max_retries"],
    "timeout": _LIBRARY_DEFAULTS["timeout"],
    "api_key_file": None,
}

TOP_EPILOG = f"""\
Examples:
  export {API_KEY_ENV}=...                     # your 360dialog API key
  dialog360 media download 1234567890 -o inbox/
  dialog360 media upload photo.jpg --json
  dialog360 demo                               # see it all work, no key needed

exit codes:
  0    success
  1    the API, the connection, the download or a local file failed, or the
       reader of stdout went away (`| head`)
  2    usage error: bad arguments, invalid media id, unsupported media type,
       missing API key or bad configuration
  130  interrupted (Ctrl-C); 143 stopped by SIGTERM; 129 by SIGHUP
       (a download then leaves nothing behind, not even its temp file)
  With --json, an error is also printed on stdout as one JSON object:
  {{"error": {{"type": ..., "message": ..., "exit_code": ...}}}}

environment:
  {API_KEY_ENV}    the API key (or --api-key-file PATH; there is no --api-key option,
                  so the key never lands in shell history or `ps`)
  {BASE_URL_ENV}   the API base URL (default {DEFAULT_BASE_URL})
"""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are reported like every other error of the CLI."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, hint=f"see '{self.prog} --help'")


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _port(text: str) -> int:
    value = _non_negative_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a port is 0..65535, got {value}")
    return value


def _verbose_options() -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log every request and retry of the dialog360 logger to stderr",
    )
    return parent


def _client_options() -> _Parser:
    parent = _Parser(add_help=False)
    group = parent.add_argument_group("client options")
    group.add_argument(
        "--base-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=f"API base URL (default: ${BASE_URL_ENV} or {DEFAULT_BASE_URL})",
    )
    group.add_argument(
        "--max-retries",
        metavar="N",
        type=_non_negative_int,
        default=argparse.SUPPRESS,
        help=f"retries of failed requests, 0 = none (default: {DEFAULTS['max_retries']})",
    )
    group.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_positive_float,
        default=argparse.SUPPRESS,
        help="read timeout per request; for downloads, the longest pause "
        f"(default: {DEFAULTS['timeout']:g})",
    )
    group.add_argument(
        "--api-key-file",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=f"read the API key from this file instead of ${API_KEY_ENV}",
    )
    return parent


def _command(
    subparsers: argparse._SubParsersAction[_Parser],
    name: str,
    *,
    help: str,
    description: str,
    example: str,
    parents: list[_Parser],
) -> _Parser:
    return subparsers.add_parser(
        name,
        help=help,
        description=description,
        epilog=f"Example:\n{example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )


def _json_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--json", action="store_true", help=f"print {what} as one JSON object on stdout"
    )


def _add_media_commands(
    groups: argparse._SubParsersAction[_Parser], parents: list[_Parser]
) -> None:
    media = _command(
        groups,
        "media",
        help="get, download, read, delete or upload media",
        description="Work with media on the 360dialog API. The API key comes from "
        f"${API_KEY_ENV} (or --api-key-file); the base URL from --base-url or ${BASE_URL_ENV}.",
        example="  dialog360 media get 1234567890\n"
        "  dialog360 media download 1234567890 -o inbox/\n"
        "  dialog360 media upload photo.jpg",
        parents=parents,
    )
    commands = media.add_subparsers(
        title="commands", dest="media_command", metavar="COMMAND", required=True
    )

    get = _command(
        commands,
        "get",
        help="show a media's url, type, size and sha256",
        description="Show a media's metadata: its download url (valid 5 minutes), mime type, "
        "size and sha256.",
        example="  dialog360 media get 1234567890\n"
        "  dialog360 media get 1234567890 --json | jq -r .url",
        parents=parents,
    )
    get.add_argument("media_id", metavar="ID", help="the media id (digits)")
    _json_option(get, "the metadata")
    get.set_defaults(handler="_media_commands:get")

    download = _command(
        commands,
        "download",
        help="download a media file, verified (size and sha256)",
        description="Download a media file. The bytes are checked against the size and sha256 "
        "of the metadata and moved into place only when whole: on any failure nothing is left "
        "behind. A progress bar is drawn on stderr when it is a terminal.",
        example="  dialog360 media download 1234567890              # ./1234567890.jpg\n"
        "  dialog360 media download 1234567890 -o inbox/    # inbox/1234567890.jpg\n"
        "  dialog360 media download 1234567890 -o cat.jpg --overwrite",
        parents=parents,
    )
    download.add_argument("media_id", metavar="ID", help="the media id (digits)")
    download.add_argument(
        "-o",
        "--output",
        metavar="DEST",
        default=".",
        help="a folder (the file is named <ID><ext>) or a file path (default: .)",
    )
    download.add_argument(
        "--overwrite", action="store_true", help="replace the destination if it exists"
    )
    _json_option(download, "id, path, mime_type, file_size and sha256")
    download.set_defaults(handler="_media_commands:download")

    read = _command(
        commands,
        "read",
        help="write a media's bytes to stdout (verified before the first byte)",
        description="Write a media's raw bytes to stdout, for pipes. They are verified (size and "
        "sha256) before anything is written. Refuses to write to a terminal. With --json, prints "
        "the metadata and the bytes in base64 instead.",
        example="  dialog360 media read 1234567890 > photo.jpg\n"
        "  dialog360 media read 1234567890 | sha256sum",
        parents=parents,
    )
    read.add_argument("media_id", metavar="ID", help="the media id (digits)")
    _json_option(read, "id, mime_type, file_size, sha256 and the bytes (data_base64)")
    read.set_defaults(handler="_media_commands:read")

    delete = _command(
        commands,
        "delete",
        help="delete a media",
        description="Delete a media from 360dialog (uploaded media is otherwise kept 30 days).",
        example="  dialog360 media delete 1234567890",
        parents=parents,
    )
    delete.add_argument("media_id", metavar="ID", help="the media id (digits)")
    _json_option(delete, "id and deleted")
    delete.set_defaults(handler="_media_commands:delete")

    upload = _command(
        commands,
        "upload",
        help="upload a file and print its new media id",
        description="Upload a file (streamed from disk). Its type is taken from --mime-type or "
        "guessed from the name, and checked against WhatsApp's types and size limits before "
        "anything is sent (image/jpeg and image/png 5 MB, audio and video 16 MB, documents "
        "100 MB, image/webp stickers 500 KB).",
        example="  dialog360 media upload photo.jpg\n"
        "  dialog360 media upload voice.opus --mime-type audio/ogg --json",
        parents=parents,
    )
    upload.add_argument("file", metavar="FILE", help="the file to upload")
    upload.add_argument(
        "--mime-type",
        metavar="TYPE",
        help="the media type, e.g. image/jpeg (default: guessed from the file name)",
    )
    _json_option(upload, "id, path, mime_type and file_size")
    upload.set_defaults(handler="_media_commands:upload")


def _add_message_commands(
    groups: argparse._SubParsersAction[_Parser], parents: list[_Parser]
) -> None:
    messages = _command(
        groups,
        "messages",
        help="send text and media messages",
        description="Send WhatsApp messages through the 360dialog API. The API key comes from "
        f"${API_KEY_ENV} (or --api-key-file); the base URL from --base-url or ${BASE_URL_ENV}.",
        example="  dialog360 messages send-text +4915112345678 'Hello'\n"
        "  dialog360 messages send-media +4915112345678 --file photo.jpg",
        parents=parents,
    )
    commands = messages.add_subparsers(
        title="commands", dest="messages_command", metavar="COMMAND", required=True
    )

    text = _command(
        commands,
        "send-text",
        help="send a text message",
        description="Send a text message (up to 4096 characters) to a WhatsApp number, "
        "country code first ('+', spaces, dashes, dots and parentheses are allowed). "
        "Prints the new message's id.",
        example="  dialog360 messages send-text +4915112345678 'Your order has shipped'\n"
        "  dialog360 messages send-text 4915112345678 'see https://example.com' --preview-url",
        parents=parents,
    )
    text.add_argument("to", metavar="TO", help="the recipient's phone number")
    text.add_argument("text", metavar="TEXT", help="the message text")
    text.add_argument(
        "--preview-url", action="store_true", help="show a preview of the first link in TEXT"
    )
    text.add_argument(
        "--reply-to", metavar="ID", help="make it a reply to this message (wamid....)"
    )
    _json_option(text, "the API's answer")
    text.set_defaults(handler="_message_commands:messages_send_text")

    media = _command(
        commands,
        "send-media",
        help="send an image, video, audio, document or sticker",
        description="Send media: a local file (uploaded first, with a progress bar on a "
        "terminal), a media id already uploaded, or an https link WhatsApp fetches. The "
        "message type is taken from the file's or the link's name (or --mime-type) unless "
        "--type is given. Everything is checked before anything is sent; if the send fails "
        "after the upload, the error names the uploaded media id to send with --media-id.",
        example="  dialog360 messages send-media +4915112345678 --file photo.jpg --caption 'Hi'\n"
        "  dialog360 messages send-media 4915112345678 --file invoice.pdf --filename March.pdf\n"
        "  dialog360 messages send-media 4915112345678 --media-id 1234567890 --type video\n"
        "  dialog360 messages send-media 4915112345678 --link https://example.com/cat.jpg",
        parents=parents,
    )
    media.add_argument("to", metavar="TO", help="the recipient's phone number")
    source = media.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", metavar="PATH", help="upload this file, then send it")
    source.add_argument("--media-id", metavar="ID", help="send media uploaded before")
    source.add_argument("--link", metavar="URL", help="send the media at this https URL")
    media.add_argument(
        "--type",
        choices=MESSAGE_MEDIA_TYPES,
        help="the message type (default: from the mime type of the file or link)",
    )
    media.add_argument(
        "--mime-type",
        metavar="TYPE",
        help="the media type, e.g. image/jpeg (default: guessed from the name)",
    )
    media.add_argument("--caption", metavar="TEXT", help="a caption (image, video, document)")
    media.add_argument(
        "--filename", metavar="NAME", help="the name a document is shown with (documents only)"
    )
    media.add_argument(
        "--reply-to", metavar="ID", help="make it a reply to this message (wamid....)"
    )
    _json_option(media, "the API's answer")
    media.set_defaults(handler="_message_commands:messages_send_media")


def _add_fake_server_command(
    groups: argparse._SubParsersAction[_Parser], parents: list[_Parser]
) -> None:
    fake = _command(
        groups,
        "fake-server",
        help="run a local fake of the 360dialog media API",
        description="Run a fake of the 360dialog media API on this machine, for trying the CLI "
        "or testing an application without a real key. It accepts the key from "
        f"--api-key-file or ${API_KEY_ENV}, or makes up a throwaway one and prints it. "
        "Serves until Ctrl-C.",
        example="  dialog360 fake-server --seed ./samples\n"
        "  # then, in another shell, paste the printed export lines and:\n"
        "  dialog360 media get <id from the list>",
        parents=parents,
    )
    fake.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)"
    )
    fake.add_argument(
        "--port", type=_port, default=8360, help="the port, 0 = any free one (default: 8360)"
    )
    fake.add_argument(
        "--seed", metavar="DIR", help="serve every file of this folder as media at start"
    )
    fake.add_argument(
        "--api-key-file",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the key the server accepts, read from this file",
    )
    add_webhook_options(fake)
    fake.set_defaults(handler="_fake_server_command:run_fake_server")


def _add_webhook_commands(
    groups: argparse._SubParsersAction[_Parser], parents: list[_Parser]
) -> None:
    webhook = _command(
        groups,
        "webhook",
        help="check a webhook delivery's signature, list its media",
        description="Work with a webhook body as 360dialog posts it (read from stdin). No API "
        "key needed.",
        example='  dialog360 webhook verify --secret-file secret.txt --signature "$SIG" '
        "< body.json\n"
        "  dialog360 webhook media < body.json",
        parents=parents,
    )
    commands = webhook.add_subparsers(
        title="commands", dest="webhook_command", metavar="COMMAND", required=True
    )

    def signature_options(parser: _Parser, *, required_secret: bool) -> None:
        parser.add_argument(
            "--secret-file",
            metavar="PATH",
            required=required_secret,
            help="the shared webhook secret, read from this file (a final newline is ignored)",
        )
        parser.add_argument(
            "--signature",
            metavar="VALUE",
            help="the X-360Dialog-Signature header's value (hex, or sha256=<hex>)",
        )
        parser.add_argument(
            "--header",
            metavar="'NAME: VALUE'",
            action="append",
            default=[],
            help="a header of the delivery, e.g. 'X-Hub-Signature-256: sha256=...' (repeatable)",
        )

    verify = _command(
        commands,
        "verify",
        help="check a delivery's signature (exit 0 valid, 1 invalid, 2 usage)",
        description="Check the HMAC-SHA256 signature of a webhook body read from stdin, byte "
        "for byte as received, against the shared secret. X-360Dialog-Signature decides when "
        "both it and X-Hub-Signature-256 are given. Exit 0: valid; 1: invalid, missing or "
        "body too large; 2: usage.",
        example='  dialog360 webhook verify --secret-file secret.txt --signature "$SIG" '
        "< body.json\n"
        "  dialog360 webhook verify --secret-file secret.txt "
        "--header 'X-Hub-Signature-256: sha256=...' < body.json",
        parents=parents,
    )
    signature_options(verify, required_secret=True)
    _json_option(verify, '{"valid": true}')
    verify.set_defaults(handler="_webhook_commands:webhook_verify")

    media = _command(
        commands,
        "media",
        help="list the media of a webhook delivery",
        description="Parse a webhook body from stdin and list every image, video, audio, "
        "document and sticker in it: message id, media id, type, sha256, sender. With "
        "--secret-file, the signature is checked first.",
        example="  dialog360 webhook media < body.json\n"
        "  dialog360 webhook media --json < body.json | jq -r '.media[].media_id'",
        parents=parents,
    )
    signature_options(media, required_secret=False)
    _json_option(media, "the media items")
    media.set_defaults(handler="_webhook_commands:webhook_media")


def _add_demo_command(groups: argparse._SubParsersAction[_Parser], parents: list[_Parser]) -> None:
    demo = _command(
        groups,
        "demo",
        help="watch upload, download, retry and delete work against a local fake API",
        description="Start a fake 360dialog API in this process and run the real client against "
        "it: upload a generated picture, get its metadata, download it with verification, read "
        "it, recover from an injected HTTP 503, delete it. No key, no network.",
        example="  dialog360 demo\n  dialog360 demo -v      # with the client's request log",
        parents=parents,
    )
    demo.set_defaults(handler="_demo:run_demo")


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree."""
    verbose = _verbose_options()
    client = _client_options()
    parser = _Parser(
        prog="dialog360",
        description="Get, download, upload and delete 360dialog WhatsApp media.",
        epilog=TOP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[verbose, client],
    )
    parser.add_argument("--version", action="version", version=f"dialog360 {__version__}")
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True
    )
    _add_media_commands(commands, [verbose, client])
    _add_message_commands(commands, [verbose, client])
    _add_webhook_commands(commands, [verbose])
    _add_fake_server_command(commands, [verbose])
    _add_demo_command(commands, [verbose])
    return parser


def with_defaults(args: argparse.Namespace) -> argparse.Namespace:
    """Fill in the common options that were not given anywhere on the command line."""
    for name, value in DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    return args
