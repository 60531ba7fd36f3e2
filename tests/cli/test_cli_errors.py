"""Failures: exit 1 or 2, exactly one `error:` line, no traceback, never the key; with --json
also one JSON object on stdout. Told by the error's type and attributes, not its wording."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import socket
from pathlib import Path

import dialog360
import httpx
import pytest
from cli_helpers import KEY, RunCLI
from dialog360.cli._errors import describe
from dialog360.testing import FakeServer

WRONG_KEY = "WRONG-key-9f8e7d6c5b4a-never-print-me"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_nothing_listening_is_exit_1_and_names_the_base_url(run_cli: RunCLI) -> None:
    dead = f"http://127.0.0.1:{_free_port()}"
    ran = run_cli("media", "get", "123", "--max-retries", "0", base_url=dead)
    line = ran.one_error_line(1)
    assert "GET /123 failed" in line
    assert f"is the API reachable at {dead}?" in line


def test_wrong_key_is_exit_1_and_never_shown(run_cli: RunCLI, photo_id: str) -> None:
    for extra in ((), ("-v",), ("--json",)):
        ran = run_cli("media", "download", photo_id, "-o", "/dev/null", *extra, key=WRONG_KEY)
        assert ran.code == 1
        assert WRONG_KEY not in ran.out + ran.err
        error_lines = [line for line in ran.err.splitlines() if line.startswith("error:")]
        assert len(error_lines) == 1
        assert "401" in error_lines[0]
        assert "authentication failed" in error_lines[0]
    run_cli("media", "get", photo_id, key=WRONG_KEY).one_error_line(1)


def test_the_right_key_is_never_shown_either(run_cli: RunCLI, photo_id: str) -> None:
    ran = run_cli("-v", "media", "get", photo_id)
    assert ran.code == 0
    assert "GET /" in ran.err  # the request log is on
    assert KEY not in ran.out + ran.err


def test_verbose_logging_ends_with_the_command(run_cli: RunCLI, photo_id: str) -> None:
    assert "GET /" in run_cli("-v", "media", "get", photo_id).err
    assert run_cli("media", "get", photo_id).err == ""


def test_invalid_media_id_is_exit_2(run_cli: RunCLI) -> None:
    line = run_cli("media", "get", "abc").one_error_line(2)
    assert "invalid media id 'abc'" in line


def test_missing_key_is_exit_2_with_a_hint(run_cli: RunCLI) -> None:
    line = run_cli("media", "get", "123", key=None).one_error_line(2)
    assert "no API key" in line
    assert "D360_API_KEY or --api-key-file" in line


def test_a_bad_base_url_is_exit_2_with_a_hint(run_cli: RunCLI) -> None:
    line = run_cli("media", "get", "123", "--base-url", "ftp://example.com").one_error_line(2)
    assert "invalid base URL 'ftp://example.com'" in line
    assert "--base-url or D360_BASE_URL" in line


@pytest.mark.parametrize("content", ["", "  \n"], ids=["empty", "blank"])
def test_an_empty_key_file_is_exit_2(run_cli: RunCLI, tmp_path: Path, content: str) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(content)
    line = run_cli("media", "get", "1", "--api-key-file", str(key_file)).one_error_line(2)
    assert line == f"error: --api-key-file {key_file} is empty"


def test_unreadable_key_file_is_exit_2(run_cli: RunCLI, tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    line = run_cli("media", "get", "1", "--api-key-file", str(missing)).one_error_line(2)
    assert line == f"error: cannot read --api-key-file {missing}: No such file or directory"


def test_missing_upload_file_is_exit_1(run_cli: RunCLI, tmp_path: Path) -> None:
    missing = tmp_path / "ghost.jpg"
    line = run_cli("media", "upload", str(missing)).one_error_line(1)
    assert line == f"error: {missing}: No such file or directory"


def test_unsupported_or_unknown_media_type_is_exit_2(
    run_cli: RunCLI, fake: FakeServer, tmp_path: Path
) -> None:
    fake.clear_requests()
    source = tmp_path / "anim.gif"
    source.write_bytes(b"GIF89a" + bytes(10))
    assert "'image/gif'" in run_cli("media", "upload", str(source)).one_error_line(2)
    unknown = tmp_path / "blob"
    unknown.write_bytes(b"x")
    assert "--mime-type" in run_cli("media", "upload", str(unknown)).one_error_line(2)
    line = run_cli("media", "upload", str(tmp_path)).one_error_line(2)  # a folder
    assert "not a regular file" in line
    assert fake.requests == []  # refused before anything was sent


def test_not_found_is_exit_1(run_cli: RunCLI) -> None:
    line = run_cli("media", "delete", "999999").one_error_line(1)
    assert "404" in line
    assert "unknown, deleted or expired media id" in line


def test_usage_errors_are_one_line_exit_2(run_cli: RunCLI) -> None:
    assert "ID" in run_cli("media", "get").one_error_line(2)
    assert "--timeout" in run_cli("media", "get", "1", "--timeout", "-1").one_error_line(2)
    assert "--api-key" in run_cli("media", "get", "1", "--api-key", KEY).one_error_line(2)
    assert "see 'dialog360 --help'" in run_cli().one_error_line(2)
    assert "see 'dialog360 media --help'" in run_cli("media", "bogus").one_error_line(2)


def test_json_errors_are_one_object_on_stdout(run_cli: RunCLI) -> None:
    ran = run_cli("media", "get", "999999", "--json")
    line = ran.one_error_line(1)
    assert ran.json() == {
        "error": {
            "type": "NotFoundError",
            "message": line.removeprefix("error: ").removesuffix(
                " (unknown, deleted or expired media id)"
            ),
            "hint": "unknown, deleted or expired media id",
            "status_code": 404,
            "exit_code": 1,
        }
    }
    assert ran.json()["error"]["message"].startswith("HTTP 404 from GET /999999")


def test_json_usage_errors_too(run_cli: RunCLI) -> None:
    ran = run_cli("media", "get", "--json")  # refused by the parser: no command ran
    ran.one_error_line(2)
    assert ran.json() == {
        "error": {
            "type": "UsageError",
            "message": "the following arguments are required: ID",
            "hint": "see 'dialog360 media get --help'",
            "exit_code": 2,
        }
    }
    ran = run_cli("media", "get", "x1", "--json")
    ran.one_error_line(2)
    assert ran.json()["error"]["type"] == "InvalidMediaIdError"
    assert "status_code" not in ran.json()["error"]


def test_json_errors_never_show_the_key(run_cli: RunCLI, photo_id: str) -> None:
    ran = run_cli("media", "get", photo_id, "--json", key=WRONG_KEY)
    ran.one_error_line(1)
    assert ran.json()["error"]["type"] == "AuthenticationError"
    assert ran.json()["error"]["status_code"] == 401
    assert WRONG_KEY not in ran.out + ran.err


def test_without_json_nothing_goes_to_stdout(run_cli: RunCLI) -> None:
    ran = run_cli("media", "get", "999999")
    ran.one_error_line(1)
    assert ran.stdout == b""


class _Terminal(io.TextIOWrapper):
    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")

    def isatty(self) -> bool:
        return True


def test_read_refuses_a_terminal(run_cli: RunCLI, fake: FakeServer, photo_id: str) -> None:
    fake.clear_requests()
    terminal = _Terminal()
    with contextlib.redirect_stdout(terminal):
        ran = run_cli("media", "read", photo_id)
    line = ran.one_error_line(2)
    assert "refusing to write binary media to a terminal" in line
    terminal.flush()
    assert terminal.buffer.getvalue() == b""  # type: ignore[attr-defined]
    assert fake.requests == []


def _response(status: int) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", "http://api.test/1"))


@pytest.mark.parametrize(
    ("error", "code", "hint"),
    [
        (
            dialog360.RateLimitError(
                "HTTP 429", status_code=429, response=_response(429), retry_after=12.0
            ),
            1,
            "wait 12 s; repeated failures can block the endpoint",
        ),
        (
            dialog360.PermissionDeniedError("HTTP 403", status_code=403, response=_response(403)),
            1,
            "this API key may not access that media",
        ),
        (
            dialog360.APITimeoutError("GET /1 failed: timed out"),
            1,
            "the server is slow or unreachable; see --timeout",
        ),
        (
            dialog360.IntegrityError("sha256 differs", expected="a", actual="b"),
            1,
            "nothing was saved; try again",
        ),
        (dialog360.ServerError("HTTP 502", status_code=502, response=_response(502)), 1, None),
        (
            PermissionError(errno.EACCES, "Permission denied", "/srv/in/1.jpg"),
            1,
            None,
        ),
        (ValueError("surprise"), 1, "please report this bug"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
def test_errors_are_told_by_type(error: Exception, code: int, hint: str | None) -> None:
    failure = describe(error)
    assert (failure.exit_code, failure.type, failure.hint) == (code, type(error).__name__, hint)
    assert "\n" not in failure.line()
    document = json.loads(json.dumps(failure.document()))
    assert document["error"]["type"] == type(error).__name__
    assert document["error"].get("status_code") == getattr(error, "status_code", None)


def test_an_os_error_names_its_file_and_reason() -> None:
    error = PermissionError(errno.EACCES, "Permission denied", "/srv/in/1.jpg")
    assert describe(error).message == "/srv/in/1.jpg: Permission denied"
    exists = FileExistsError(errno.EEXIST, "whatever the library says", "/srv/in/1.jpg")
    failure = describe(exists)
    assert (failure.message, failure.hint) == (
        "/srv/in/1.jpg already exists",
        "pass --overwrite to replace it",
    )
