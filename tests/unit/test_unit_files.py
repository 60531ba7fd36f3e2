"""Where downloads land: only regular files are replaced, placement without hard links, temp
names that fit, errors that name the destination, and no leftovers on any exception."""

from __future__ import annotations

import errno
import os
import socket
import stat
from pathlib import Path
from typing import Any

import pytest
from dialog360 import _files
from dialog360._files import AtomicFile, temp_name

JPEG = b"\xff\xd8\xff\xe0" + b"fake jpeg body " * 100


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- only regular files are ever replaced ---------------------------------------------------


@pytest.mark.parametrize("overwrite", [False, True])
async def test_fifo_is_never_replaced_and_nothing_is_asked(
    d360: Any, server: Any, tmp_path: Path, overwrite: bool
) -> None:
    fifo = tmp_path / "photo.jpg"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file") as info:
        await d360.download(server.media_id, fifo, overwrite=overwrite)
    assert not isinstance(info.value, FileExistsError)  # no "pass overwrite" advice
    assert info.value.filename == str(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert server.requests() == []
    assert _names(tmp_path) == ["photo.jpg"]


@pytest.mark.parametrize("overwrite", [False, True])
async def test_unix_socket_is_never_replaced(
    d360: Any, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overwrite: bool
) -> None:
    monkeypatch.chdir(tmp_path)  # AF_UNIX paths are limited to ~108 bytes: bind a short one
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind("s.jpg")
        with pytest.raises(OSError, match="not a regular file"):
            await d360.download(server.media_id, tmp_path / "s.jpg", overwrite=overwrite)
        assert stat.S_ISSOCK(os.lstat(tmp_path / "s.jpg").st_mode)
    assert server.requests() == []


async def test_link_to_a_device_is_never_replaced(d360: Any, server: Any, tmp_path: Path) -> None:
    # Renaming over the link would only replace the link, but the caller meant the device.
    link = tmp_path / "null.jpg"
    link.symlink_to("/dev/null")
    with pytest.raises(OSError, match="not a regular file"):
        await d360.download(server.media_id, link, overwrite=True)
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert server.requests() == []


async def test_fifo_under_the_folder_name_is_refused_before_the_bytes(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_meta(server.meta(JPEG))
    os.mkfifo(tmp_path / f"{server.media_id}.jpg")
    with pytest.raises(OSError, match="not a regular file"):
        await d360.download(server.media_id, tmp_path, overwrite=True)
    assert server.bytes_requests() == []
    assert stat.S_ISFIFO(os.lstat(tmp_path / f"{server.media_id}.jpg").st_mode)


async def test_folder_under_the_file_name_is_refused(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_meta(server.meta(JPEG))
    (tmp_path / f"{server.media_id}.jpg").mkdir()
    with pytest.raises(IsADirectoryError):
        await d360.download(server.media_id, tmp_path, overwrite=True)
    assert server.bytes_requests() == []


async def test_link_to_a_regular_file_is_replaced_not_its_target(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    server.add_media(JPEG)
    target = tmp_path / "kept.jpg"
    target.write_bytes(b"untouched")
    link = tmp_path / "link.jpg"
    link.symlink_to(target)
    assert await d360.download(server.media_id, link, overwrite=True) == link
    assert not link.is_symlink()
    assert link.read_bytes() == JPEG
    assert target.read_bytes() == b"untouched"


# -- a parent that is a file ----------------------------------------------------------------


@pytest.mark.parametrize("overwrite", [False, True])
@pytest.mark.parametrize("below", ["x.jpg", "sub/x.jpg", "inbox/"])
async def test_parent_that_is_a_file_is_not_a_directory_error(
    d360: Any, server: Any, tmp_path: Path, overwrite: bool, below: str
) -> None:
    (tmp_path / "file.txt").write_bytes(b"a file")
    destination = f"{tmp_path}/file.txt/{below}"
    with pytest.raises(NotADirectoryError) as info:
        await d360.download(server.media_id, destination, overwrite=overwrite)
    assert "exists" not in str(info.value)
    assert info.value.filename is not None
    assert info.value.filename.startswith(f"{tmp_path}/file.txt")
    assert server.requests() == []
    assert (tmp_path / "file.txt").read_bytes() == b"a file"


async def test_folder_destination_that_is_a_file_with_slash(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    (tmp_path / "file.txt").write_bytes(b"a file")
    with pytest.raises(NotADirectoryError):
        await d360.download(server.media_id, f"{tmp_path}/file.txt/")
    assert server.requests() == []


# -- long names -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a" * 236 + ".jpg", "b" * 251 + ".jpg", "é" * 125 + ".jpg"])
async def test_long_destination_names_work(
    d360: Any, server: Any, tmp_path: Path, name: str
) -> None:
    assert len(os.fsencode(name)) in (240, 255, 254)
    server.add_media(JPEG)
    target = tmp_path / name
    assert await d360.download(server.media_id, target) == target
    assert target.read_bytes() == JPEG
    assert _names(tmp_path) == [name]


async def test_a_name_too_long_for_the_filesystem_names_the_destination(
    d360: Any, server: Any, tmp_path: Path
) -> None:
    target = tmp_path / ("c" * 252 + ".jpg")
    with pytest.raises(OSError) as info:
        await d360.download(server.media_id, target)
    assert info.value.errno == errno.ENAMETOOLONG
    assert info.value.filename == str(target)
    assert ".part-" not in str(info.value)
    assert _names(tmp_path) == []


async def test_temp_names_fit_a_filesystem_with_shorter_names(
    d360: Any, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # eCryptfs allows 143 bytes: the temp name is cut to what the folder says it takes.
    real_open, created = os.open, []

    def open_143(path: Any, *args: Any, **kwargs: Any) -> int:
        name = os.path.basename(os.fspath(path))
        if ".part-" in name:
            if len(os.fsencode(name)) > 143:
                raise OSError(errno.ENAMETOOLONG, "File name too long", os.fspath(path))
            created.append(name)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_143)
    monkeypatch.setattr(os, "pathconf", lambda path, name: 143)
    server.add_media(JPEG)
    target = tmp_path / ("b" * 136 + ".jpg")  # fits in 143, its temp name would not
    assert await d360.download(server.media_id, target) == target
    assert target.read_bytes() == JPEG
    assert len(created) == 1 and len(os.fsencode(created[0])) <= 143
    assert _names(tmp_path) == [target.name]


@pytest.mark.parametrize("name", ["x.jpg", "a" * 255, "é" * 127, "😀" * 63])
@pytest.mark.parametrize("name_max", [255, 143, 20])
def test_temp_name_fits_the_limit(name: str, name_max: int) -> None:
    made = temp_name(name, "0123456789ab", name_max)
    assert len(os.fsencode(made)) <= name_max
    assert made.startswith(".")
    assert made.endswith(".part-0123456789ab")
    made.encode("utf-8")  # never cut inside a character


# -- filesystems without hard links ---------------------------------------------------------


@pytest.mark.parametrize("code", [errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK])
async def test_placement_without_hard_links(
    d360: Any, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", no_links)
    server.add_media(JPEG)
    path = await d360.download(server.media_id, tmp_path)
    assert path.read_bytes() == JPEG
    assert _names(tmp_path) == [path.name]


@pytest.mark.parametrize("hard_links", [True, False])
async def test_file_appearing_during_the_download_is_never_clobbered(
    d360: Any, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    if not hard_links:

        def no_links(*args: Any, **kwargs: Any) -> None:
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_links)
    server.add_media(JPEG)
    target = tmp_path / "photo.jpg"

    def someone_else_writes(done: int, total: int | None) -> None:
        if done == total:
            target.write_bytes(b"someone else's file")

    with pytest.raises(FileExistsError) as info:
        await d360.download(server.media_id, target, on_progress=someone_else_writes)
    assert info.value.filename == str(target)
    assert info.value.filename2 is None
    assert ".part-" not in str(info.value)
    assert target.read_bytes() == b"someone else's file"
    assert _names(tmp_path) == ["photo.jpg"]


def test_claim_is_removed_when_placing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "replace", interrupted)
    target = tmp_path / "photo.jpg"
    with pytest.raises(KeyboardInterrupt), AtomicFile(target, overwrite=False) as out:
        out.write(JPEG)
        out.commit()
    assert _names(tmp_path) == []


def test_claim_of_someone_else_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "photo.jpg"

    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    def replaced_meanwhile(*args: Any, **kwargs: Any) -> None:
        target.unlink()
        target.write_bytes(b"theirs")
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "replace", replaced_meanwhile)
    with pytest.raises(OSError) as info, AtomicFile(target, overwrite=False) as out:
        out.write(JPEG)
        out.commit()
    assert info.value.filename == str(target)
    assert target.read_bytes() == b"theirs"
    assert _names(tmp_path) == ["photo.jpg"]


# -- no leftovers, whatever ends the block --------------------------------------------------


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit, GeneratorExit, RuntimeError])
def test_any_exception_removes_the_temp_file(tmp_path: Path, error: type[BaseException]) -> None:
    target = tmp_path / "photo.jpg"
    with pytest.raises(error), AtomicFile(target, overwrite=False) as out:
        out.write(JPEG)
        assert out.temp_path is not None and out.temp_path.exists()
        raise error
    assert _names(tmp_path) == []


def test_write_errors_name_the_destination(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "photo.jpg"

    def full_disk(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as info, AtomicFile(target, overwrite=False) as out:
        out.create()
        monkeypatch.setattr(os, "write", full_disk)
        out.write(JPEG)
    assert info.value.errno == errno.ENOSPC
    assert info.value.filename == str(target)
    assert _names(tmp_path) == []


def test_a_short_write_is_continued_until_all_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write

    def a_little_at_a_time(fd: int, data: Any) -> int:
        return real_write(fd, bytes(data)[:1000])

    target = tmp_path / "photo.jpg"
    content = JPEG * 50
    with AtomicFile(target, overwrite=False) as out:
        monkeypatch.setattr(os, "write", a_little_at_a_time)
        out.write(content)
        monkeypatch.undo()
        out.commit()
    assert target.read_bytes() == content


def test_refuse_existing_is_what_the_cli_calls(tmp_path: Path) -> None:
    target = tmp_path / "photo.jpg"
    _files.refuse_existing(target, overwrite=False)  # nothing there: fine
    target.write_bytes(b"x")
    with pytest.raises(FileExistsError):
        _files.refuse_existing(target, overwrite=False)
    _files.refuse_existing(target, overwrite=True)


def test_nothing_touches_the_disk_before_the_first_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new" / "photo.jpg"
    with AtomicFile(target, overwrite=False) as out:
        assert not (tmp_path / "new").exists()  # for an event loop: entering does no I/O
        out.write(JPEG)
        assert out.temp_path is not None and out.temp_path.parent == target.parent
        out.commit()
        # Placed: leaving the block must not remove or unlink anything any more.
        monkeypatch.setattr(os, "unlink", lambda *args: pytest.fail("unlink after commit"))
    assert target.read_bytes() == JPEG


def test_empty_media_are_committed_without_a_write(tmp_path: Path) -> None:
    target = tmp_path / "empty.bin"
    with AtomicFile(target, overwrite=False) as out:
        out.commit()
    assert target.read_bytes() == b""
    assert _names(tmp_path) == ["empty.bin"]


def test_a_temp_name_taken_by_someone_else_is_not_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secrets

    monkeypatch.setattr(secrets, "token_hex", lambda n: "0" * (2 * n))
    target = tmp_path / "photo.jpg"
    theirs = tmp_path / temp_name("photo.jpg", "0" * 12, 255)
    theirs.write_bytes(b"not ours")
    with pytest.raises(FileExistsError), AtomicFile(target, overwrite=False) as out:
        out.write(JPEG)
    assert theirs.read_bytes() == b"not ours"


def test_an_interrupt_right_after_the_create_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A signal's KeyboardInterrupt is raised between two bytecodes: here, the first one after
    # the temp file was created, before the file object knows its descriptor.
    real_open = os.open

    def open_then_interrupted(path: Any, flags: int, mode: int = 0o777) -> int:
        real_open(path, flags, mode)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", open_then_interrupted)
    with (
        pytest.raises(KeyboardInterrupt),
        AtomicFile(tmp_path / "photo.jpg", overwrite=False) as out,
    ):
        out.create()
    monkeypatch.undo()
    assert _names(tmp_path) == []
