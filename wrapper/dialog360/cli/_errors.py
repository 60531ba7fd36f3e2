"""Turning any failure into an exit code and one line on stderr (never a traceback or the key);
with --json, also into one JSON object on stdout.

A failure is told by the exception's type and attributes (status code, file name, errno),
never by matching the words of its message.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

import dialog360 as d

from ._output import OutputClosed, emit_json, one_line, silence_stdout, warn

EXIT_OK = 0
EXIT_FAILURE = 1  # the API, the connection, the download or a file failed
EXIT_USAGE = 2  # the command line, a media id, a media type or the configuration is wrong
EXIT_SIGNALLED = 128  # + the signal's number: 130 Ctrl-C (SIGINT), 143 SIGTERM, 129 SIGHUP
EXIT_INTERRUPTED = EXIT_SIGNALLED + 2  # Ctrl-C

REDACTED = "<redacted>"

# ConfigurationError does not say which setting is wrong; from the command line it can only be
# the key or the base URL (every other option is checked by the parser).
CONFIGURATION_HINT = (
    f"the API key comes from {d.API_KEY_ENV} or --api-key-file, "
    f"the base URL from --base-url or {d.BASE_URL_ENV}"
)
MEDIA_TYPE_HINT = "see --mime-type and the types listed by `dialog360 media upload --help`"


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


@attrs.frozen
class Failure:
    """How one failure is told: exit code, exception type, message, hint, HTTP status."""

    exit_code: int
    type: str
    message: str
    hint: str | None = None
    status_code: int | None = None

    def redacted(self, secrets: list[str]) -> Failure:
        """The same failure with every secret blanked out of its texts."""
        hint = None if self.hint is None else redact(self.hint, secrets)
        return attrs.evolve(self, message=redact(self.message, secrets), hint=hint)

    def line(self) -> str:
        """`error: <message> (<hint>)`."""
        return f"error: {self.message}" + (f" ({self.hint})" if self.hint else "")

    def document(self) -> dict[str, object]:
        """`{"error": {"type": ..., "message": ..., ...}}`, without the keys that do not apply."""
        fields = {"type": self.type, "message": self.message, "exit_code": self.exit_code}
        if self.hint is not None:
            fields["hint"] = self.hint
        if self.status_code is not None:
            fields["status_code"] = self.status_code
        return {"error": fields}


def describe(error: BaseException, *, base_url: str | None = None) -> Failure:
    """How to tell an exception raised while running a command (`base_url`: where the client
    sent its requests, if one was made)."""
    kind = type(error).__name__
    code, message, hint = _told(error, base_url)
    status = error.status_code if isinstance(error, d.APIError) else None
    return Failure(exit_code=code, type=kind, message=message, hint=hint, status_code=status)


def _told(error: BaseException, base_url: str | None) -> tuple[int, str, str | None]:
    if isinstance(error, CLIError):
        return error.exit_code, error.message, error.hint
    if isinstance(error, d.ConfigurationError):
        return EXIT_USAGE, str(error), CONFIGURATION_HINT
    if isinstance(error, d.InvalidMediaIdError | d.InvalidMessageError):
        return EXIT_USAGE, str(error), None
    if isinstance(error, d.UnsupportedMediaError):
        return EXIT_USAGE, str(error), MEDIA_TYPE_HINT
    if isinstance(error, d.Dialog360Error):
        return EXIT_FAILURE, str(error), _library_hint(error, base_url)
    if isinstance(error, OSError):
        return EXIT_FAILURE, *_file_problem(error)
    return EXIT_FAILURE, f"unexpected {type(error).__name__}: {error}", "please report this bug"


def _library_hint(error: d.Dialog360Error, base_url: str | None) -> str | None:
    if isinstance(error, d.AuthenticationError):
        return f"authentication failed: check {d.API_KEY_ENV} or --api-key-file"
    if isinstance(error, d.PermissionDeniedError):
        return "this API key may not access that media"
    if isinstance(error, d.NotFoundError):
        return "unknown, deleted or expired media id"
    if isinstance(error, d.RateLimitError):
        wait = f"wait {error.retry_after:.0f} s; " if error.retry_after else ""
        return f"{wait}repeated failures can block the endpoint"
    if isinstance(error, d.APITimeoutError):
        return "the server is slow or unreachable; see --timeout"
    if isinstance(error, d.APIConnectionError):
        where = f" at {base_url}" if base_url else ""
        return f"is the API reachable{where}? see --base-url or {d.BASE_URL_ENV}"
    if isinstance(error, d.IntegrityError):
        return "nothing was saved; try again"
    return None


def _file_problem(error: OSError) -> tuple[str, str | None]:
    """`<file>: <reason>`; a destination that exists gets the hint to --overwrite."""
    if error.filename is None:
        return str(error) or type(error).__name__, None
    if isinstance(error, FileExistsError):
        return f"{error.filename} already exists", "pass --overwrite to replace it"
    return f"{error.filename}: {error.strerror or type(error).__name__}", None


def report(
    error: BaseException,
    secrets: Iterable[str] = (),
    *,
    as_json: bool = False,
    base_url: str | None = None,
) -> int:
    """Print `error: ...` on stderr (secrets blanked), and with `as_json` the same as one JSON
    object on stdout; return the exit code."""
    failure = describe(error, base_url=base_url).redacted(list(secrets))
    warn(one_line(failure.line()))
    if as_json:
        try:
            emit_json(failure.document())
        except OutputClosed:
            silence_stdout()
    return failure.exit_code


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (of a plausible length) replaced; a last line of defence."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text
