"""The progress bar: drawn on stderr when it is a terminal, absent when piped or with --json;
it shows the speed, or `waiting` / `stalled` when no bytes come, and fits 50 columns."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from cli_helpers import RunCLI, RunWithTerminal
from dialog360.cli._progress import STALL_SECONDS, make_progress, transfer_state
from dialog360.testing import FakeServer
from rich.console import Console

BIG = bytes(range(256)) * 8192  # 2 MiB
BAR_MARKS = ("━", "100%", "2.1/2.1 MB")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def big_id(fake: FakeServer) -> str:
    return fake.add_media(BIG, "video/mp4")


def _lines(drawn: str) -> list[str]:
    """The text lines a terminal would show (colours and cursor moves dropped)."""
    return [line for line in ANSI.sub("", drawn.replace("\r", "\n")).split("\n") if line.strip()]


def test_download_draws_a_bar_on_a_terminal(
    run_cli: RunCLI, on_terminal: RunWithTerminal, big_id: str, tmp_path: Path
) -> None:
    ran, drawn = on_terminal(run_cli, "media", "download", big_id, "-o", str(tmp_path))
    assert ran.code == 0, drawn
    assert all(mark in drawn for mark in BAR_MARKS), drawn
    last = _lines(drawn)[-1]
    assert last.startswith(big_id[:11] + "…")  # the media id, as much as fits
    assert re.search(r"100% 2\.1/2\.1 MB +[\d.]+ [kMG]B/s", last), last  # the average speed
    assert ran.out.startswith("saved ")  # the result stays on stdout, bar-free
    assert (tmp_path / f"{big_id}.mp4").read_bytes() == BIG


def test_upload_draws_a_bar_on_a_terminal(
    run_cli: RunCLI, on_terminal: RunWithTerminal, tmp_path: Path
) -> None:
    source = tmp_path / "clip.mp4"
    source.write_bytes(BIG)
    ran, drawn = on_terminal(run_cli, "media", "upload", str(source))
    assert ran.code == 0, drawn
    assert "100%" in drawn and "━" in drawn, drawn
    assert ran.out.startswith("uploaded clip.mp4")


def test_every_line_drawn_fits_50_columns(
    run_cli: RunCLI, on_terminal: RunWithTerminal, big_id: str, tmp_path: Path
) -> None:
    _, drawn = on_terminal(run_cli, "media", "download", big_id, "-o", str(tmp_path))
    lines = _lines(drawn)
    assert lines
    assert max(len(line) for line in lines) <= 50, lines


def test_a_refused_download_draws_no_bar(
    run_cli: RunCLI, on_terminal: RunWithTerminal, big_id: str, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.mp4"
    taken.write_bytes(b"mine")
    ran, drawn = on_terminal(run_cli, "media", "download", big_id, "-o", str(taken))
    assert ran.code == 1
    assert _lines(drawn) == [f"error: {taken} already exists (pass --overwrite to replace it)"]


def test_no_bar_with_json_even_on_a_terminal(
    run_cli: RunCLI, on_terminal: RunWithTerminal, big_id: str, tmp_path: Path
) -> None:
    ran, drawn = on_terminal(run_cli, "media", "download", big_id, "-o", str(tmp_path), "--json")
    assert ran.code == 0, drawn
    assert drawn == ""


def test_no_bar_when_piped(run_cli: RunCLI, big_id: str, tmp_path: Path) -> None:
    ran = run_cli("media", "download", big_id, "-o", str(tmp_path))
    assert ran.code == 0
    assert ran.err == ""
    assert not any(mark in ran.out for mark in ("━", "%", "MB/s"))


def test_a_hostile_file_name_is_escaped_in_the_bar_and_the_result(
    run_cli: RunCLI, on_terminal: RunWithTerminal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A window-title sequence and rich markup in a file name: shown literally, acting on nothing.
    monkeypatch.setenv("COLUMNS", "120")  # room for the whole name
    source = tmp_path / "\x1b]0;pwned\x07[bold red]loud.txt"
    source.write_bytes(BIG)
    ran, drawn = on_terminal(run_cli, "media", "upload", str(source))
    assert ran.code == 0, drawn
    assert "100%" in drawn, drawn
    assert "\x1b]0;pwned" not in drawn and "\x07" not in drawn
    assert "\\x1b]0;pwned\\x07[bold red]loud.txt" in drawn
    assert ran.out.startswith("uploaded \\x1b]0;pwned\\x07[bold red]loud.txt (")


@pytest.mark.parametrize(
    ("done", "total", "idle", "speed", "took", "shown"),
    [
        (0, 100, 0.2, None, None, "waiting"),  # before the first byte
        (0, 100, 7.9, None, None, "waiting 7s"),
        (40, 100, 0.1, 1_500_000.0, None, "1.5 MB/s"),
        (40, 100, STALL_SECONDS - 0.1, 1_500_000.0, None, "1.5 MB/s"),
        (40, 100, STALL_SECONDS, 1_500_000.0, None, "stalled 3s"),  # not a frozen speed
        (40, None, 75.0, 1_500_000.0, None, "stalled 1m"),
        (40, 100, 7200.0, 1_500_000.0, None, "stalled 2h"),
        (100, 100, 4.0, 1_500_000.0, None, "waiting 4s"),  # sent: the server has to answer
        (2_000_000, 2_000_000, 0.0, None, 0.5, "4.0 MB/s"),  # over: the average speed
        (0, 0, 0.0, None, 0.0, "done"),
    ],
)
def test_the_state_column(
    done: int, total: int | None, idle: float, speed: float | None, took: float | None, shown: str
) -> None:
    assert transfer_state(done=done, total=total, idle=idle, speed=speed, took=took) == shown


@pytest.mark.parametrize("width", [50, 80, 200])
def test_a_stalled_download_with_a_long_id_fits_the_terminal(width: int) -> None:
    screen = io.StringIO()
    console = Console(file=screen, width=width, color_system=None)
    progress = make_progress(console)
    task = progress.add_task("7" * 64, total=16_400_000, changed_at=0.0)
    now = progress.get_time()
    progress.update(task, completed=1_234_567, changed_at=now - 12)
    console.print(progress.get_renderable())
    lines = screen.getvalue().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert len(line) <= width
    assert line.startswith("7777777") and "…" in line
    assert "8% 1.2/16.4 MB" in line
    assert line.rstrip().endswith("stalled 12s")
