"""The `dialog360` command line: `media get|download|read|delete|upload`, `fake-server`, `demo`.

Run `dialog360 --help`. Not imported by `import dialog360`; rich is imported only here. It uses
the library through its public names only, like any other program would.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import sys
from collections.abc import Callable, Sequence

from ._errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_SIGNALLED, report
from ._output import OutputClosed, silence_stdout, warn
from ._parser import build_parser, with_defaults
from ._signals import Terminated, stop_signals_unwind

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _handler(name: str) -> Handler:
    """The function a command names as `<module>:<function>`; its module is imported only now."""
    module_name, _, function = name.partition(":")
    module = importlib.import_module(f".{module_name}", __name__)
    handler: Handler = getattr(module, function)
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
            return _run(sys.argv[1:] if argv is None else list(argv))
    except KeyboardInterrupt:
        warn("error: interrupted")
        return EXIT_INTERRUPTED
    except Terminated as stop:
        warn(f"error: stopped by {stop.name}")
        return EXIT_SIGNALLED + stop.signum


def _run(argv: list[str]) -> int:
    args = argparse.Namespace()
    try:
        try:
            args = with_defaults(build_parser().parse_args(argv))
        except SystemExit as done:  # --help or --version, printed
            return done.code if isinstance(done.code, int) else EXIT_OK
        with _verbose(args.verbose):
            return _handler(args.handler)(args)
    except (OutputClosed, BrokenPipeError):
        # The reader went away (`... | head -c1`) or stdout was closed: no one is listening.
        silence_stdout()
        return EXIT_FAILURE
    except Exception as error:
        from ._client import known_secrets

        return report(
            error,
            known_secrets(args),
            as_json=_wants_json(args, argv),
            base_url=getattr(args, "client_base_url", None),
        )


def _wants_json(args: argparse.Namespace, argv: list[str]) -> bool:
    if "command" not in args:  # the command line was refused: --json counts wherever it is
        return "--json" in argv
    return bool(getattr(args, "json", False))


def _verbose(enabled: bool) -> contextlib.AbstractContextManager[None]:
    if not enabled:
        return contextlib.nullcontext()
    from ._logging import debug_logging

    return debug_logging()
