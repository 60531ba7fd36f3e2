"""-v: the dialog360 logger's DEBUG lines on stderr."""

from __future__ import annotations

import logging
import sys

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


def enable_debug_logging() -> None:
    """Show every DEBUG line of the `dialog360` logger (requests, retries) on stderr."""
    handler = _StderrHandler(logging.DEBUG)
    handler.setFormatter(
        logging.Formatter("%(asctime)s.%(msecs)03d %(name)s: %(message)s", "%H:%M:%S")
    )
    logger = logging.getLogger("dialog360")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
