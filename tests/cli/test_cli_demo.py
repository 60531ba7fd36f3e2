"""`dialog360 demo`: the whole flow against an in-process fake, no key and no network."""

from __future__ import annotations

from cli_helpers import RunCLI


def test_demo_runs_every_step(run_cli: RunCLI) -> None:
    ran = run_cli("demo", key=None, base_url="http://127.0.0.1:9")  # the environment is ignored
    assert ran.code == 0, ran.err
    text = ran.out
    for step in ("upload", "get", "download", "read", "retry", "delete", "get again"):
        assert f"✓ {step}" in text, text
    assert "retried: retry 1/2 of GET /whatsapp_business/attachments/" in text
    assert "after HTTP 503" in text
    assert "NotFoundError" in text
    assert "all 7 steps passed" in text
    assert ran.err == ""  # no bars when stderr is not a terminal
    assert "hash=" not in text.replace("hash=…", "")  # no signed query values in the retry line
