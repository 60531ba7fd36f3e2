"""SIGINT, SIGTERM and SIGHUP (sent to a real process): temp file removed, 128 + the signal as
exit code."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from cli_helpers import PHOTO, cli_env, command
from dialog360.testing import FakeServer, Fault


def _wait_for_partial_file(fake: FakeServer, folder: Path, requests_before: int) -> None:
    """Until the download's hidden temp file exists and the fake is sending its bytes (it then
    stalls mid-body). Small media are written in one go at the end, so the file may be empty.
    The fake serves the whole session: only requests after `requests_before` are this one's."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        receiving = any(
            request.route == "attachments" for request in fake.requests[requests_before:]
        )
        if receiving and any(p.name.startswith(".") for p in folder.iterdir()):
            return
        time.sleep(0.02)
    raise AssertionError(f"no partial download appeared in {folder}")


def _download_and_signal(
    fake: FakeServer, media_id: str, folder: Path, signum: int, *, stall: float, ignore_hup: bool
) -> tuple[int, str]:
    fake.inject("attachments", Fault.delay(stall, stall_mid_body=True))
    requests_before = len(fake.requests)
    process = subprocess.Popen(
        command("media", "download", media_id, "-o", str(folder)),
        env=cli_env(fake.base_url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # As under `nohup`: a hangup the process was started with ignored stays ignored.
        preexec_fn=(lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)) if ignore_hup else None,
    )
    try:
        _wait_for_partial_file(fake, folder, requests_before)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
        fake.clear_faults()
    return process.returncode, stderr.decode()


@pytest.mark.parametrize(
    ("signum", "code", "message"),
    [
        (signal.SIGINT, 130, "error: interrupted"),
        (signal.SIGTERM, 143, "error: stopped by SIGTERM"),
        (signal.SIGHUP, 129, "error: stopped by SIGHUP"),
    ],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
def test_a_signal_mid_download_leaves_no_temp_file(
    fake: FakeServer, photo_id: str, tmp_path: Path, signum: int, code: int, message: str
) -> None:
    returncode, stderr = _download_and_signal(
        fake, photo_id, tmp_path, signum, stall=60, ignore_hup=False
    )
    assert returncode == code, stderr
    assert stderr.splitlines() == [message]
    assert list(tmp_path.iterdir()) == []


def test_an_ignored_hangup_stays_ignored(fake: FakeServer, photo_id: str, tmp_path: Path) -> None:
    returncode, stderr = _download_and_signal(
        fake, photo_id, tmp_path, signal.SIGHUP, stall=1, ignore_hup=True
    )
    assert returncode == 0, stderr
    assert (tmp_path / f"{photo_id}.jpg").read_bytes() == PHOTO


def test_ctrl_c_while_waiting_for_the_api_is_exit_130(fake: FakeServer, photo_id: str) -> None:
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
