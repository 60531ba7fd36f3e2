"""Every command's --help ends with an example; the top level documents the exit codes."""

from __future__ import annotations

import pytest
from cli_helpers import CLIRunner

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
def test_help_shows_an_example(cli: CLIRunner, words: list[str]) -> None:
    result = cli(*words, "--help")
    assert result.code == 0, result.stderr
    assert "Example" in result.out
    assert "dialog360 " in result.out.split("Example", 1)[1]


def test_top_level_help_documents_exit_codes_and_the_key(cli: CLIRunner) -> None:
    text = cli("--help").out
    for needle in (
        "exit codes",
        "130",
        "143",
        "129",
        "missing API key",
        "D360_API_KEY",
        "--api-key-file",
    ):
        assert needle in text
