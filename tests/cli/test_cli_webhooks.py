"""`dialog360 webhook verify|media`, run in-process through main(argv) with the body on stdin."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import webhook_payloads as wp
from cli_helpers import Ran
from dialog360 import _constants as C
from dialog360.cli import main

RAW = wp.body(wp.every_type())
GOOD = wp.sign(RAW)

Run = Callable[..., Ran]


class _Stdin(io.TextIOWrapper):
    def __init__(self, data: bytes, tty: bool):
        super().__init__(io.BytesIO(data))
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture
def secret_file(tmp_path: Path) -> str:
    path = tmp_path / "secret.txt"
    path.write_text(wp.SECRET + "\n")  # as `echo $SECRET > secret.txt` writes it
    return str(path)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> Run:
    for name in ("D360_API_KEY", "D360_BASE_URL"):
        monkeypatch.delenv(name, raising=False)

    def run(*argv: str, stdin: bytes = RAW, tty: bool = False) -> Ran:
        monkeypatch.setattr(sys, "stdin", _Stdin(stdin, tty))
        capsysbinary.readouterr()
        code = main(list(argv))
        captured = capsysbinary.readouterr()
        return Ran(code, captured.out, captured.err.decode("utf-8", "replace"))

    return run


def one_error(ran: Ran, code: int) -> str:
    assert ran.code == code, ran
    lines = ran.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), ran.err
    assert wp.SECRET not in ran.err and wp.SECRET not in ran.out
    return lines[0]


# -- verify ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature_args",
    [
        ["--signature", GOOD],
        ["--signature", f"sha256={GOOD.upper()}"],
        ["--header", f"X-Hub-Signature-256: sha256={GOOD}"],
        ["--header", f"x-360dialog-signature:{GOOD}"],
    ],
    ids=["hex", "prefixed uppercase", "meta header", "header, no space"],
)
def test_verify_a_valid_signature_exits_0(
    run: Run, secret_file: str, signature_args: list[str]
) -> None:
    ran = run("webhook", "verify", "--secret-file", secret_file, *signature_args)
    assert (ran.code, ran.out, ran.err) == (0, "valid: the signature matches the body\n", "")
    ran = run("webhook", "verify", "--secret-file", secret_file, *signature_args, "--json")
    assert (ran.code, json.loads(ran.out)) == (0, {"valid": True})


@pytest.mark.parametrize(
    ("signature_args", "body", "message"),
    [
        (["--signature", "0" * 64], RAW, "does not match"),
        (["--signature", wp.sign(RAW, "other")], RAW, "does not match"),
        (["--signature", GOOD], RAW + b"\n", "does not match"),
        (["--signature", "nonsense"], RAW, "not an HMAC-SHA256"),
        (["--header", "X-Hub-Signature-256: sha256=" + "1" * 64], RAW, "does not match"),
        (["--signature", GOOD], b" " * (C.WEBHOOK_MAX_BODY_BYTES + 1), "limit"),
    ],
    ids=["wrong", "other secret", "changed body", "malformed", "meta wrong", "too large"],
)
def test_verify_an_invalid_delivery_exits_1(
    run: Run, secret_file: str, signature_args: list[str], body: bytes, message: str
) -> None:
    ran = run("webhook", "verify", "--secret-file", secret_file, *signature_args, stdin=body)
    assert message in one_error(ran, 1)
    assert ran.out == ""


def test_verify_usage_errors_exit_2(run: Run, secret_file: str, tmp_path: Path) -> None:
    assert "no signature" in one_error(run("webhook", "verify", "--secret-file", secret_file), 2)
    assert "--secret-file" in one_error(run("webhook", "verify", "--signature", GOOD), 2)
    missing = str(tmp_path / "missing")
    line = one_error(run("webhook", "verify", "--secret-file", missing, "--signature", GOOD), 2)
    assert "secret file" in line
    empty = tmp_path / "empty"
    empty.write_text("\n")
    line = one_error(run("webhook", "verify", "--secret-file", str(empty), "--signature", GOOD), 2)
    assert "secret is empty" in line
    line = one_error(
        run("webhook", "verify", "--secret-file", secret_file, "--header", "no colon here"), 2
    )
    assert "Name: value" in line
    line = one_error(
        run("webhook", "verify", "--secret-file", secret_file, "--signature", GOOD, tty=True), 2
    )
    assert "standard input" in line


# -- media -------------------------------------------------------------------------------------


def test_media_lists_every_media_item(run: Run) -> None:
    ran = run("webhook", "media")
    assert ran.code == 0 and ran.err == ""
    lines = ran.out.splitlines()
    headings = [line for line in lines if not line.startswith(" ")]
    assert headings == [
        "image 1001 (image/jpeg)",
        "video 1002 (video/mp4)",
        "audio 1003 (audio/ogg; codecs=opus)",
        "document 1004 (application/pdf)",
        "sticker 1005 (image/webp)",
    ]
    assert f"  sha256    {wp.SHA_HEX}" in lines
    assert "  filename  '../../etc/passwd' (as sent; never used as a path)" in lines


def test_media_json(run: Run) -> None:
    ran = run("webhook", "media", "--json")
    assert ran.code == 0
    (document,) = [json.loads(line) for line in ran.out.splitlines()]
    items = document["media"]
    assert [i["media_id"] for i in items] == ["1001", "1002", "1003", "1004", "1005"]
    assert items[3] == {
        "message_id": "wamid.document",
        "type": "document",
        "media_id": "1004",
        "mime_type": "application/pdf",
        "sha256": wp.SHA_HEX,
        "sender": wp.SENDER,
        "phone_number_id": wp.PHONE_NUMBER_ID,
        "timestamp": "2025-06-08T20:59:43+00:00",
        "caption": "contract",
        "filename": "../../etc/passwd",
    }
    assert items[4]["sha256"] == wp.SHA_HEX  # sent as base64


def test_media_of_a_delivery_without_media(run: Run) -> None:
    body = wp.body(wp.envelope(wp.change(statuses=wp.STATUSES)))
    assert run("webhook", "media", stdin=body).out == "no media in this delivery\n"
    assert json.loads(run("webhook", "media", "--json", stdin=body).out) == {"media": []}


def test_sender_text_cannot_act_on_the_terminal(run: Run) -> None:
    hostile = "\x1b]0;owned\x07\r\u202eevil\x9b2J"
    document = wp.envelope(
        wp.change(
            [
                wp.message(
                    "document",
                    wp.media_object("77", mime_type=f"text/plain{hostile}", filename=hostile),
                    id=f"wamid.{hostile}",
                )
            ]
        )
    )
    document["entry"][0]["changes"][0]["value"]["messages"][0]["document"]["caption"] = hostile
    for argv in (["webhook", "media"], ["webhook", "media", "--json"]):
        ran = run(*argv, stdin=wp.body(document))
        assert ran.code == 0
        for char in ("\x1b", "\x07", "\r", "\u202e", "\x9b"):
            assert char not in ran.out, (argv, char)
    ran = run("webhook", "media", "--json", stdin=wp.body(document))
    assert json.loads(ran.out)["media"][0]["filename"] == hostile  # escaped, not lost


def test_media_checks_the_signature_when_given_a_secret(run: Run, secret_file: str) -> None:
    ran = run("webhook", "media", "--secret-file", secret_file, "--signature", GOOD)
    assert ran.code == 0 and "image 1001" in ran.out
    ran = run("webhook", "media", "--secret-file", secret_file, "--signature", "0" * 64)
    assert "does not match" in one_error(ran, 1)
    assert ran.out == ""
    assert "needs the delivery's signature" in one_error(
        run("webhook", "media", "--secret-file", secret_file), 2
    )
    assert "no --secret-file" in one_error(run("webhook", "media", "--signature", GOOD), 2)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>", "not JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b'{"object": 5, "entry": []}', "object: expected a string"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_media_of_a_bad_body_exits_1(run: Run, body: bytes, message: str) -> None:
    assert message in one_error(run("webhook", "media", stdin=body), 1)


def test_webhook_help_lists_its_commands(run: Run) -> None:
    ran = run("webhook", "--help")
    assert ran.code == 0
    assert "verify" in ran.out and "media" in ran.out
