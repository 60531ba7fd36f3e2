"""The progress bar: drawn on stderr when it is a terminal, absent when piped or with --json."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios
from pathlib import Path

import pytest
from cli_helpers import CLIRunner, cli_env, command
from dialog360.testing import FakeServer

BIG = bytes(range(256)) * 8192  # 2 MiB
BAR_MARKS = ("━", "100%", "2.1 MB")


@pytest.fixture(scope="module")
def big_id(fake: FakeServer) -> str:
    return fake.add_media(BIG, "video/mp4")


def _run_with_terminal_stderr(args: list[str], env: dict[str, str]) -> tuple[int, bytes, str]:
    """Runs the CLI with stderr on a pseudo-terminal (100 columns), stdout on a pipe."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        command(*args),
        env={**env, "TERM": "xterm-256color"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    terminal = bytearray()
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not chunk:
                break
            terminal += chunk
        stdout = process.stdout.read() if process.stdout else b""
        process.wait(timeout=30)
    finally:
        os.close(master)
        if process.stdout:
            process.stdout.close()
        process.kill()
    return process.returncode, stdout, terminal.decode("utf-8", "replace")


def test_download_draws_a_bar_on_a_terminal(fake: FakeServer, big_id: str, tmp_path: Path) -> None:
    code, stdout, terminal = _run_with_terminal_stderr(
        ["media", "download", big_id, "-o", str(tmp_path)], cli_env(fake.base_url)
    )
    assert code == 0, terminal
    assert all(mark in terminal for mark in BAR_MARKS), terminal
    assert stdout.decode().startswith("saved ")  # the result stays on stdout, bar-free
    assert (tmp_path / f"{big_id}.mp4").read_bytes() == BIG


def test_upload_draws_a_bar_on_a_terminal(fake: FakeServer, tmp_path: Path) -> None:
    source = tmp_path / "clip.mp4"
    source.write_bytes(BIG)
    code, stdout, terminal = _run_with_terminal_stderr(
        ["media", "upload", str(source)], cli_env(fake.base_url)
    )
    assert code == 0, terminal
    assert "100%" in terminal and "━" in terminal, terminal
    assert stdout.decode().startswith("uploaded clip.mp4")


def test_no_bar_with_json_even_on_a_terminal(fake: FakeServer, big_id: str, tmp_path: Path) -> None:
    code, _, terminal = _run_with_terminal_stderr(
        ["media", "download", big_id, "-o", str(tmp_path), "--json"], cli_env(fake.base_url)
    )
    assert code == 0, terminal
    assert not any(mark in terminal for mark in BAR_MARKS), terminal


def test_no_bar_when_piped(cli: CLIRunner, big_id: str, tmp_path: Path) -> None:
    result = cli("media", "download", big_id, "-o", str(tmp_path))
    assert result.code == 0
    assert result.stderr == ""
    assert not any(mark in result.out for mark in ("━", "%", "MB/s"))


def test_a_hostile_file_name_is_escaped_in_the_bar_and_the_result(
    fake: FakeServer, tmp_path: Path
) -> None:
    # A window-title sequence and rich markup in a file name: shown literally, acting on nothing.
    source = tmp_path / "\x1b]0;pwned\x07[bold red]loud.txt"
    source.write_bytes(BIG)
    code, stdout, terminal = _run_with_terminal_stderr(
        ["media", "upload", str(source)], cli_env(fake.base_url)
    )
    assert code == 0, terminal
    assert "100%" in terminal, terminal
    assert "\x1b]0;pwned" not in terminal and "\x07" not in terminal
    assert "upload \\x1b]0;pwned\\x07[bold red]loud.txt" in terminal
    assert stdout.decode().startswith("uploaded \\x1b]0;pwned\\x07[bold red]loud.txt (")
