"""`dialog360 demo`: the whole flow against an in-process fake, no key and no network."""

from __future__ import annotations

from cli_helpers import RunCLI


def test_demo_runs_every_step(run_cli: RunCLI) -> None:
    ran = run_cli("demo", key=None, base_url="http://127.0.0.1:9")  # the environment is ignored
    assert ran.code == 0, ran.err
    text = ran.out
    steps = ("upload", "get", "download", "read", "send", "inbound", "retry", "delete", "get again")
    for step in steps:
        assert f"✓ {step}" in text, text
    assert "webhook status events (signed, verified): sent, delivered" in text
    assert "signature verified" in text and "sha256 of the webhook and of the API verified" in text
    assert "retried: retry 1/2 of GET /whatsapp_business/attachments/" in text
    assert "after HTTP 503" in text
    assert "NotFoundError" in text
    assert "all 9 steps passed" in text
    assert ran.err == ""  # no bars when stderr is not a terminal
    assert "hash=" not in text.replace("hash=…", "")  # no signed query values in the retry line
