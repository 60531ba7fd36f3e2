"""Blocking work handed from an event loop to a worker thread, awaited.

asyncio is imported on first use: `import dialog360` stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")


async def off_loop(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` on a worker thread, awaited: blocking file work, kept off the loop."""
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


async def off_loop_to_the_end(function: Callable[..., object], *args: Any) -> None:
    """`off_loop`, waited for to its end even when the caller is cancelled meanwhile (for
    cleanup that must be done when the caller's task ends); the cancellation is raised then."""
    import asyncio

    await outlive(asyncio.get_running_loop().run_in_executor(None, function, *args))


async def outlive(work: asyncio.Future[Any]) -> None:
    """Wait for `work` to end even through cancellation, which is raised once it has ended."""
    import asyncio

    cancelled: asyncio.CancelledError | None = None
    while not work.done():
        try:
            await asyncio.wait([work])
        except asyncio.CancelledError as error:
            cancelled = error
    if not work.cancelled():
        work.exception()  # seen: an error of the work is not the waiting caller's to report
    if cancelled is not None:
        raise cancelled
