"""Running the CLI (in this process through main(argv), or as a subprocess where a real process
is the subject: signals, pipes, imports) and checking what it printed."""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

KEY = "cli-test-key-5b1e0c77d9"  # distinctive, so a leak is easy to spot
PHOTO = random.Random(7).randbytes(300_000)  # served as image/jpeg
TIMEOUT = 30.0


@dataclass
class Result:
    code: int
    stdout: bytes
    stderr: str

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    def one_error_line(self, code: int) -> str:
        """Asserts the exit code and a single `error: ...` line on stderr; returns it."""
        assert self.code == code, (self.code, self.out, self.stderr)
        lines = self.stderr.splitlines()
        assert len(lines) == 1, self.stderr
        assert lines[0].startswith("error: "), self.stderr
        assert "Traceback" not in self.stderr
        return lines[0]


@dataclass
class Ran:
    """What an in-process main(argv) returned and printed."""

    code: int
    stdout: bytes
    err: str

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    def json(self) -> Any:
        """stdout as the one JSON object it must be (one line)."""
        assert self.out.count("\n") == 1 and self.out.endswith("\n"), self.out
        return json.loads(self.out)

    def one_error_line(self, code: int) -> str:
        """Asserts the exit code and a single `error: ...` line on stderr; returns it."""
        assert self.code == code, (self.code, self.out, self.err)
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("error: "), self.err
        assert "Traceback" not in self.err
        return lines[0]


class RunCLI(Protocol):
    def __call__(self, *argv: str, base_url: str | None = None, key: str | None = KEY) -> Ran: ...


def cli_env(
    base_url: str | None, key: str | None = KEY, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The current environment without any D360_* variable, plus the given ones."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("D360_")}
    if base_url is not None:
        env["D360_BASE_URL"] = base_url
    if key is not None:
        env["D360_API_KEY"] = key
    env.update(extra or {})
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "dialog360", *args]


class CLIRunner:
    """`runner(args...)` runs the CLI against `base_url`, with KEY unless told otherwise."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def __call__(
        self,
        *args: str,
        key: str | None = KEY,
        base_url: str | None = None,
        extra_env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
    ) -> Result:
        done = subprocess.run(
            command(*args),
            env=cli_env(base_url or self.base_url, key, extra_env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            cwd=cwd,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


class HostileAPI:
    """A tiny API on 127.0.0.1 that answers `GET /{id}` with whatever a test puts in `answers`:
    `answers["123"] = (status, json_text)`. Anything else is a 404."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, str]] = {}
        answers = self.answers

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = answers.get(self.path.strip("/"), (404, '{"error": "no"}'))
                data = body.encode("utf-8", "surrogatepass")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> HostileAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class RunWithTerminal:
    def __call__(self, run_cli: RunCLI, *argv: str) -> tuple[Ran, str]:
        """Runs the CLI with stderr on a 50-column terminal; returns what it drew there."""
        screen = _Terminal()
        with contextlib.redirect_stderr(screen):
            ran = run_cli(*argv)
        return ran, screen.getvalue()
