"""A 360dialog webhook receiver that downloads every inbound media, verified, exactly once.

    uvicorn --factory --app-dir examples/webhook_receiver receiver:app_from_env

What it does, and why:

- checks the signature over the raw body (401 if wrong) and parses the delivery (400 if it is
  not a webhook); a refused delivery is re-sent by 360dialog, a wrong one was never theirs;
- writes each new media message to a journal (fsync) and only then answers 200: what it
  acknowledged survives even a crash, and is resumed at the next start;
- skips every message id it has journaled already: 360dialog re-delivers for up to a day,
  and a re-delivery must not produce a second download or a second file;
- downloads in the background, a bounded number at a time, with `AsyncDialog360`: each file
  is verified (size and sha256, the webhook's sha256 included) and placed whole, named
  `<media_id><ext>` (never after the sender's file name); a failed download is tried again
  with growing delays;
- on shutdown refuses new deliveries (503, so they are re-sent) and finishes the queue; what
  does not finish within DRAIN_SECONDS stays journaled and is resumed at the next start.

Configuration (environment): D360_API_KEY and D360_BASE_URL (the client's own),
WEBHOOK_SECRET_FILE (required), INBOX_DIR (default ./inbox), STATE_DIR (the journal; default
./receiver-state), DOWNLOAD_CONCURRENCY (4), DOWNLOAD_ATTEMPTS (6), RETRY_DELAY (1.0 seconds,
doubled per attempt), DRAIN_SECONDS (60).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dialog360
from dialog360 import AsyncDialog360, webhooks
from dialog360_api.models import InboundMediaObject
from fastapi import FastAPI, Request, Response

log = logging.getLogger("webhook_receiver")

# Errors no later attempt can cure: the media is gone, or the webhook was unusable.
PERMANENT = (dialog360.NotFoundError, dialog360.InvalidMediaIdError, dialog360.WebhookError)


@dataclass(frozen=True)
class Settings:
    secret: bytes
    inbox: Path
    state_dir: Path
    concurrency: int = 4
    attempts: int = 6
    retry_delay: float = 1.0
    drain_seconds: float = 60.0


@dataclass(frozen=True)
class Job:
    """One media message to download (what the journal keeps to resume it)."""

    message_id: str
    media_id: str
    sha256: str | None

    def source(self) -> InboundMediaObject:
        media = InboundMediaObject(id=self.media_id)
        if self.sha256 is not None:
            media.sha256 = self.sha256
        return media


class Journal:
    """An append-only JSON-lines file: `queued`, then `done` or `failed`, per message id."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._lock = threading.Lock()
        self.state: dict[str, str] = {}
        self.pending: dict[str, Job] = {}
        self._load()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def _load(self) -> None:
        with contextlib.suppress(FileNotFoundError), open(self._path, "rb") as file:
            for line in file:
                try:
                    record = json.loads(line)
                    message_id, event = record["message_id"], record["event"]
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a crash
                self.state[message_id] = event
                if event == "queued":
                    self.pending[message_id] = Job(
                        message_id, record["media_id"], record.get("sha256")
                    )
                else:
                    self.pending.pop(message_id, None)

    def seen(self, message_id: str) -> bool:
        return message_id in self.state

    def write(self, records: list[dict[str, Any]]) -> None:
        """Append and fsync (blocking: call it off the event loop)."""
        data = b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in records)
        with self._lock:
            if self._fd < 0:
                raise RuntimeError("the journal is closed")
            os.write(self._fd, data)
            os.fsync(self._fd)

    def close(self) -> None:
        # Under the lock: a write still running on a worker thread finishes first.
        with self._lock:
            os.close(self._fd)
            self._fd = -1


