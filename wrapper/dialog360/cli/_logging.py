"""-v: the dialog360 logger's DEBUG lines on stderr."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

from ._output import terminal_safe


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time, so lines printed while a progress bar is
    drawn go through rich's redirection and appear above the bar instead of through it."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # A logged url or server answer may hold control sequences: escaped line by line.
            lines = self.format(record).split("\n")
            sys.stderr.write("\n".join(map(terminal_safe, lines)) + "\n")
            sys.stderr.flush()
        except Exception:
            self.handleError(record)


@contextlib.contextmanager
def debug_logging() -> Iterator[None]:
    """Within the block, every DEBUG line of the `dialog360` logger (requests, retries) goes to
    stderr; afterwards the logger is as it was (main() may run many times in one process)."""
    handler = _StderrHandler(logging.DEBUG)
    handler.setFormatter(
        logging.Formatter("%(asctime)s.%(msecs)03d %(name)s: %(message)s", "%H:%M:%S")
    )
    logger = logging.getLogger("dialog360")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
