"""A rich progress bar for uploads and downloads: bytes done/total, speed, ETA (stderr only)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from ._output import terminal_safe

Progress = Callable[[int, "int | None"], None]


@contextlib.contextmanager
def transfer_progress(
    description: str, *, enabled: bool, transient: bool = False
) -> Iterator[Progress | None]:
    """Yields an `on_progress(done, total)` callback drawing a bar on stderr, or None when
    disabled (stderr not a terminal, or --json)."""
    if not enabled:
        yield None
        return
    # rich is imported only when a bar is really drawn.
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        TaskID,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )
    from rich.progress import Progress as RichProgress

    shown = terminal_safe(description)
    columns = (
        # The description may hold a file name: shown as is, never read as rich markup.
        TextColumn("{task.description}", style="progress.description", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with RichProgress(*columns, console=Console(stderr=True), transient=transient) as bar:
        tasks: list[TaskID] = []  # added at the first report, so no "0/?" frame is drawn

        def on_progress(done: int, total: int | None) -> None:
            if not tasks:
                tasks.append(bar.add_task(shown, total=total, completed=done))
            bar.update(tasks[0], completed=done, total=total)

        yield on_progress
