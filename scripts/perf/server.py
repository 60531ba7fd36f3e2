"""A `FakeServer` in a process of its own, so it does not share the measured client's GIL.

Child side (run as a script): starts the fake, adds the media it is told to, prints one JSON
line (`base_url`, `api_key`, `media`: name -> {id, sha256, size}), then obeys one JSON command
per stdin line (`{"latency": [route, seconds]}`, `{"media_url": id}`) and stops at EOF.

Parent side: `ServerProcess(...)` is a context manager around that child.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import Any, Self

_HERE = Path(__file__).resolve()


class ServerProcess:
    """`with ServerProcess(key, files={"big": path}, blobs={"small": 65536}) as srv:`"""

    description = "dialog360.testing.FakeServer (files served with sendfile) in a subprocess"

    def __init__(
        self,
        api_key: str,
        *,
        files: dict[str, str | os.PathLike[str]] | None = None,
        blobs: dict[str, int] | None = None,
    ) -> None:
        args = [sys.executable, str(_HERE), "--api-key", api_key]
        for name, path in (files or {}).items():
            args += ["--file", f"{name}={os.fspath(path)}"]
        for name, size in (blobs or {}).items():
            args += ["--blob", f"{name}={size}"]
        self._args = args
        self._proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> Self:
        self._proc = subprocess.Popen(
            self._args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self._proc.kill()
            self._proc.wait()
            raise RuntimeError("the fake server subprocess did not start")
        self.info = json.loads(line)
        return self

    @property
    def base_url(self) -> str:
        return str(self.info["base_url"])

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def media(self, name: str) -> dict[str, Any]:
        """{"id", "sha256", "size"} of the media added under `name`."""
        return dict(self.info["media"][name])

    def command(self, **command: Any) -> Any:
        """Send one command, return the child's JSON answer."""
        assert self._proc is not None and self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(json.dumps(command) + "\n")
        self._proc.stdin.flush()
        return json.loads(self._proc.stdout.readline())

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def _child(argv: list[str]) -> int:
    from dialog360.testing import FakeServer  # only the child needs it

    parser = argparse.ArgumentParser()
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--file", action="append", default=[])
    parser.add_argument("--blob", action="append", default=[])
    args = parser.parse_args(argv)
    media: dict[str, dict[str, Any]] = {}
    with FakeServer(api_key=args.api_key) as server:
        for spec in args.file:
            name, _, path = spec.partition("=")
            media_id = server.add_media_file(path, mime_type="application/pdf")
            media[name] = {"id": media_id}
        for spec in args.blob:
            name, _, size = spec.partition("=")
            data = os.urandom(int(size))
            media_id = server.add_media(data, mime_type="image/jpeg")
            media[name] = {"id": media_id}
        for entry in media.values():
            stored = server.media[entry["id"]]
            entry.update(sha256=stored.sha256, size=stored.file_size)
        print(json.dumps({"base_url": server.base_url, "media": media}), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            answer: Any = None
            if "latency" in command:
                route, seconds = command["latency"]
                server.set_latency(route, float(seconds))
            elif "media_url" in command:
                answer = server.media_url(command["media_url"])
            print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
