"""`media download` failures to save: the library refuses, the CLI names the destination (never
the hidden temp file) and the reason, and nothing is left behind."""

from __future__ import annotations

import contextlib
import os
import resource
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import PHOTO, RunCLI

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
    for output, named in (
        (blocker / "cat.jpg", blocker / "cat.jpg"),
        (blocker / "deeper" / "cat.jpg", blocker / "deeper" / "cat.jpg"),
        (f"{blocker}/", blocker),  # a trailing slash asks for a folder
    ):
        ran = run_cli("media", "download", photo_id, "-o", str(output), *overwrite)
        assert ran.code == 1
        line = _only_error(ran.err)
        assert line.startswith(f"error: {named}: ")
        assert "not a folder" in line
        assert "exists" not in line
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
    assert line.startswith(f"error: {fifo}: ")
    assert "not a regular file" in line
    assert "--overwrite" not in line  # no use offering what would not help
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.jpg"]


def test_a_folder_in_the_destinations_place_is_never_replaced(
    run_cli: RunCLI, photo_id: str, tmp_path: Path
) -> None:
    occupied = tmp_path / f"{photo_id}.jpg"
    occupied.mkdir()
    ran = run_cli("media", "download", photo_id, "-o", str(tmp_path), "--overwrite")
    assert ran.code == 1
    line = _only_error(ran.err)
    assert line.startswith(f"error: {occupied}: ")
    assert "folder" in line
    assert occupied.is_dir()


@contextlib.contextmanager
def _file_size_limit(limit: int) -> Iterator[None]:
    """Every write past `limit` bytes fails with EFBIG, as on a full disk (Python ignores
    SIGXFSZ). Set in this process for the block only."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def test_a_failed_write_names_the_destination_and_leaves_nothing(
    run_cli: RunCLI, photo_id: str, tmp_path: Path
) -> None:
    assert len(PHOTO) > 100_000
    with _file_size_limit(100_000):
        ran = run_cli("media", "download", photo_id, "-o", str(tmp_path))
    assert ran.code == 1, ran.err
    target = tmp_path / f"{photo_id}.jpg"
    assert _only_error(ran.err) == f"error: {target}: File too large"
    assert list(tmp_path.iterdir()) == []
