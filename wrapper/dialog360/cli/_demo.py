"""`dialog360 demo`: the real client against an in-process fake API, step by step."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.server
import logging
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from dialog360 import Dialog360, NotFoundError, webhooks
from dialog360.testing import FakeServer, Fault

from ._errors import EXIT_OK, CLIError
from ._output import human_size, short_hash, stderr_is_terminal, terminal_safe
from ._png import gradient_png
from ._progress import transfer_progress

if TYPE_CHECKING:
    from rich.console import Console

DEMO_FILE_NAME = "demo-gradient.png"
DEMO_BACKOFF = 0.2  # seconds before the demo's first retry: quick, but long enough to see
DEMO_RECIPIENT = "+49 151 2345 6789"  # the fake accepts any well-formed number
DEMO_SENDER = "4915798765432"
DEMO_WEBHOOK_WAIT = 10.0  # seconds the fake may take to deliver its webhooks (it takes ms)


class _Receiver:
    """A webhook receiver on loopback, as an application runs one: it keeps each delivery's
    raw body and headers (for `webhooks.parse`) and answers 200."""

    def __init__(self) -> None:
        received: list[tuple[bytes, dict[str, str]]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received.append((self.rfile.read(length), dict(self.headers.items())))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass  # the demo prints its own lines

        self.received = received
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/webhook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> _Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def payloads(self, secret: str) -> list[webhooks.WebhookPayload]:
        """Every delivery so far, its signature checked and its body parsed."""
        return [
            webhooks.parse(body, headers=headers, secret=secret) for body, headers in self.received
        ]


def _statuses(payloads: list[webhooks.WebhookPayload], message_id: str) -> list[str]:
    """The status events (sent, delivered, ...) the payloads report for one message."""
    found = []
    for payload in payloads:
        for entry in payload.entry:
            for change in entry.changes:
                for status in change.value.statuses or []:
                    if status.id == message_id:
                        found.append(status.status)
    return found


class _RetryLines(logging.Handler):
    """Keeps the `retry ...` lines the dialog360 logger writes while the demo runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("retry "):
            self.lines.append(message)


@contextlib.contextmanager
def _catching_retries() -> Iterator[_RetryLines]:
    logger = logging.getLogger("dialog360")
    catcher = _RetryLines()
    level = logger.level
    logger.addHandler(catcher)
    if not logger.isEnabledFor(logging.DEBUG):
        logger.setLevel(logging.DEBUG)
    try:
        yield catcher
    finally:
        logger.removeHandler(catcher)
        logger.setLevel(level)


class _Steps:
    """Prints one line per step: a tick, the step, its time and what it showed."""

    def __init__(self, console: Console):
        self.console = console
        self.count = 0

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[list[str]]:
        """Yields a list the step fills with its lines (the first is shown beside the tick).

        The lines hold what the server said: shown as plain text, escaped, never as markup."""
        from rich.text import Text

        lines: list[str] = []
        started = time.perf_counter()
        try:
            yield lines
        except BaseException:
            self.console.print(f"  [bold red]✗ {name}[/]", soft_wrap=True)
            raise
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.count += 1
        first, *more = lines or [""]
        tick = Text.assemble(
            "  ",
            ("✓", "bold green"),
            " ",
            (f"{name:<9}", "bold"),
            " ",
            (f"{elapsed_ms:5.0f} ms", "dim"),
            "  ",
            terminal_safe(first),
        )
        self.console.print(tick, soft_wrap=True)
        for line in more:
            self.console.print(Text(" " * 24 + terminal_safe(line), style="dim"), soft_wrap=True)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _short_url(url: str) -> str:
    """`https://host/path/?mid=123&ext=...` -> `host/path/?mid=123&…`."""
    head, _, query = url.partition("?")
    first = query.split("&", 1)[0]
    return f"{head.split('://', 1)[-1]}?{first}&…"


