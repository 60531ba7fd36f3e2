"""Every command's --help ends with an example; the top level documents the exit codes;
--version names the library's version."""

from __future__ import annotations

import dialog360
import pytest
from cli_helpers import RunCLI

COMMANDS = [
    [],
    ["media"],
    ["media", "get"],
    ["media", "download"],
    ["media", "read"],
    ["media", "delete"],
    ["media", "upload"],
    ["fake-server"],
    ["demo"],
]


@pytest.mark.parametrize("words", COMMANDS, ids=lambda words: " ".join(words) or "dialog360")
def test_help_shows_an_example(run_cli: RunCLI, words: list[str]) -> None:
    ran = run_cli(*words, "--help")
    assert ran.code == 0, ran.err
    assert "Example" in ran.out
    assert "dialog360 " in ran.out.split("Example", 1)[1]


def test_top_level_help_documents_exit_codes_and_the_key(run_cli: RunCLI) -> None:
    text = run_cli("--help").out
    for needle in (
        "exit codes",
        "130",
        "143",
        "129",
        "missing API key",
        "D360_API_KEY",
        "--api-key-file",
        '{"error": {"type"',
    ):
        assert needle in text


def test_defaults_shown_are_the_librarys(run_cli: RunCLI) -> None:
    text = " ".join(run_cli("media", "get", "--help").out.split())
    assert "(default: 2)" in text  # max_retries of Dialog360()
    assert "(default: 30)" in text  # timeout of Dialog360()
    assert dialog360.DEFAULT_BASE_URL in text


def test_version(run_cli: RunCLI) -> None:
    ran = run_cli("--version")
    assert (ran.code, ran.out, ran.err) == (0, f"dialog360 {dialog360.__version__}\n", "")
