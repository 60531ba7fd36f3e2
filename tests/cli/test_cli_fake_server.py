"""`dialog360 fake-server`: started as a process, used by the CLI, stopped with Ctrl-C."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import threading
from pathlib import Path

from cli_helpers import CLIRunner, cli_env, command

SEED_BYTES = b"%PDF-1.4 seeded document\n" * 100


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], list[str]]:
    """Starts the server; returns it and its banner (every line up to 'press Ctrl-C')."""
    process = subprocess.Popen(
        command(*args),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    banner: list[str] = []
    while True:
        line = lines.get(timeout=20)
        assert line is not None, f"the server exited early: {banner}"
        banner.append(line)
        if "Ctrl-C" in line:
            return process, banner


def _stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    finally:
        process.kill()
    assert process.stderr is not None
    return process.returncode, process.stderr.read()


def test_seeded_server_serves_the_cli(cli: CLIRunner, tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "report.pdf").write_bytes(SEED_BYTES)
    process, banner = _start(
        ["fake-server", "--port", "0", "--seed", str(seed)], cli_env(None, None)
    )
    try:
        text = "\n".join(banner)
        base_url = re.search(r"export D360_BASE_URL=(\S+)", text)
        key = re.search(r"export D360_API_KEY=(\S+)", text)
        listed = re.search(r"^\s+(\d+)\s+application/pdf\s.*report\.pdf$", text, re.MULTILINE)
        assert base_url and key and listed, text
        result = cli(
            "media",
            "download",
            listed[1],
            "-o",
            str(tmp_path / "out.pdf"),
            key=key[1],
            base_url=base_url[1],
        )
        assert result.code == 0, result.stderr
        assert (tmp_path / "out.pdf").read_bytes() == SEED_BYTES
    finally:
        code, stderr = _stop(process)
    assert code == 0, stderr
    assert "Traceback" not in stderr


def test_a_key_from_the_environment_is_used_but_not_printed(cli: CLIRunner, tmp_path: Path) -> None:
    key = "env-key-for-the-fake-4c3b2a"
    process, banner = _start(["fake-server", "--port", "0"], cli_env(None, key))
    try:
        text = "\n".join(banner)
        assert key not in text
        assert "no media yet" in text
        base_url = re.search(r"export D360_BASE_URL=(\S+)", text)
        assert base_url, text
        source = tmp_path / "a.txt"
        source.write_text("hi")
        assert cli("media", "upload", str(source), key=key, base_url=base_url[1]).code == 0
        cli("media", "get", "1", key="other-key", base_url=base_url[1]).one_error_line(1)
    finally:
        code, _ = _stop(process)
    assert code == 0