def run_demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    console = Console(highlight=False)
    bars = stderr_is_terminal()
    started = time.perf_counter()
    png = gradient_png()
    digest = hashlib.sha256(png).hexdigest()
    size = human_size(len(png))

    secret = secrets.token_hex(16)
    with (
        _Receiver() as receiver,
        FakeServer(
            api_key="demo-" + secrets.token_hex(8),
            webhook_url=receiver.url,
            webhook_secret=secret,
        ) as server,
        tempfile.TemporaryDirectory(prefix="dialog360-demo-") as temp,
        Dialog360(
            api_key=server.api_key, base_url=server.base_url, backoff_initial=DEMO_BACKOFF
        ) as client,
        _catching_retries() as retries,
    ):
        console.print(
            "[bold]dialog360 demo[/]: the real client (and a webhook receiver) against a fake "
            "360dialog API "
            "in this process (no key, no network)",
            soft_wrap=True,
        )
        console.print(
            terminal_safe(f"fake API at {server.base_url}; temp folder {temp}"),
            style="dim",
            markup=False,
        )
        console.print()
        steps = _Steps(console)
        source = Path(temp) / DEMO_FILE_NAME
        source.write_bytes(png)

        with steps.step("upload") as out, transfer_progress("  upload", enabled=bars) as bar:
            media_id = client.media.upload(source, on_progress=bar).id
            out.append(f"{DEMO_FILE_NAME} (image/png, {size}, made just now) → media {media_id}")

        with steps.step("get") as out:
            info = client.media.get(media_id)
            if info.sha256 != digest or info.file_size != len(png):
                raise CLIError("the metadata does not describe the uploaded file")
            out.append(
                f"{info.mime_type}, {human_size(info.file_size)}, sha256 {short_hash(digest)}"
            )
            out.append(f"url {_short_url(info.url)} (valid 5 min; fetched via the base URL)")

        with steps.step("download") as out, transfer_progress("  download", enabled=bars) as bar:
            inbox = Path(temp) / "inbox"
            inbox.mkdir()
            path = client.media.download(media_id, inbox, on_progress=bar)
            if path.read_bytes() != png:
                raise CLIError(f"{path} differs from the upload")
            out.append(f"→ inbox/{path.name}, size and sha256 verified, then moved into place")

        with steps.step("read") as out:
            if client.media.read(media_id) != png:
                raise CLIError("read() returned other bytes than were uploaded")
            out.append(f"{size} in memory, byte for byte the upload")

        with steps.step("send") as out:
            answer = client.messages.send_media(
                DEMO_RECIPIENT, media_id=media_id, type="image", caption="made by the demo"
            )
            message_id = answer.messages[0].id
            server.wait_for_deliveries(DEMO_WEBHOOK_WAIT)
            events = _statuses(receiver.payloads(secret), message_id)
            if events[-2:] != ["sent", "delivered"]:
                raise CLIError(f"expected the statuses sent, delivered; the webhook said {events}")
            out.append(f"image message {message_id[:16]}… to {DEMO_RECIPIENT}")
            out.append(f"webhook status events (signed, verified): {', '.join(events)}")

        with steps.step("inbound") as out:
            before = len(receiver.received)
            server.send_inbound_media(png, "image/png", caption="hi!", sender=DEMO_SENDER)
            server.wait_for_deliveries(DEMO_WEBHOOK_WAIT)
            delivered = receiver.payloads(secret)[before:]
            items = [item for payload in delivered for item in webhooks.media_items(payload)]
            if len(items) != 1:
                raise CLIError(f"expected one inbound media, the webhook carried {len(items)}")
            (item,) = items
            inbound = Path(temp) / "inbound"
            inbound.mkdir()
            path = client.media.download(item, inbound)
            if path.read_bytes() != png:
                raise CLIError(f"{path} differs from what the customer sent")
            out.append(
                f"webhook from {item.sender}: {item.type} {item.media_id} ({item.mime_type}), "
                "signature verified"
            )
            out.append(f"→ inbound/{path.name}, sha256 of the webhook and of the API verified")

        with steps.step("retry") as out:
            server.inject("attachments", Fault.status(503))
            if client.media.read(media_id) != png or not retries.lines:
                raise CLIError("the injected HTTP 503 was not retried as expected")
            out.append("injected one HTTP 503 on the download; the client waited and recovered")
            out.extend(f"retried: {line}" for line in retries.lines)

        with steps.step("delete") as out:
            client.media.delete(media_id)
            out.append(f"media {media_id} deleted")

        with steps.step("get again") as out:
            try:
                client.media.get(media_id)
            except NotFoundError as error:
                out.append(
                    f"a get now raises NotFoundError (HTTP {error.status_code}), as it should"
                )
            else:
                raise CLIError("the media could still be fetched after delete")

    total = time.perf_counter() - started
    console.print()
    console.print(
        f"[bold green]all {steps.count} steps passed[/] in {total:.2f} s · {size} up, down and "
        f"read · sha256 {short_hash(digest)} · {_count(len(retries.lines), 'retry', 'retries')} · "
        "temp folder removed",
        soft_wrap=True,
    )
    console.print(
        "[dim]next: `dialog360 fake-server` to try the commands yourself, or set D360_API_KEY "
        "and run `dialog360 media download <id>`[/]",
        soft_wrap=True,
    )
    return EXIT_OK
