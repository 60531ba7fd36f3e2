"""Server-supplied text reaches the terminal escaped: no control sequence, no rich markup acts."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from cli_helpers import HostileAPI, RunCLI
from dialog360.cli._demo import _Steps
from dialog360.cli._logging import debug_logging
from dialog360.cli._output import one_line, terminal_safe

# A window title, a clear screen, a carriage return that hides "ok", a C1 CSI, a right-to-left
# override, and rich markup (a style and a hyperlink).
HOSTILE = (
    "\x1b]0;pwned\x07 \x1b[2J ok\rEVIL \x9b31m \u202egpj.exe "
    "[bold red]loud[/] [link=https://evil.example]click[/link]"
)
ESCAPED = (
    "\\x1b]0;pwned\\x07",
    "\\x1b[2J",
    "ok\\rEVIL",
    "\\x9b31m",
    "\\u202egpj.exe",
    "[bold red]loud[/]",
    "[link=https://evil.example]click[/link]",
)
RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e")
MEDIA_ID = "123"
SHA = "ab" * 32


def _assert_escaped(text: str) -> None:
    for char in RAW:
        assert char not in text, repr(text)
    for shown in ESCAPED:
        assert shown in text, (shown, text)


@pytest.fixture
def hostile() -> Iterator[HostileAPI]:
    with HostileAPI() as api:
        url = f"{api.base_url}/whatsapp_business/attachments/?mid={MEDIA_ID}&x={HOSTILE}"
        api.answers[MEDIA_ID] = (
            200,
            json.dumps(
                {
                    "messaging_product": "whatsapp",
                    "id": MEDIA_ID,
                    "url": url,
                    "mime_type": "image/jpeg " + HOSTILE,
                    "sha256": SHA,
                    "file_size": 10,
                }
            ),
        )
        api.answers["124"] = (400, json.dumps({"error": HOSTILE}))
        yield api


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;t\x07", "\\x1b]0;t\\x07"),
        ("a\rb\x08c\x7f", "a\\rb\\x08c\\x7f"),
        ("\x85\x9b\x9d", "\\x85\\x9b\\x9d"),
        ("x\u202ey\u2066z\u200f", "x\\u202ey\\u2066z\\u200f"),
        ("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"),
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("lone \udcff", "lone \\udcff"),
        ("tab\tnew\nline", "tab\\tnew\\nline"),
    ],
)
def test_terminal_safe_escapes_what_a_terminal_could_act_on(raw: str, shown: str) -> None:
    assert terminal_safe(raw) == shown


def test_terminal_safe_keeps_readable_text() -> None:
    text = "café 日本語 ✓ … 🎉 C:\\path [bold] é"
    assert terminal_safe(text) == text


def test_one_line_keeps_a_carriage_return_for_escaping() -> None:
    assert terminal_safe(one_line("a\n  b\tc\rd ")) == "a b c\\rd"


def test_get_shows_a_hostile_url_and_mime_type_escaped(
    run_cli: RunCLI, hostile: HostileAPI
) -> None:
    ran = run_cli("media", "get", MEDIA_ID, base_url=hostile.base_url)
    assert ran.code == 0, ran.err
    assert ran.err == ""
    lines = ran.out.splitlines()
    assert [line.split()[0] for line in lines[:5]] == ["media", "type", "size", "sha256", "url"]
    _assert_escaped(lines[1])  # the mime type
    _assert_escaped(lines[4])  # the url


def test_get_json_escapes_c1_and_bidi_and_keeps_the_values(
    run_cli: RunCLI, hostile: HostileAPI
) -> None:
    ran = run_cli("media", "get", MEDIA_ID, "--json", base_url=hostile.base_url)
    assert ran.code == 0, ran.err
    for char in RAW:
        assert char not in ran.out
    assert "\\u009b" in ran.out and "\\u202e" in ran.out
    document = json.loads(ran.out)
    assert document["mime_type"] == "image/jpeg " + HOSTILE
    assert document["url"].endswith(HOSTILE)


def test_a_hostile_error_message_is_one_escaped_line(run_cli: RunCLI, hostile: HostileAPI) -> None:
    ran = run_cli("media", "get", "124", "--max-retries", "0", base_url=hostile.base_url)
    assert ran.code == 1
    assert ran.out == ""
    assert len(ran.err.splitlines()) == 1
    assert ran.err.startswith("error: HTTP 400")
    _assert_escaped(ran.err)


def test_a_usage_error_echoing_an_argument_is_escaped(run_cli: RunCLI) -> None:
    ran = run_cli("media", "get", "1", HOSTILE)  # argparse: "unrecognized arguments: ..."
    assert ran.code == 2
    assert len(ran.err.splitlines()) == 1
    _assert_escaped(ran.err)


def test_verbose_log_lines_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    with debug_logging():
        logging.getLogger("dialog360").debug("retry after %s", HOSTILE)
    err = capsys.readouterr().err
    assert err.endswith("\n") and err.count("\n") == 1
    _assert_escaped(err)


def test_demo_step_lines_are_escaped_and_never_markup() -> None:
    from rich.console import Console

    screen = io.StringIO()
    steps = _Steps(Console(file=screen, force_terminal=True, width=300))
    with steps.step("get") as lines:
        lines.extend([HOSTILE, "second " + HOSTILE])
    shown = screen.getvalue()
    assert "\x1b]0;pwned" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert shown.count("\\x1b]0;pwned\\x07") == 2
    assert shown.count("[bold red]loud[/]") == 2  # literally: not turned into a style
