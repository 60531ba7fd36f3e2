"""The API key (from $D360_API_KEY or --api-key-file, never an argument) and the client."""

from __future__ import annotations

import argparse
import os

from .. import Dialog360
from .._constants import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from ._errors import KEY_HINT, UsageError


def read_key_file(path: str) -> str:
    """The key in `path` (surrounding whitespace dropped); UsageError when unreadable or empty."""
    try:
        with open(path, encoding="utf-8") as handle:
            key = handle.read().strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read --api-key-file {path}: {reason}") from None
    if not key:
        raise UsageError(f"--api-key-file {path} is empty")
    return key


def api_key(args: argparse.Namespace) -> str:
    """--api-key-file first, then $D360_API_KEY; UsageError (exit 2) when there is none."""
    if args.api_key_file is not None:
        return read_key_file(args.api_key_file)
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise UsageError("no API key", hint=KEY_HINT)
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


def base_url(args: argparse.Namespace) -> str:
    """The base URL this run talks to, for error hints."""
    given = getattr(args, "base_url", None) or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    return str(given).rstrip("/")


def make_client(args: argparse.Namespace) -> Dialog360:
    """A client configured from the command line and the environment."""
    return Dialog360(
        api_key=api_key(args),
        base_url=args.base_url,
        max_retries=args.max_retries,
        timeout=args.timeout,
    )
