"""HashingWriter: sha256 and file writes on a worker thread, bounded, errors handed back."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import io
import itertools
import threading
import time
from pathlib import Path

import pytest
from dialog360 import _hashing_writer
from dialog360._hashing_writer import HashingWriter

CHUNKS = [bytes([n]) * (1000 + n) for n in range(50)]
EXPECTED = hashlib.sha256(b"".join(CHUNKS)).hexdigest()


def wait_until(condition: object, limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.001)


class GatedFile(io.BytesIO):
    """A file whose writes wait for `gate`: a disk that is slower than the network."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def write(self, data: bytes) -> int:  # type: ignore[override]
        assert self.gate.wait(10)
        return super().write(data)


def test_hash_and_file_match_what_was_put(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    with open(target, "wb") as out, HashingWriter(out) as writer:
        for chunk in CHUNKS:
            writer.put(chunk)
        assert writer.finish() == EXPECTED
    assert target.read_bytes() == b"".join(CHUNKS)


def test_hash_only_without_a_file() -> None:
    with HashingWriter() as writer:
        for chunk in CHUNKS:
            writer.put(chunk)
        assert writer.finish() == EXPECTED
    assert HashingWriter().finish() == hashlib.sha256().hexdigest()


def test_a_slow_disk_holds_the_receiver_at_the_bound() -> None:
    out = GatedFile()
    writer = HashingWriter(out, max_pending=2500, block_size=1)
    handed_over: list[int] = []

    def receive() -> None:
        for chunk in CHUNKS:
            writer.put(chunk)
            handed_over.append(len(chunk))

    receiver = threading.Thread(target=receive)
    receiver.start()
    wait_until(lambda: writer._pending >= 2500)
    time.sleep(0.05)  # time for the receiver to run past the bound if it could
    assert sum(handed_over) <= 2500 + max(map(len, CHUNKS))
    assert receiver.is_alive()
    out.gate.set()
    receiver.join(10)
    assert writer.finish() == EXPECTED
    assert out.getvalue() == b"".join(CHUNKS)


class RecordingFile(io.BytesIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[int] = []

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.writes.append(len(data))
        return super().write(data)


@pytest.mark.parametrize("block_size", [1, 2500, 10**6])
def test_chunks_reach_the_file_in_blocks_of_at_least_the_block_size(block_size: int) -> None:
    out = RecordingFile()
    with HashingWriter(out, block_size=block_size) as writer:
        for chunk in CHUNKS:
            writer.put(chunk)
        assert writer.finish() == EXPECTED
    assert out.getvalue() == b"".join(CHUNKS)
    *full, last = out.writes
    assert all(size >= block_size for size in full)
    assert last > 0
    expected_writes = len(CHUNKS) if block_size == 1 else -(-sum(map(len, CHUNKS)) // block_size)
    assert len(out.writes) <= expected_writes


async def test_async_blocks_and_the_last_partial_block_are_written() -> None:
    out = RecordingFile()
    async with HashingWriter(out, block_size=2500) as writer:
        for chunk in CHUNKS:
            await writer.aput(chunk)
        assert await writer.afinish() == EXPECTED
    assert out.getvalue() == b"".join(CHUNKS)
    assert all(size >= 2500 for size in out.writes[:-1])


def test_a_held_block_is_dropped_by_abort() -> None:
    out = RecordingFile()
    writer = HashingWriter(out, block_size=10**6)
    writer.put(b"held")
    writer.abort()
    assert out.writes == []
    with pytest.raises(RuntimeError):
        writer.put(b"late")


class FullDisk(io.BytesIO):
    def write(self, data: bytes) -> int:  # type: ignore[override]
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_write_error_reaches_the_receiver_unchanged() -> None:
    writer = HashingWriter(FullDisk(), block_size=1)
    with pytest.raises(OSError) as caught:
        for chunk in CHUNKS * 100:
            writer.put(chunk)
        writer.finish()
    assert caught.value.errno == errno.ENOSPC
    writer.abort()  # after an error, abort is still safe


def test_abort_stops_writing_and_joins_the_worker() -> None:
    out = GatedFile()
    writer = HashingWriter(out, max_pending=10**6, block_size=1)
    for chunk in CHUNKS:
        writer.put(chunk)
    aborter = threading.Thread(target=writer.abort)
    aborter.start()
    wait_until(lambda: writer._closing)
    out.gate.set()  # the chunk in progress finishes; the queued ones are dropped
    aborter.join(10)
    assert not writer._thread.is_alive()
    assert len(out.getvalue()) <= len(CHUNKS[0])
    with pytest.raises(RuntimeError):
        writer.put(b"late")


def test_writeback_is_started_every_step(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    kicks: list[tuple[int, int]] = []
    monkeypatch.setattr(
        _hashing_writer,
        "start_writeback",
        lambda fd, offset, length: kicks.append((offset, length)),
    )
    with (
        open(tmp_path / "f", "wb") as out,
        HashingWriter(out, block_size=1, writeback_step=4000) as writer,
    ):
        for chunk in CHUNKS:
            writer.put(chunk)
        writer.finish()
    assert kicks, "writeback was never started"
    assert kicks[0][0] == 0
    for (offset, length), (next_offset, _) in itertools.pairwise(kicks):
        assert offset + length == next_offset  # contiguous ranges, nothing skipped
    assert all(length >= 4000 for _, length in kicks)


def test_real_writeback_call_accepts_a_real_file(tmp_path: Path) -> None:
    with open(tmp_path / "f", "wb") as out:
        out.write(b"x" * 10000)
        out.flush()
        _hashing_writer.start_writeback(out.fileno(), 0, 10000)  # must not raise


async def test_async_put_waits_without_blocking_the_loop() -> None:
    out = GatedFile()
    writer = HashingWriter(out, max_pending=2500, block_size=1)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    async def receive() -> str:
        for chunk in CHUNKS:
            await writer.aput(chunk)
        return await writer.afinish()

    ticking = asyncio.create_task(ticker())
    receiving = asyncio.create_task(receive())
    while writer._pending < 2500:
        await asyncio.sleep(0.001)
    before = ticks
    await asyncio.sleep(0.02)
    assert ticks > before  # the loop kept running while the receiver waited for the disk
    assert not receiving.done()
    out.gate.set()
    assert await receiving == EXPECTED
    ticking.cancel()
    assert out.getvalue() == b"".join(CHUNKS)


async def test_async_error_and_abort() -> None:
    writer = HashingWriter(FullDisk(), max_pending=1500, block_size=1)
    with pytest.raises(OSError):
        for chunk in CHUNKS * 10:
            await writer.aput(chunk)
        await writer.afinish()
    async with HashingWriter() as other:
        await other.aput(b"abc")
    assert not other._thread.is_alive()


def test_small_media_are_buffered_and_large_ones_get_a_worker() -> None:
    from dialog360 import _constants as C
    from dialog360._hashing_writer import BufferedHashingWriter, hashing_writer

    small = hashing_writer(None, C.BUFFERED_HASHING_MAX_BYTES)
    large = hashing_writer(None, C.BUFFERED_HASHING_MAX_BYTES + 1)
    assert isinstance(small, BufferedHashingWriter)
    assert isinstance(large, HashingWriter)
    large.abort()


def test_buffered_writer_hashes_and_writes_at_the_end(tmp_path: Path) -> None:
    from dialog360._hashing_writer import BufferedHashingWriter

    with open(tmp_path / "out", "wb") as out, BufferedHashingWriter(out) as writer:
        for chunk in CHUNKS:
            writer.put(chunk)
        assert out.tell() == 0  # nothing written before the end
        assert writer.finish() == EXPECTED
    assert (tmp_path / "out").read_bytes() == b"".join(CHUNKS)


async def test_buffered_writer_finishes_off_the_event_loop() -> None:
    from dialog360._hashing_writer import BufferedHashingWriter

    loop_thread = threading.get_ident()
    seen: list[int] = []

    class Recording(io.BytesIO):
        def write(self, data: bytes) -> int:  # type: ignore[override]
            seen.append(threading.get_ident())
            return super().write(data)

    out = Recording()
    async with BufferedHashingWriter(out) as writer:
        for chunk in CHUNKS:
            await writer.aput(chunk)
        assert await writer.afinish() == EXPECTED
    assert seen and loop_thread not in seen
    assert out.getvalue() == b"".join(CHUNKS)


# -- the seal: judging and committing on the worker, once every byte is written ---------------


def _writers(out: io.BytesIO) -> list[HashingWriter | _hashing_writer.BufferedHashingWriter]:
    return [HashingWriter(out), _hashing_writer.BufferedHashingWriter(out)]


@pytest.mark.parametrize("kind", [0, 1], ids=["worker", "buffered"])
def test_seal_gets_the_sha256_after_every_byte_is_written(kind: int) -> None:
    out = io.BytesIO()
    sealed: list[tuple[str, bytes, int]] = []

    def seal(sha256: str) -> None:
        sealed.append((sha256, out.getvalue(), threading.get_ident()))

    with _writers(out)[kind] as writer:
        for chunk in CHUNKS:
            writer.put(chunk)
        assert writer.finish(seal) == EXPECTED
    assert sealed == [(EXPECTED, b"".join(CHUNKS), sealed[0][2])]
    if kind == 0:
        assert sealed[0][2] != threading.get_ident()  # on the worker, no hand-off of its own


@pytest.mark.parametrize("kind", [0, 1], ids=["worker", "buffered"])
async def test_a_seal_error_reaches_the_caller_unchanged(kind: int) -> None:
    class Refused(Exception):
        pass

    def seal(sha256: str) -> None:
        raise Refused(sha256)

    async with _writers(io.BytesIO())[kind] as writer:
        for chunk in CHUNKS:
            await writer.aput(chunk)
        with pytest.raises(Refused) as caught:
            await writer.afinish(seal)
    assert caught.value.args == (EXPECTED,)


def test_abort_before_the_last_chunk_means_no_seal_and_no_result() -> None:
    out = GatedFile()
    writer = HashingWriter(out, max_pending=10**6)
    sealed: list[str] = []
    for chunk in CHUNKS:
        writer.put(chunk)
    finisher_error: list[BaseException] = []

    def finish() -> None:
        try:
            writer.finish(sealed.append)
        except BaseException as error:
            finisher_error.append(error)

    finisher = threading.Thread(target=finish)
    finisher.start()
    wait_until(lambda: writer._closing)
    aborter = threading.Thread(target=writer.abort)
    aborter.start()
    wait_until(lambda: writer._aborted)
    out.gate.set()
    aborter.join(10)
    finisher.join(10)
    assert sealed == []
    assert [type(error) for error in finisher_error] == [RuntimeError]


def test_buffered_abort_means_no_seal() -> None:
    from dialog360._hashing_writer import BufferedHashingWriter

    out = io.BytesIO()
    writer = BufferedHashingWriter(out)
    writer.put(b"abc")
    writer.abort()
    sealed: list[str] = []
    with pytest.raises(RuntimeError):
        writer.finish(sealed.append)
    assert sealed == []
