"""`dialog360 fake-server`: started as a process, used by the CLI, stopped with Ctrl-C."""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.server
import queue
import re
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from cli_helpers import CLIRunner, cli_env, command
from dialog360.cli._errors import UsageError
from dialog360.cli._fake_server_command import _banner, add_webhook_options, build_server

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


# -- webhooks (the options, the server they build, the banner; in-process) --


def _webhook_args(tmp_path: Path, *argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_webhook_options(parser)
    args = parser.parse_args(argv)
    args.host, args.port, args.seed, args.api_key_file = "127.0.0.1", 0, None, None
    return args


def test_webhook_options_build_a_delivering_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    received: list[tuple[str | None, bytes]] = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["X-360Dialog-Signature"], body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    secret_file = tmp_path / "secret"
    secret_file.write_text("s3cret-for-hooks\n")
    with http.server.HTTPServer(("127.0.0.1", 0), Receiver) as receiver:
        url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        args = _webhook_args(
            tmp_path, "--webhook-url", url, "--webhook-secret-file", str(secret_file)
        )
        server, made_up = build_server(args)
        with server:
            inbound_url = f"{server.base_url}/_fake/inbound-media"
            _banner(server, made_up, signed=True)
            inbound = server.send_inbound_media(b"%PDF", "application/pdf")
            thread = threading.Thread(target=receiver.handle_request)
            thread.start()
            [delivery] = server.wait_for_deliveries()
            thread.join()
    assert delivery.state == "delivered" and delivery.message_id == inbound.message_id
    [(signature, body)] = received
    assert signature == hmac.new(b"s3cret-for-hooks", body, hashlib.sha256).hexdigest()
    banner = capsys.readouterr().out
    assert f"webhooks go to {url} (signed)" in banner
    assert inbound_url in banner
    assert "s3cret" not in banner


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["--webhook-url", "http://example.com/hook"], "loopback"),
        (["--webhook-url", "https://127.0.0.1/hook"], "http://"),
        (["--webhook-secret-file", "{secret}"], "needs --webhook-url"),
        (["--webhook-url", "http://127.0.0.1/", "--webhook-secret-file", "{missing}"], "read"),
        (["--webhook-url", "http://127.0.0.1/", "--webhook-secret-file", "{empty}"], "empty"),
    ],
)
def test_bad_webhook_options_are_usage_errors(
    tmp_path: Path, argv: list[str], problem: str
) -> None:
    (tmp_path / "secret").write_text("s")
    (tmp_path / "empty").write_text(" \n")
    paths = {name: str(tmp_path / name) for name in ("secret", "missing", "empty")}
    args = _webhook_args(tmp_path, *(item.format(**paths) for item in argv))
    with pytest.raises(UsageError, match=problem):
        build_server(args)
