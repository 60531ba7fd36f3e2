"""`media download` failures to save: the right reason, naming the destination, nothing left."""

from __future__ import annotations

import errno
import os
import resource
import stat
import subprocess
from pathlib import Path

import pytest
from cli_helpers import PHOTO, RunCLI, cli_env, command
from dialog360.cli._destination import saving_error
from dialog360.testing import FakeServer

OVERWRITE = pytest.mark.parametrize("overwrite", [(), ("--overwrite",)], ids=["", "overwrite"])


def _only_error(ran_err: str) -> str:
    lines = ran_err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), ran_err
    assert ".part" not in lines[0]
    return lines[0]


@OVERWRITE
def test_a_parent_that_is_a_file_is_named_not_called_existing(
    run_cli: RunCLI, photo_id: str, tmp_path: Path, overwrite: tuple[str, ...]
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    for output, target in (
        (blocker / "cat.jpg", blocker / "cat.jpg"),
        (blocker / "deeper" / "cat.jpg", blocker / "deeper" / "cat.jpg"),
        (f"{blocker}/", blocker / f"{photo_id}.jpg"),  # a trailing slash asks for a folder
    ):
        ran = run_cli("media", "download", photo_id, "-o", str(output), *overwrite)
        assert ran.code == 1
        line = _only_error(ran.err)
        assert line == f"error: cannot save {target}: {blocker} is a file, not a folder"
        assert blocker.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_existing_file_needs_overwrite(run_cli: RunCLI, photo_id: str, tmp_path: Path) -> None:
    target = tmp_path / "cat.jpg"
    target.write_bytes(b"mine")
    ran = run_cli("media", "download", photo_id, "-o", str(target))
    assert ran.code == 1
    assert _only_error(ran.err) == (
        f"error: {target} already exists (pass --overwrite to replace it)"
    )
    assert target.read_bytes() == b"mine"


@OVERWRITE
def test_a_fifo_is_never_replaced(
    run_cli: RunCLI, photo_id: str, tmp_path: Path, overwrite: tuple[str, ...]
) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    ran = run_cli("media", "download", photo_id, "-o", str(fifo), *overwrite)
    assert ran.code == 1
    line = _only_error(ran.err)
    assert line == f"error: {fifo} is a FIFO, not a regular file; it is never replaced"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.jpg"]


def test_a_folder_in_the_destinations_place_is_never_replaced(
    run_cli: RunCLI, photo_id: str, tmp_path: Path
) -> None:
    occupied = tmp_path / f"{photo_id}.jpg"
    occupied.mkdir()
    ran = run_cli("media", "download", photo_id, "-o", str(tmp_path), "--overwrite")
    assert ran.code == 1
    assert "is a folder, not a regular file" in _only_error(ran.err)
    assert occupied.is_dir()


def _limit_file_size() -> None:
    # Every write past 100 kB fails with EFBIG, as on a full disk (Python ignores SIGXFSZ).
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))


def test_a_failed_write_names_the_destination_and_leaves_nothing(
    fake: FakeServer, photo_id: str, tmp_path: Path
) -> None:
    assert len(PHOTO) > 100_000
    done = subprocess.run(
        command("media", "download", photo_id, "-o", str(tmp_path)),
        env={**cli_env(fake.base_url), "PYTHONDONTWRITEBYTECODE": "1"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
        preexec_fn=_limit_file_size,
    )
    assert done.returncode == 1, done.stderr
    target = tmp_path / f"{photo_id}.jpg"
    assert _only_error(done.stderr.decode()) == f"error: cannot save {target}: File too large"
    assert list(tmp_path.iterdir()) == []


def test_library_errors_are_told_by_type_and_name_the_destination(tmp_path: Path) -> None:
    # What the library raises while saving (from mkdir, open of the temp file, link): the
    # message follows the exception's type and what is on disk, never the library's wording.
    target = tmp_path / "inbox" / "cat.jpg"
    temp = target.with_name(".cat.jpg.part-0123456789ab")
    denied = PermissionError(errno.EACCES, "Permission denied", str(temp))
    assert saving_error(denied, target, overwrite=False).message == (
        f"cannot save {target}: Permission denied"
    )

    (tmp_path / "inbox").write_text("a file where the folder belongs")
    for blocked in (
        FileExistsError(errno.EEXIST, "File exists", str(tmp_path / "inbox")),  # mkdir
        NotADirectoryError(errno.ENOTDIR, "Not a directory", str(target)),
    ):
        error = saving_error(blocked, target, overwrite=True)
        assert (
            error.message == f"cannot save {target}: {tmp_path / 'inbox'} is a file, not a folder"
        )
        assert error.hint is None

    (tmp_path / "inbox").unlink()
    (tmp_path / "inbox").mkdir()
    target.write_bytes(b"appeared meanwhile")
    raced = FileExistsError(errno.EEXIST, "File exists", str(temp), str(target))  # link()
    error = saving_error(raced, target, overwrite=False)
    assert error.message == f"{target} already exists"
    assert error.hint == "pass --overwrite to replace it"