class Receiver:
    def __init__(self, settings: Settings, client: AsyncDialog360):
        self.settings = settings
        self.client = client
        self.journal = Journal(settings.state_dir / "journal.jsonl")
        self.queue: asyncio.Queue[Job] = asyncio.Queue()
        self.closing = False
        self._workers: list[asyncio.Task[None]] = []
        # Journal writes of concurrent deliveries run one at a time, in arrival order.
        self._journal_lock = asyncio.Lock()

    async def start(self) -> None:
        self.settings.inbox.mkdir(parents=True, exist_ok=True)
        # dialog360 downloads into `.<name>.part-<random>` beside the file and removes it on
        # any error; only a killed process leaves one behind.
        for orphan in self.settings.inbox.glob(".*.part-*"):
            orphan.unlink(missing_ok=True)
        for job in self.journal.pending.values():  # acknowledged before a crash or a timeout
            self.queue.put_nowait(job)
        self._workers = [
            asyncio.create_task(self._work(), name=f"download-{n}")
            for n in range(self.settings.concurrency)
        ]

    async def stop(self) -> None:
        self.closing = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.queue.join(), self.settings.drain_seconds)
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        await self.client.close()
        self.journal.close()
        left = len([s for s in self.journal.state.values() if s == "queued"])
        log.info("stopped; %d downloads left for the next start", left)

    async def deliver(self, body: bytes, headers: Any) -> Response:
        if self.closing:
            return Response("shutting down", status_code=503, headers={"Retry-After": "30"})
        try:
            payload = webhooks.parse(body, headers=headers, secret=self.settings.secret)
            items = webhooks.media_items(payload)
        except webhooks.WebhookSignatureError:
            return Response("bad signature", status_code=401)
        except webhooks.WebhookError as error:
            log.warning("refused a delivery: %s", error)
            return Response("not a webhook", status_code=400)
        async with self._journal_lock:
            jobs = {}
            for item in items:
                if not self.journal.seen(item.message_id) and item.message_id not in jobs:
                    jobs[item.message_id] = Job(item.message_id, item.media_id, item.sha256)
            if jobs:
                records = [{"event": "queued", **vars(job)} for job in jobs.values()]
                await asyncio.to_thread(self.journal.write, records)
                for job in jobs.values():
                    self.journal.state[job.message_id] = "queued"
                    self.queue.put_nowait(job)
        return Response(status_code=200)

    async def _work(self) -> None:
        while True:
            job = await self.queue.get()
            try:
                event = await self._download(job)
                await asyncio.to_thread(self.journal.write, [{"event": event, **vars(job)}])
                self.journal.state[job.message_id] = event
            finally:
                self.queue.task_done()

    async def _download(self, job: Job) -> str:
        delay = self.settings.retry_delay
        for attempt in range(1, self.settings.attempts + 1):
            try:
                path = await self.client.media.download(job.source(), self.settings.inbox)
            except FileExistsError:
                # Placed (whole and verified) by an earlier run that stopped before journaling.
                return "done"
            except PERMANENT as error:
                log.error("media %s of %s: %s", job.media_id, job.message_id, error)
                return "failed"
            except dialog360.Dialog360Error as error:
                log.warning("media %s, attempt %d: %s", job.media_id, attempt, error)
                await asyncio.sleep(delay)
                delay *= 2
            else:
                log.info("saved %s", path)
                return "done"
        return "failed"


def create_app(settings: Settings, client_factory: Callable[[], AsyncDialog360]) -> FastAPI:
    receiver: Receiver | None = None

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        nonlocal receiver
        receiver = Receiver(settings, client_factory())
        await receiver.start()
        try:
            yield
        finally:
            await receiver.stop()

    app = FastAPI(lifespan=lifespan)

    @app.post("/webhook")
    async def webhook(request: Request) -> Response:
        assert receiver is not None
        body = await _bounded_body(request)
        if body is None:
            return Response("too large", status_code=413)
        return await receiver.deliver(body, request.headers)

    return app


async def _bounded_body(request: Request) -> bytes | None:
    """The body, or None once it passes the webhook size cap (never held whole beyond it)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > webhooks.MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def app_from_env() -> FastAPI:
    """The app configured from the environment (see the module docstring)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    env = os.environ
    settings = Settings(
        secret=Path(env["WEBHOOK_SECRET_FILE"]).read_bytes().rstrip(b"\r\n"),
        inbox=Path(env.get("INBOX_DIR", "inbox")),
        state_dir=Path(env.get("STATE_DIR", "receiver-state")),
        concurrency=int(env.get("DOWNLOAD_CONCURRENCY", "4")),
        attempts=int(env.get("DOWNLOAD_ATTEMPTS", "6")),
        retry_delay=float(env.get("RETRY_DELAY", "1.0")),
        drain_seconds=float(env.get("DRAIN_SECONDS", "60")),
    )
    return create_app(settings, AsyncDialog360)
