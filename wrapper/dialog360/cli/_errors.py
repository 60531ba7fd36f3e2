"""Turning any failure into an exit code and one line on stderr (never a traceback or the key)."""

from __future__ import annotations

from collections.abc import Iterable

import dialog360 as d

from ._output import one_line, warn

EXIT_OK = 0
EXIT_FAILURE = 1  # the API, the connection, the download or a file failed
EXIT_USAGE = 2  # the command line, a media id, a media type or the configuration is wrong
EXIT_SIGNALLED = 128  # + the signal's number: 130 Ctrl-C (SIGINT), 143 SIGTERM, 129 SIGHUP
EXIT_INTERRUPTED = EXIT_SIGNALLED + 2  # Ctrl-C

REDACTED = "<redacted>"


class CLIError(Exception):
    """An error the CLI reports as `error: <message> (<hint>)` with its exit code."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CLIError):
    """The user asked for something that cannot work as asked: exit 2."""

    exit_code = EXIT_USAGE


KEY_HINT = "set D360_API_KEY or pass --api-key-file PATH"


def describe(error: BaseException, *, base_url: str | None = None) -> tuple[int, str, str | None]:
    """(exit code, message, hint) for an exception raised while running a command."""
    if isinstance(error, CLIError):
        return error.exit_code, error.message, error.hint
    if isinstance(error, d.ConfigurationError):
        hint = KEY_HINT if "API key" in str(error) else None
        return EXIT_USAGE, str(error), hint
    if isinstance(error, d.InvalidMediaIdError | d.UnsupportedMediaError):
        return EXIT_USAGE, str(error), None
    if isinstance(error, d.AuthenticationError):
        return (
            EXIT_FAILURE,
            str(error),
            "authentication failed: check D360_API_KEY or --api-key-file",
        )
    if isinstance(error, d.PermissionDeniedError):
        return EXIT_FAILURE, str(error), "this API key may not access that media"
    if isinstance(error, d.NotFoundError):
        return EXIT_FAILURE, str(error), "unknown, deleted or expired media id"
    if isinstance(error, d.RateLimitError):
        wait = f"wait {error.retry_after:.0f} s; " if error.retry_after else ""
        return EXIT_FAILURE, str(error), f"{wait}repeated failures can block the endpoint"
    if isinstance(error, d.APITimeoutError):
        return EXIT_FAILURE, str(error), "the server is slow or unreachable; see --timeout"
    if isinstance(error, d.APIConnectionError):
        where = f"is the API reachable at {base_url}? " if base_url else ""
        return EXIT_FAILURE, str(error), f"{where}see --base-url or D360_BASE_URL"
    if isinstance(error, d.IntegrityError):
        return EXIT_FAILURE, str(error), "nothing was saved; try again"
    if isinstance(error, d.Dialog360Error):
        return EXIT_FAILURE, str(error), None
    if isinstance(error, OSError):
        return EXIT_FAILURE, _os_message(error), None
    return EXIT_FAILURE, f"unexpected {type(error).__name__}: {error}", "please report this bug"


def report(
    error: BaseException, secrets: Iterable[str] = (), *, base_url: str | None = None
) -> int:
    """Print `error: ...` on stderr (secrets blanked) and return the exit code."""
    code, message, hint = describe(error, base_url=base_url)
    line = f"error: {message}" + (f" ({hint})" if hint else "")
    warn(one_line(redact(line, secrets)))
    return code


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (of a plausible length) replaced; a last line of defence."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


def _os_message(error: OSError) -> str:
    if error.strerror and error.filename is not None:
        return f"{error.strerror}: {error.filename}"
    return str(error) or type(error).__name__
