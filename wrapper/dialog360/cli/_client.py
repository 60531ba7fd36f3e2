"""The client of a command: the key from --api-key-file (never an argument) or, when that is not
given, from wherever the library looks for it ($D360_API_KEY); every other setting as given on
the command line, else the library's default."""

from __future__ import annotations

import argparse
import os

from dialog360 import API_KEY_ENV, Dialog360

from ._errors import UsageError


def secret_in_file(path: str) -> str:
    """The key or secret held in `path`: its text, surrounding whitespace dropped (the newline
    `echo` adds is no part of it). One rule for every such file, so that the fake server's
    `--webhook-secret-file` and `webhook verify --secret-file` agree on the same file.
    Raises OSError or UnicodeDecodeError; each option words its own message."""
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def read_key_file(path: str) -> str:
    """The key in `path` (surrounding whitespace dropped); UsageError when unreadable or empty."""
    try:
        key = secret_in_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read --api-key-file {path}: {reason}") from None
    if not key:
        raise UsageError(f"--api-key-file {path} is empty")
    return key


def known_secrets(args: argparse.Namespace) -> list[str]:
    """Every key this run may hold, to blank out of error messages (best effort, no errors)."""
    secrets = [os.environ.get(API_KEY_ENV, "").strip()]
    path = getattr(args, "api_key_file", None)
    if path is not None:
        try:
            with open(path, encoding="utf-8") as handle:
                secrets.append(handle.read().strip())
        except (OSError, UnicodeDecodeError):
            pass
    return [secret for secret in secrets if secret]


def make_client(args: argparse.Namespace) -> Dialog360:
    """A client configured from the command line; the library checks every setting.

    The base URL it settled on is kept in `args.client_base_url`, for the error hints."""
    key = read_key_file(args.api_key_file) if args.api_key_file is not None else None
    client = Dialog360(
        api_key=key,
        base_url=args.base_url,
        max_retries=args.max_retries,
        timeout=args.timeout,
    )
    args.client_base_url = client.base_url
    return client
