"""Downloads hash and write beside the receive: in async code, never on the event loop."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from dialog360 import _constants as C
from dialog360 import _files

SIZES = [64 * 1024, C.BUFFERED_HASHING_MAX_BYTES + 300_000]  # buffered, and on a worker


def record_io_threads(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[int]]:
    """From now on, the threads that write, hash (sha256 is patched process-wide: start
    recording after the test's own hashing) and fsync."""
    seen: dict[str, set[int]] = {"write": set(), "hash": set(), "fsync": set()}
    real_write, real_fsync = _files.AtomicFile.write, os.fsync
    real_sha256 = hashlib.sha256

    def write(self: Any, chunk: bytes) -> None:
        seen["write"].add(threading.get_ident())
        real_write(self, chunk)

    def fsync(fd: int) -> None:
        seen["fsync"].add(threading.get_ident())
        real_fsync(fd)

    class RecordingHash:
        def __init__(self, data: bytes = b"") -> None:
            if data:
                seen["hash"].add(threading.get_ident())
            self._hash = real_sha256(data)

        def update(self, data: bytes) -> None:
            seen["hash"].add(threading.get_ident())
            self._hash.update(data)

        def hexdigest(self) -> str:
            return self._hash.hexdigest()

    monkeypatch.setattr(_files.AtomicFile, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(hashlib, "sha256", RecordingHash)
    return seen


@pytest.mark.parametrize("size", SIZES)
async def test_no_hashing_or_file_io_on_the_event_loop(
    d360: Any, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    content = server.sample_bytes(size)
    server.add_media(content)
    io_threads = record_io_threads(monkeypatch)
    path = await d360.download(server.media_id, tmp_path)
    assert path.read_bytes() == content
    for what in ("write", "hash", "fsync"):
        assert io_threads[what], f"no {what} seen"
    caller = threading.get_ident()  # the event loop's thread for the async client
    if d360.is_async:
        for what, threads in io_threads.items():
            assert caller not in threads, f"{what} ran on the event loop"
    else:
        # Large media are written by the worker beside the receive; small ones in one go.
        assert (caller in io_threads["write"]) == (size <= C.BUFFERED_HASHING_MAX_BYTES)


def record_temp_file_removals(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on, the threads that remove a download's temp file."""
    removed_on: list[int] = []
    real_unlink = os.unlink

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if ".part-" in os.fspath(path):
            removed_on.append(threading.get_ident())
        real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    return removed_on


def _everything_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.mark.parametrize("kind", ["async"])  # a task to cancel is the async side's
@pytest.mark.parametrize("size", SIZES)
async def test_temp_file_is_created_off_the_loop_and_a_cancel_meanwhile_leaves_nothing(
    d360: Any, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    import asyncio

    server.add_media(server.sample_bytes(size))
    opening, release = threading.Event(), threading.Event()
    opened_on: list[int] = []
    real_open = os.open

    def held_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if ".part-" in os.fspath(path):  # the temp file's creation, nothing else
            opened_on.append(threading.get_ident())
            opening.set()
            assert release.wait(10), "the test never let the open finish"
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", held_open)
    removed_on = record_temp_file_removals(monkeypatch)
    task = asyncio.create_task(d360.download(server.media_id, tmp_path / "in" / "photo.jpg"))
    try:
        assert await asyncio.to_thread(opening.wait, 10), "the temp file was never opened"
        assert threading.get_ident() not in opened_on  # the open is not on the event loop
        task.cancel()
        for _ in range(5):  # the task takes the cancellation while the open is still held
            await asyncio.sleep(0)
        assert not task.done()  # it waits for the thread, so nothing is left behind it
    finally:
        release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert _everything_under(tmp_path) == ["in"]  # the folder it made, and nothing in it
    assert removed_on and threading.get_ident() not in removed_on  # removed off the loop too


@pytest.mark.parametrize("kind", ["async"])
async def test_download_after_a_cancelled_one_still_works(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    # The worker threads of a cancelled download are done and gone: nothing is held.
    import asyncio

    content = server.sample_bytes(64 * 1024)
    server.add_media(content)
    task = asyncio.create_task(d360.download(server.media_id, tmp_path / "first.jpg"))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert _everything_under(tmp_path) == []
    path = await d360.download(server.media_id, tmp_path / "second.jpg")
    assert path.read_bytes() == content


@pytest.mark.parametrize("size", SIZES)
async def test_bytes_that_fail_verification_are_removed_off_the_loop(
    d360: Any, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    from dialog360 import IntegrityError

    content = server.sample_bytes(size)
    server.add_meta(server.meta(content))
    server.add_bytes(server.sample_bytes(size, seed=1))  # as many bytes, other ones
    touched_on = record_temp_file_removals(monkeypatch)
    with pytest.raises(IntegrityError):
        await d360.download(server.media_id, tmp_path / "photo.jpg")
    assert _everything_under(tmp_path) == []
    assert touched_on, "the temp file was never removed"
    if d360.is_async:
        assert threading.get_ident() not in touched_on
