"""A reader that goes away (`| head -c1`), a closed stdout or stderr: exit 1, no traceback.

A broken pipe is a real process's (its last flush at exit must not complain either)."""

from __future__ import annotations

import contextlib
import os
import subprocess

import pytest
from cli_helpers import PHOTO, RunCLI, cli_env, command
from dialog360.testing import FakeServer

COMMANDS = [["media", "get"], ["media", "get", "--json"], ["media", "read"]]
IDS = [" ".join(words) for words in COMMANDS]


def _with_id(words: list[str], media_id: str) -> list[str]:
    return [*words[:2], media_id, *words[2:]]


@pytest.mark.parametrize("json", [(), ("--json",)], ids=["raw", "json"])
def test_head_c1_on_read(fake: FakeServer, photo_id: str, json: tuple[str, ...]) -> None:
    # The media is larger than a pipe holds: the write is still going when the reader leaves
    # (Python's buffered writer then reports a short write, not an error: nothing may be lost
    # silently with exit 0).
    assert len(PHOTO) > 2 * 65536
    process = subprocess.Popen(
        command("media", "read", photo_id, *json),
        env=cli_env(fake.base_url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(1) == (b"{" if json else PHOTO[:1])
        process.stdout.close()
        stderr = process.stderr.read()
        process.wait(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 1
    assert stderr == b""


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
def test_a_pipe_nobody_reads(fake: FakeServer, photo_id: str, words: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to the pipe now fails with EPIPE
    try:
        done = subprocess.run(
            command(*_with_id(words, photo_id)),
            env=cli_env(fake.base_url),
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=30,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert done.stderr == b""


@pytest.mark.parametrize("words", COMMANDS, ids=IDS)
def test_a_closed_stdout(run_cli: RunCLI, photo_id: str, words: list[str]) -> None:
    # Started as `dialog360 ... >&-`, Python sets sys.stdout to None.
    with contextlib.redirect_stdout(None):
        ran = run_cli(*_with_id(words, photo_id))
    assert ran.code == 1
    assert ran.err == ""


def test_a_closed_stderr_keeps_errors_off_stdout(run_cli: RunCLI) -> None:
    # Started as `dialog360 ... 2>&-`, Python sets sys.stderr to None.
    with contextlib.redirect_stderr(None):
        ran = run_cli("media", "get", "999999")
    assert ran.code == 1
    assert ran.stdout == b""
