"""The `dialog360` command line: `media get|download|read|delete|upload`, `fake-server`, `demo`.

Run `dialog360 --help`. Not imported by `import dialog360`; rich is imported only here.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Callable, Sequence

from ._errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_SIGNALLED, EXIT_USAGE, report
from ._output import OutputClosed, silence_stdout, warn
from ._parser import build_parser, with_defaults
from ._signals import Terminated, stop_signals_unwind

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _handler(name: str) -> Handler:
    # Each command's module is imported only when that command runs.
    if name == "demo":
        from ._demo import run_demo

        return run_demo
    if name == "fake_server":
        from ._fake_server_command import run_fake_server

        return run_fake_server
    if name.startswith("webhook_"):
        from . import _webhook_commands

        webhook_handler: Handler = getattr(_webhook_commands, name)
        return webhook_handler
    from . import _media_commands

    handler: Handler = getattr(_media_commands, name)
    return handler


def _tolerate_narrow_encodings() -> None:
    # On an ASCII-only terminal or pipe, "✓" or "…" must not turn into a crash.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 failure, 2 usage error, 128 + the signal's
    number when stopped by one: 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP)."""
    _tolerate_narrow_encodings()
    try:
        with stop_signals_unwind():
            return _run(argv)
    except KeyboardInterrupt:
        warn("error: interrupted")
        return EXIT_INTERRUPTED
    except Terminated as stop:
        warn(f"error: stopped by {stop.name}")
        return EXIT_SIGNALLED + stop.signum


def _run(argv: Sequence[str] | None) -> int:
    args = argparse.Namespace()
    try:
        try:
            args = with_defaults(build_parser().parse_args(argv))
        except SystemExit as exc:  # --help, or a usage error already printed on one line
            return exc.code if isinstance(exc.code, int) else EXIT_USAGE
        if args.verbose:
            from ._logging import enable_debug_logging

            enable_debug_logging()
        return _handler(args.handler)(args)
    except (OutputClosed, BrokenPipeError):
        # The reader went away (`... | head -c1`) or stdout was closed: no one is listening.
        silence_stdout()
        return EXIT_FAILURE
    except Exception as error:
        from ._client import base_url, known_secrets

        return report(error, known_secrets(args), base_url=base_url(args))
