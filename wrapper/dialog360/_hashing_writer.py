"""sha256 and file writes of a byte stream on a worker thread, so they overlap the receive.

The receiving side (a sync loop or an event loop) only hands chunks over; hashing and writing
release the GIL and run beside it. Chunks are handed over in blocks of about a MiB: per 64 KiB
chunk, the two threads spent more time passing the GIL and the lock back and forth than
hashing (a 100 MiB download took 1.6x raw httpx; in blocks, ~1.2x). A bounded queue keeps
memory flat: the receiver waits when the worker falls behind. Writeback of written data is
started as it goes, so the final fsync of a large file has little left to flush.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, Self

from . import _constants as C
from ._off_loop import off_loop_to_the_end, outlive

if TYPE_CHECKING:
    import asyncio

_Wake = tuple["asyncio.AbstractEventLoop", "asyncio.Future[None]"]
# What a finish does with the sha256 once every byte is written, still on the worker thread:
# judge the bytes and make the file durable and visible (so that takes no hand-off of its own).
Seal = Callable[[str], None]


class Output(Protocol):
    """Where the bytes go: a binary file, or anything with its write, flush and fileno."""

    def write(self, data: bytes, /) -> object: ...

    def flush(self) -> None: ...

    def fileno(self) -> int: ...


class _AbortedWhenLeft:
    """The `with` / `async with` forms of both writers: leaving the block aborts (after a
    finish, that only joins a finished worker); the async form waits without blocking the loop
    and, cancelled meanwhile, still waits, so that leaving the block finds the file untouched
    by any thread."""

    def abort(self) -> None:
        raise NotImplementedError

    async def aabort(self) -> None:
        self.abort()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.abort()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aabort()


class HashingWriter(_AbortedWhenLeft):
    """Hashes every chunk put into it and, given `out`, appends it to that file.

    `put`/`aput` add a chunk to the current block and hand the block over once it holds
    `block_size` bytes (waiting while `max_pending` bytes are queued);
    `finish`/`afinish` wait for the queue to drain and for `seal(sha256)` to run on the worker,
    and return the hex sha256; `abort` stops the worker at the next chunk and drops the rest
    (a seal already running is waited for). An error of the worker (a full disk) is
    raised, unchanged, by the next call. Always end with `finish` or `abort`: the `with` forms
    abort when left early.
    """

    def __init__(
        self,
        out: Output | None = None,
        *,
        max_pending: int = C.WRITER_MAX_PENDING_BYTES,
        block_size: int = C.WRITER_BLOCK_BYTES,
        writeback_step: int = C.WRITEBACK_STEP_BYTES,
    ):
        self._out = out
        self._max_pending = max_pending
        self._block_size = block_size
        self._block: list[bytes] = []
        self._block_bytes = 0
        self._writeback_step = writeback_step
        self._hash = hashlib.sha256()
        self._queue: collections.deque[bytes] = collections.deque()
        self._pending = 0
        self._closing = False
        self._aborted = False
        self._seal: Seal | None = None
        self._finished = False  # every chunk taken and the seal done: not stopped by abort
        self._done = False
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._async_waiters: list[_Wake] = []
        self._thread = threading.Thread(target=self._work, name="dialog360-writer", daemon=True)
        self._thread.start()

    # -- the receiving side ------------------------------------------------------------------

    def put(self, chunk: bytes) -> None:
        """Add `chunk`; a full block is queued, waiting while the worker is `max_pending`
        bytes behind."""
        block = self._fill_block(chunk)
        if block is None:
            return
        with self._lock:
            while self._pending >= self._max_pending and not self._stopped():
                self._changed.wait()
            self._enqueue(block)

    async def aput(self, chunk: bytes) -> None:
        """`put` for an event loop: waits without blocking the loop."""
        block = self._fill_block(chunk)
        if block is None:
            return
        while True:
            with self._lock:
                if self._pending < self._max_pending or self._stopped():
                    self._enqueue(block)
                    return
                wake = self._register_async_waiter()
            await wake

    def finish(self, seal: Seal | None = None) -> str:
        """Wait until every chunk is hashed (and written) and `seal` ran; the hex sha256."""
        with self._lock:
            self._enqueue_last_block()
            self._close(seal)
            self._changed.notify_all()
            while not self._done:
                self._changed.wait()
        return self._result()

    async def afinish(self, seal: Seal | None = None) -> str:
        """`finish` for an event loop."""
        with self._lock:
            self._enqueue_last_block()
        while True:
            with self._lock:
                self._close(seal)
                if self._done:
                    break
                wake = self._register_async_waiter()
            await wake
        return self._result()

    def abort(self) -> None:
        """Stop the worker at the next chunk; what is still queued is dropped."""
        self._stop()
        # Joined so that the caller may close or remove `out` right after: the worker is at
        # most one chunk (or a seal already running) away from seeing the flag.
        self._thread.join()

    async def aabort(self) -> None:
        """`abort` for an event loop."""
        self._stop()
        if self._thread.is_alive():
            await off_loop_to_the_end(self._thread.join)

    def _stop(self) -> None:
        with self._lock:
            self._block, self._block_bytes = [], 0
            self._pending -= sum(len(chunk) for chunk in self._queue)
            self._queue.clear()
            self._aborted = True
            self._closing = True
            self._changed.notify_all()

    # -- shared bookkeeping (with the lock held; `_fill_block` only touches the receiver's block) --

    def _fill_block(self, chunk: bytes) -> bytes | None:
        """Adds `chunk` to the current block; the block, once it is full (a new one starts)."""
        self._check_usable()
        self._block.append(chunk)
        self._block_bytes += len(chunk)
        if self._block_bytes < self._block_size:
            return None
        return self._take_block()

    def _take_block(self) -> bytes:
        block = self._block[0] if len(self._block) == 1 else b"".join(self._block)
        self._block, self._block_bytes = [], 0
        return block

    def _enqueue_last_block(self) -> None:
        # Past the bound by less than a block: the receiver has nothing more to hand over.
        if self._block and not self._closing:
            self._enqueue(self._take_block())

    def _close(self, seal: Seal | None) -> None:
        if not self._closing:
            self._seal = seal
            self._closing = True
            self._changed.notify_all()

    def _stopped(self) -> bool:
        return self._error is not None or self._done or self._closing

    def _check_usable(self) -> None:
        """Raises the worker's error, or refuses a writer already finished or aborted."""
        if self._error is not None:
            raise self._error
        if self._done or self._closing:
            raise RuntimeError("HashingWriter used after finish() or abort()")

    def _enqueue(self, chunk: bytes) -> None:
        self._check_usable()
        self._queue.append(chunk)
        self._pending += len(chunk)
        self._changed.notify_all()

    def _register_async_waiter(self) -> asyncio.Future[None]:
        import asyncio

        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._async_waiters.append((loop, future))
        return future

    def _notify(self) -> None:
        self._changed.notify_all()
        waiters, self._async_waiters = self._async_waiters, []
        for loop, future in waiters:
            # A loop that closed meanwhile has nobody left waiting on it.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_resolve, future)

    def _result(self) -> str:
        self._thread.join()
        if self._error is not None:
            raise self._error
        if not self._finished:
            raise RuntimeError("HashingWriter aborted before it finished")
        return self._hash.hexdigest()

    # -- the worker thread -------------------------------------------------------------------

    def _work(self) -> None:
        written = 0
        flushed_up_to = 0
        try:
            while True:
                with self._lock:
                    while not self._queue and not self._closing:
                        self._changed.wait()
                    if not self._queue:
                        if self._aborted:
                            return
                        seal = self._seal
                        break
                    chunk = self._queue.popleft()
                self._hash.update(chunk)
                if self._out is not None:
                    self._out.write(chunk)
                    written += len(chunk)
                    if written - flushed_up_to >= self._writeback_step:
                        self._out.flush()
                        start_writeback(self._out.fileno(), flushed_up_to, written - flushed_up_to)
                        flushed_up_to = written
                with self._lock:
                    self._pending -= len(chunk)
                    self._notify()
            if seal is not None:
                seal(self._hash.hexdigest())
            self._finished = True
        except BaseException as error:  # handed to the receiving side, which raises it
            with self._lock:
                self._error = error
        finally:
            with self._lock:
                self._done = True
                self._queue.clear()
                self._pending = 0
                self._notify()


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


