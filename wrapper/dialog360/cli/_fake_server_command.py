"""`dialog360 fake-server`: the fake 360dialog API in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import shlex
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from dialog360 import API_KEY_ENV, API_KEY_HEADER, BASE_URL_ENV

from ._client import read_key_file, secret_in_file
from ._errors import EXIT_OK, CLIError, UsageError
from ._output import emit, human_size

if TYPE_CHECKING:
    from ..testing import FakeServer

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
INBOUND_MEDIA_ROUTE = "/_fake/inbound-media"


def add_webhook_options(command: argparse.ArgumentParser) -> None:
    """The fake-server options for webhook delivery (the parser calls this)."""
    command.add_argument(
        "--webhook-url",
        metavar="URL",
        help="post webhooks (inbound media, statuses of sent messages) to this http URL on "
        "this machine; send an inbound media with POST " + INBOUND_MEDIA_ROUTE,
    )
    command.add_argument(
        "--webhook-secret-file",
        metavar="PATH",
        help="sign every webhook with the secret in this file (X-360Dialog-Signature)",
    )


def _webhook_secret(args: argparse.Namespace) -> str | None:
    path = getattr(args, "webhook_secret_file", None)
    if path is None:
        return None
    if getattr(args, "webhook_url", None) is None:
        raise UsageError("--webhook-secret-file needs --webhook-url")
    try:
        secret = secret_in_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read --webhook-secret-file {path}: {reason}") from None
    if not secret:
        raise UsageError(f"--webhook-secret-file {path} is empty")
    return secret


def _server_key(args: argparse.Namespace) -> tuple[str, bool]:
    """(key, made_up): --api-key-file, then $D360_API_KEY, else a fresh throwaway key."""
    if args.api_key_file is not None:
        return read_key_file(args.api_key_file), False
    from_env = os.environ.get(API_KEY_ENV, "").strip()
    if from_env:
        return from_env, False
    return "fake-" + secrets.token_urlsafe(18), True


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _webhook_banner(server: FakeServer, signed: bool) -> None:
    if server.webhook_url is None:
        return
    emit(f"webhooks go to {server.webhook_url} ({'signed' if signed else 'unsigned'})")
    emit("send an inbound media (its webhook follows; the query parameters are optional):")
    emit(
        f'  curl -H "{API_KEY_HEADER}: ${API_KEY_ENV}" -H "Content-Type: image/jpeg" '
        f"--data-binary @photo.jpg '{server.base_url}{INBOUND_MEDIA_ROUTE}"
        "?caption=hi&sender=15551234567'"
    )
    emit()


def _banner(server: FakeServer, made_up_key: bool, signed: bool) -> None:
    emit(f"fake 360dialog API listening on {server.base_url}")
    if not _is_loopback(server.host):
        emit(f"warning: {server.host} is not a loopback address; others may reach this server")
    emit()
    emit("use it from another shell:")
    emit(f"  export {BASE_URL_ENV}={server.base_url}")
    if made_up_key:
        emit(f"  export {API_KEY_ENV}={shlex.quote(server.api_key)}")
    else:
        emit(f"  # {API_KEY_ENV}: the key you gave it (not shown)")
    emit()
    _webhook_banner(server, signed)
    media = server.media
    if media:
        emit(f"media ({len(media)}):")
        for media_id, item in media.items():
            name = item.filename or ""
            emit(f"  {media_id}  {item.mime_type:<16} {human_size(item.file_size):>10}  {name}")
    else:
        emit("no media yet: add some with `dialog360 media upload FILE` (or start with --seed DIR)")
    emit()
    emit("serving; press Ctrl-C to stop")


def build_server(args: argparse.Namespace) -> tuple[FakeServer, bool]:
    """The server the options describe (not started) and whether its key was made up."""
    from ..testing import FakeServer

    seed = Path(args.seed) if args.seed else None
    if seed is not None and not seed.is_dir():
        raise UsageError(f"--seed {seed}: not a folder")
    key, made_up = _server_key(args)
    secret = _webhook_secret(args)
    try:
        server = FakeServer(
            api_key=key,
            host=args.host,
            port=args.port,
            seed_dir=seed,
            webhook_url=getattr(args, "webhook_url", None),
            webhook_secret=secret,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return server, made_up


def run_fake_server(args: argparse.Namespace) -> int:
    server, made_up = build_server(args)
    try:
        server.start()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CLIError(f"cannot listen on {args.host}:{args.port}: {reason}") from None

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Ctrl-C and SIGTERM both stop it, even when started in the background of a script
    # (where the shell has SIGINT ignored).
    previous = {number: signal.signal(number, on_signal) for number in STOP_SIGNALS}
    try:
        _banner(server, made_up, signed=getattr(args, "webhook_secret_file", None) is not None)
        while not stop.wait(0.5):
            pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        server.stop()
    emit("stopped")
    return EXIT_OK
