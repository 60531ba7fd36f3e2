"""Failures: exit codes 1/2/130, exactly one `error:` line, no traceback, never the key."""

from __future__ import annotations

import os
import pty
import signal
import socket
import subprocess
import time
from pathlib import Path

from cli_helpers import KEY, CLIRunner, cli_env, command
from dialog360.testing import FakeServer, Fault

WRONG_KEY = "WRONG-key-9f8e7d6c5b4a-never-print-me"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_nothing_listening_is_exit_1(cli: CLIRunner) -> None:
    dead = f"http://127.0.0.1:{_free_port()}"
    line = cli("media", "get", "123", "--max-retries", "0", base_url=dead).one_error_line(1)
    assert "failed" in line
    assert dead in line  # the hint names the base URL tried


def test_wrong_key_is_exit_1_and_never_shown(cli: CLIRunner, photo_id: str) -> None:
    for extra in ((), ("-v",)):
        result = cli("media", "download", photo_id, "-o", os.devnull, *extra, key=WRONG_KEY)
        assert result.code == 1
        assert WRONG_KEY not in result.out + result.stderr
        error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(error_lines) == 1
        assert "401" in error_lines[0]
        assert "authentication" in error_lines[0]
    cli("media", "get", photo_id, key=WRONG_KEY).one_error_line(1)


def test_the_right_key_is_never_shown_either(cli: CLIRunner, photo_id: str) -> None:
    result = cli("-v", "media", "get", photo_id)
    assert result.code == 0
    assert "GET /" in result.stderr  # the request log is on
    assert KEY not in result.out + result.stderr


def test_invalid_media_id_is_exit_2(cli: CLIRunner) -> None:
    line = cli("media", "get", "abc").one_error_line(2)
    assert "invalid media id 'abc'" in line


def test_missing_key_is_exit_2_with_a_hint(cli: CLIRunner) -> None:
    line = cli("media", "get", "123", key=None).one_error_line(2)
    assert "no API key" in line
    assert "D360_API_KEY" in line


def test_unreadable_key_file_is_exit_2(cli: CLIRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    line = cli("media", "get", "1", "--api-key-file", str(missing)).one_error_line(2)
    assert str(missing) in line


def test_missing_upload_file_is_exit_1(cli: CLIRunner, tmp_path: Path) -> None:
    missing = tmp_path / "ghost.jpg"
    line = cli("media", "upload", str(missing)).one_error_line(1)
    assert "No such file" in line
    assert str(missing) in line


def test_unsupported_or_unknown_media_type_is_exit_2(cli: CLIRunner, tmp_path: Path) -> None:
    source = tmp_path / "anim.gif"
    source.write_bytes(b"GIF89a" + bytes(10))
    assert "image/gif" in cli("media", "upload", str(source)).one_error_line(2)
    unknown = tmp_path / "blob"
    unknown.write_bytes(b"x")
    assert "--mime-type" in cli("media", "upload", str(unknown)).one_error_line(2)


def test_not_found_is_exit_1(cli: CLIRunner) -> None:
    line = cli("media", "delete", "999999").one_error_line(1)
    assert "404" in line


def test_usage_errors_are_one_line_exit_2(cli: CLIRunner) -> None:
    assert "ID" in cli("media", "get").one_error_line(2)
    assert "--timeout" in cli("media", "get", "1", "--timeout", "-1").one_error_line(2)
    assert "--api-key" in cli("media", "get", "1", "--api-key", KEY).one_error_line(2)
    cli().one_error_line(2)
    cli("media", "bogus").one_error_line(2)


def test_read_refuses_a_terminal(fake: FakeServer, photo_id: str) -> None:
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            command("media", "read", photo_id),
            env=cli_env(fake.base_url),
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
            timeout=30,
            check=False,
        )
    finally:
        os.close(slave)
        os.close(master)
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1
    assert "terminal" in lines[0]


def test_ctrl_c_is_exit_130(fake: FakeServer, photo_id: str) -> None:
    fake.inject("get_media", Fault.delay(20))
    seen = len(fake.requests)
    process = subprocess.Popen(
        command("media", "get", photo_id),
        env=cli_env(fake.base_url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while len(fake.requests) == seen and time.monotonic() < deadline:
            time.sleep(0.02)  # until the request hangs in the fake's delay
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        process.kill()
        fake.clear_faults()
    assert process.returncode == 130
    assert stderr.decode().splitlines() == ["error: interrupted"]
    assert stdout == b""
