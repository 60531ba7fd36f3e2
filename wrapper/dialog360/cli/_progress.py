"""A rich progress bar for uploads and downloads on stderr: what, how far, how much, and the
speed, or why there is none: waiting for the server, or stalled (and for how long).

It fits a 50-column terminal: the description gives way first, then the bar.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich import filesize
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    ProgressColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
)
from rich.progress import Progress as RichProgress
from rich.table import Column
from rich.text import Text

from ._output import terminal_safe

Progress = Callable[[int, "int | None"], None]

STALL_SECONDS = 3.0  # no new byte for this long: the speed gives way to "stalled <time>"
STATE_WIDTH = len("stalled 59s")
# Room for the bar, percentage, byte counts and state; the description gets the rest.
OTHER_COLUMNS_WIDTH = 38
DESCRIPTION_WIDTHS = (8, 40)  # the fewest and most columns the description takes


def transfer_state(
    *, done: int, total: int | None, idle: float, speed: float | None, took: float | None
) -> str:
    """What the last column shows: the speed while bytes flow; `waiting` before the first byte
    and after the last one (the server has yet to answer); `stalled` when bytes stopped coming;
    the average speed once the transfer is over (`took` seconds)."""
    if took is not None:
        return _rate(done / took) if took > 0 and done else "done"
    if done == 0 or (total is not None and done >= total):
        return "waiting" + (f" {_duration(idle)}" if idle >= 1 else "")
    if idle >= STALL_SECONDS:
        return f"stalled {_duration(idle)}"
    return _rate(speed) if speed else ""


def _rate(bytes_per_second: float) -> str:
    return f"{filesize.decimal(int(bytes_per_second))}/s"


def _duration(seconds: float) -> str:
    """`12s`, `4m`, `2h`: short enough for the state column."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m"
    return f"{whole // 3600}h"


class StateColumn(ProgressColumn):
    """The speed, or `waiting` / `stalled` (see transfer_state)."""

    def render(self, task: Task) -> Text:
        state = transfer_state(
            done=int(task.completed),
            total=None if task.total is None else int(task.total),
            idle=task.get_time() - task.fields["changed_at"],
            speed=task.speed,
            took=task.elapsed if task.stop_time is not None else None,
        )
        return Text(state, style="progress.data.speed")


def make_progress(console: Console, *, transient: bool = False) -> RichProgress:
    """A rich Progress with these columns, the description as wide as `console` allows.

    Each task needs a `changed_at` field: the time (`task.get_time()`) of its last new byte."""
    low, high = DESCRIPTION_WIDTHS
    room = max(low, min(high, console.width - OTHER_COLUMNS_WIDTH))
    return RichProgress(
        # The description may hold a file name: shown as is, never read as rich markup.
        TextColumn(
            "{task.description}",
            style="progress.description",
            markup=False,
            table_column=Column(max_width=room, no_wrap=True, overflow="ellipsis"),
        ),
        BarColumn(bar_width=None, table_column=Column(ratio=1)),
        TaskProgressColumn(table_column=Column(no_wrap=True)),
        DownloadColumn(table_column=Column(no_wrap=True)),
        StateColumn(table_column=Column(width=STATE_WIDTH, no_wrap=True)),
        console=console,
        transient=transient,
    )


class _Bar:
    """Started by the first report, so nothing is drawn for a transfer refused before it began."""

    def __init__(self, description: str, stack: contextlib.ExitStack, transient: bool):
        self._description = terminal_safe(description)
        self._stack = stack
        self._transient = transient
        self._progress: RichProgress | None = None
        self._task = TaskID(0)
        self._done = -1

    def report(self, done: int, total: int | None) -> None:
        if self._progress is None:
            progress = make_progress(Console(stderr=True), transient=self._transient)
            self._progress = self._stack.enter_context(progress)
            self._task = progress.add_task(self._description, total=total, changed_at=0.0)
        if done != self._done:  # a repeated count is no sign of life
            self._done = done
            now = self._progress.get_time()
            self._progress.update(self._task, completed=done, total=total, changed_at=now)

    def finish(self) -> None:
        if self._progress is not None:
            self._progress.stop_task(self._task)


@contextlib.contextmanager
def transfer_progress(
    description: str, *, enabled: bool, transient: bool = False
) -> Iterator[Progress | None]:
    """Yields an `on_progress(done, total)` callback drawing a bar on stderr, or None when
    disabled (stderr not a terminal, or --json)."""
    if not enabled:
        yield None
        return
    with contextlib.ExitStack() as stack:
        bar = _Bar(description, stack, transient)
        yield bar.report
        bar.finish()
