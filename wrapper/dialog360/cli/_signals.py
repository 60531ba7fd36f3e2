"""SIGTERM and SIGHUP stop a command the way Ctrl-C does: by an exception that unwinds it.

Unwinding runs every `with` block on the way out, so a download's temp file is removed and the
connection closed, exactly as for Ctrl-C; killed by the default action, the process would leave
the temp file behind.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

# Ctrl-C is handled here too, so that a second signal of any of the three, arriving while the
# first one's cleanup runs, cannot cut that cleanup short.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` (a retry loop, an error report) mistakes it for a failure to handle."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


@contextlib.contextmanager
def stop_signals_unwind() -> Iterator[None]:
    """Within the block, SIGINT raises KeyboardInterrupt and SIGTERM/SIGHUP raise Terminated,
    once; later ones are ignored until the block is left. A signal the process was started with
    ignored (`nohup`, a background job of a script) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def on_signal(signum: int, frame: FrameType | None) -> None:
        for number in previous:
            signal.signal(number, signal.SIG_IGN)
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Terminated(signum)

    previous = {
        number: signal.getsignal(number)
        for number in STOP_SIGNALS
        if signal.getsignal(number) is not signal.SIG_IGN
    }
    try:
        for number in previous:
            signal.signal(number, on_signal)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
