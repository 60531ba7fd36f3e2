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

from dialog360 import API_KEY_ENV, BASE_URL_ENV

from ..testing import FakeServer
from ._client import read_key_file
from ._errors import EXIT_OK, CLIError, UsageError
from ._output import emit, human_size

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


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


def _banner(server: FakeServer, made_up_key: bool) -> None:
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


def run_fake_server(args: argparse.Namespace) -> int:
    seed = Path(args.seed) if args.seed else None
    if seed is not None and not seed.is_dir():
        raise UsageError(f"--seed {seed}: not a folder")
    key, made_up = _server_key(args)
    server = FakeServer(api_key=key, host=args.host, port=args.port, seed_dir=seed)
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
        _banner(server, made_up)
        while not stop.wait(0.5):
            pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        server.stop()
    emit("stopped")
    return EXIT_OK