_sync_file_range: Callable[[int, int, int], None] | None = None


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing a range of `fd` to disk now, without waiting for it
    (Linux sync_file_range); elsewhere nothing, and the final fsync does all the work."""
    global _sync_file_range
    if _sync_file_range is None:
        _sync_file_range = _load_sync_file_range()
    _sync_file_range(fd, offset, length)


def _load_sync_file_range() -> Callable[[int, int, int], None]:
    # ctypes is loaded on the first large download only: `import dialog360` stays light.
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        native = libc.sync_file_range
    except (OSError, AttributeError):
        return lambda fd, offset, length: None
    native.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    native.restype = ctypes.c_int
    write_flag = 2  # SYNC_FILE_RANGE_WRITE: start writeback, do not wait

    def kick(fd: int, offset: int, length: int) -> None:
        # Only a hint: a filesystem that refuses it still gets the full fsync at the end.
        native(fd, offset, length, write_flag)

    return kick


class BufferedHashingWriter(_AbortedWhenLeft):
    """HashingWriter's stand-in for small media: holds the chunks (at most the announced size,
    which the caller keeps small) and hashes them, writes them and seals the file in one go at
    the end, on a worker thread for an event loop. One hand-off per download instead of a
    thread per download, one per chunk and one to commit: for many small files that is most of
    the client's work."""

    def __init__(self, out: Output | None = None):
        self._out = out
        self._chunks: list[bytes] = []
        self._aborted = False

    def put(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    async def aput(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    def finish(self, seal: Seal | None = None) -> str:
        # One hash update and one write of the joined bytes: every call into hashlib or the
        # kernel gives the GIL up and takes it back from the event loop, which costs more than
        # the copy (the bytes are small).
        data = b"".join(self._chunks)
        self._chunks.clear()
        sha256 = hashlib.sha256(data).hexdigest()
        if self._out is not None and data:
            self._check_not_aborted()
            self._out.write(data)
        if seal is not None:
            self._check_not_aborted()
            seal(sha256)
        return sha256

    async def afinish(self, seal: Seal | None = None) -> str:
        import asyncio

        done = asyncio.get_running_loop().run_in_executor(None, self.finish, seal)
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            # The worker cannot be interrupted: it is told to stop before its next write or
            # the seal, and waited for, so that leaving the block finds the file untouched.
            self._aborted = True
            await outlive(done)
            raise

    def abort(self) -> None:
        self._aborted = True
        self._chunks.clear()

    def _check_not_aborted(self) -> None:
        if self._aborted:
            raise RuntimeError("BufferedHashingWriter aborted")


def hashing_writer(out: Output | None, expected_size: int) -> HashingWriter | BufferedHashingWriter:
    """The writer for media of `expected_size` bytes: a worker thread beside the receive for
    large media, one hand-off at the end for small ones."""
    if expected_size <= C.BUFFERED_HASHING_MAX_BYTES:
        return BufferedHashingWriter(out)
    return HashingWriter(out)
