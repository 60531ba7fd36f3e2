"""Everything the CLI writes: one JSON object for scripts, or a few short lines for people.

Text from a server (a url, a mime type, an error body), from the file system or from an
exception can hold terminal control sequences: a window-title or clear-screen escape, a carriage
return that hides what came before it, a C1 control, a right-to-left override. Every line goes
through `terminal_safe` here (the demo's rich lines too), so such characters appear escaped
(`\\x1b`, `\\u202e`) instead of acting on the terminal.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Mapping
from typing import TextIO

from rich import filesize

_LAYOUT_WHITESPACE = re.compile(r"[ \t\n]+")
_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


class OutputClosed(Exception):
    """stdout is closed or its reader went away (`... | head -c1`): nothing more to say."""


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal could act on written as a visible escape.

    Escaped: everything `str.isprintable()` refuses but a plain space: C0 and C1 controls, DEL,
    format characters (bidi overrides, zero-width joiners), line and paragraph separators,
    surrogates, unassigned code points, non-ASCII spaces.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escaped(char) for char in text)


def one_line(text: str) -> str:
    """Newlines and runs of spaces collapsed, so a message is always exactly one line."""
    return _LAYOUT_WHITESPACE.sub(" ", text).strip()


def emit(line: str = "") -> None:
    """A line of human output on stdout."""
    _write(terminal_safe(line) + "\n")


def emit_json(document: Mapping[str, object]) -> None:
    """One JSON object on one line of stdout; characters a terminal could act on are \\u escapes
    (json.dumps escapes only C0 controls; C1 controls and bidi overrides would pass raw)."""
    text = json.dumps(document, ensure_ascii=False)
    if not text.isprintable():
        text = "".join(char if char.isprintable() else _json_escaped(char) for char in text)
    _write(text + "\n")


def emit_bytes(data: bytes) -> None:
    """Raw bytes on stdout (media for a pipe or a file)."""
    _write_bytes(_stdout(), data)


def warn(line: str) -> None:
    """A line on stderr; if stderr is gone too (a hung-up terminal) there is no one to tell."""
    if sys.stderr is None:  # started with stderr closed; print() would fall back to stdout
        return
    with contextlib.suppress(OSError, ValueError):
        print(terminal_safe(line), file=sys.stderr, flush=True)


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush at exit cannot fail loudly."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def human_size(size: int | None) -> str:
    """`1234567` -> `1.2 MB` (decimal units, as the progress bar shows them)."""
    return "unknown size" if size is None else filesize.decimal(size)


def short_hash(sha256: str) -> str:
    """The first 12 hex digits, enough to recognise a file."""
    return sha256[:12] + "…" if len(sha256) > 12 else sha256


def stderr_is_terminal() -> bool:
    """Whether progress bars may be drawn (stderr is a terminal)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (raw media bytes must not go there)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _stdout() -> TextIO:
    # Started with stdout closed (`>&-`), Python sets sys.stdout to None.
    if sys.stdout is None:
        raise OutputClosed
    return sys.stdout


def _write(text: str) -> None:
    stdout = _stdout()
    if not hasattr(stdout, "buffer"):  # a text-only stream, as some embedding callers set
        try:
            stdout.write(text)
            stdout.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise OutputClosed from exc
        return
    _write_bytes(stdout, text.encode(stdout.encoding or "utf-8", stdout.errors or "strict"))


def _write_bytes(stdout: TextIO, data: bytes) -> None:
    try:
        stdout.flush()
        view = memoryview(data)
        while view:
            # When the reader leaves mid-write, the buffered writer reports a short write
            # rather than an error (the rest silently dropped); the next write raises.
            view = view[stdout.buffer.write(view) :]
        stdout.buffer.flush()
    except (BrokenPipeError, ValueError) as exc:  # ValueError: the file was closed
        raise OutputClosed from exc


def _escaped(char: str) -> str:
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _json_escaped(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells a character beyond the BMP as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
