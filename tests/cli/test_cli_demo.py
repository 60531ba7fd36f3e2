"""`dialog360 demo`: the whole flow against an in-process fake, no key and no network."""

from __future__ import annotations

import time

from cli_helpers import CLIRunner


def test_demo_runs_every_step(cli: CLIRunner) -> None:
    started = time.monotonic()
    result = cli("demo", key=None, base_url="http://127.0.0.1:9")  # the environment is ignored
    elapsed = time.monotonic() - started
    assert result.code == 0, result.stderr
    assert elapsed < 15
    text = result.out
    for step in ("upload", "get", "download", "read", "retry", "delete", "get again"):
        assert f"✓ {step}" in text, text
    assert "retried: retry 1/2 of GET /whatsapp_business/attachments/" in text
    assert "after HTTP 503" in text
    assert "NotFoundError" in text
    assert "all 7 steps passed" in text
    assert result.stderr == ""  # no bars when stderr is not a terminal
    assert "hash=" not in text.replace("hash=…", "")  # no signed query values in the retry line
