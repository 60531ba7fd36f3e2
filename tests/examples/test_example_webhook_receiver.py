"""The example receiver (examples/webhook_receiver) end to end: a real uvicorn process on
loopback, the fake 360dialog API with faults on its download routes, and deliveries signed and
re-sent the way 360dialog sends them.

The deliveries come from `Sender` below: the fake server does not post webhooks yet, so the
test plays 360dialog's side itself (sign the raw body, re-send on any answer but 200 or on a
connection error, with growing delays).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import webhook_payloads as wp
from dialog360.testing import FakeServer, Fault

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "webhook_receiver"
KEY = "receiver-test-key-8d21f6"
HANG_GUARD = 180.0  # seconds; only so a broken build fails instead of hanging CI

TYPES = [
    ("image", "image/jpeg", ".jpg"),
    ("video", "video/mp4", ".mp4"),
    ("audio", "audio/ogg", ".ogg"),
    ("document", "application/pdf", ".pdf"),
    ("sticker", "image/webp", ".webp"),
]


@dataclass
class Delivery:
    statuses: list[int | str] = field(default_factory=list)

    @property
    def final(self) -> int | str:
        return self.statuses[-1]


class Sender:
    """360dialog's side: a signed POST, re-sent on a non-200 answer or a connection error."""

    def __init__(self, url: str, secret: str = wp.SECRET, attempts: int = 8):
        self.url = url
        self.secret = secret
        self.attempts = attempts

    def deliver(self, document: dict[str, Any]) -> Delivery:
        raw = wp.body(document)
        headers = {"Content-Type": "application/json"}
        headers["X-360Dialog-Signature"] = wp.sign(raw, self.secret)
        delivery = Delivery()
        delay = 0.05
        with httpx.Client(timeout=30.0) as http:
            for _ in range(self.attempts):
                try:
                    status: int | str = http.post(
                        self.url, content=raw, headers=headers
                    ).status_code
                except httpx.TransportError as error:
                    status = type(error).__name__
                delivery.statuses.append(status)
                if status == 200 or status == 401:
                    break
                time.sleep(delay)
                delay *= 2
        return delivery


@dataclass
class Receiver:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; returns once it has shut down cleanly."""
        self.process.send_signal(signal.SIGTERM)
        # uvicorn shuts down, then re-raises the signal it caught: the exit status is SIGTERM's.
        assert self.process.wait(HANG_GUARD) == -signal.SIGTERM, self.output()
        assert "stopped; 0 downloads left for the next start" in self.output(), self.output()

    def crash(self) -> None:
        self.process.kill()
        self.process.wait(HANG_GUARD)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_receiver(tmp_path: Path, fake: FakeServer) -> Iterator[Any]:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(wp.SECRET + "\n")
    started: list[Receiver] = []

    def start(**env: str) -> Receiver:
        # Bound here and handed over: requests may be sent before uvicorn has started; the
        # kernel queues the connections.
        listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        port = listener.getsockname()[1]
        log = tmp_path / f"receiver-{len(started)}.log"
        child_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("D360_")},
            "D360_API_KEY": KEY,
            "D360_BASE_URL": fake.base_url,
            "WEBHOOK_SECRET_FILE": str(secret_file),
            "INBOX_DIR": str(tmp_path / "inbox"),
            "STATE_DIR": str(tmp_path / "state"),
            "DOWNLOAD_CONCURRENCY": "4",
            "RETRY_DELAY": "0.05",
            "DRAIN_SECONDS": str(HANG_GUARD),
            **env,
        }
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "--app-dir",
                    str(EXAMPLE),
                    "receiver:app_from_env",
                    "--fd",
                    str(listener.fileno()),
                    "--log-level",
                    "warning",
                ],
                pass_fds=[listener.fileno()],
                env=child_env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        listener.close()
        receiver = Receiver(process, f"http://127.0.0.1:{port}/webhook", log)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        if receiver.process.poll() is None:
            receiver.process.kill()
            receiver.process.wait()


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with FakeServer(api_key=KEY) as server:
        yield server


def add_inbound_media(fake: FakeServer, count: int, seed: int) -> list[dict[str, Any]]:
    """`count` media of mixed types in the fake, and their webhook messages."""
    rng = random.Random(seed)
    messages = []
    for n in range(count):
        type_, mime_type, _ = TYPES[n % len(TYPES)]
        data = rng.randbytes(rng.randint(1_000, 150_000))
        media_id = fake.add_media(data, mime_type)
        digest = hashlib.sha256(data).digest()
        # 360dialog's webhooks carry the sha256 both ways.
        sha256 = digest.hex() if n % 2 else base64.b64encode(digest).decode()
        obj: dict[str, Any] = {"id": media_id, "mime_type": mime_type, "sha256": sha256}
        if type_ == "document":
            obj["filename"] = f"../../invoice {n}.pdf"
        messages.append(wp.message(type_, obj, id=f"wamid.inbound.{seed}.{n}"))
    return messages


def inject_download_faults(fake: FakeServer, rounds: int) -> None:
    """One request in five of each download route fails, each time in another way."""
    attachments = [
        Fault.close_mid_body(),
        Fault.corrupt(),
        Fault.status(503),
        Fault.truncate(),
        Fault.close_before(),
        Fault.html(502),
        Fault.status(500),
    ]
    metadata = [Fault.status(503), Fault.close_before(), Fault.html(502), Fault.status(500)]
    for n in range(rounds):
        fake.inject("attachments", attachments[n % len(attachments)])
        fake.inject("attachments", Fault.delay(0, times=4))
        fake.inject("get_media", metadata[n % len(metadata)])
        fake.inject("get_media", Fault.delay(0, times=4))


def inbox_files(tmp_path: Path) -> list[str]:
    return sorted(os.listdir(tmp_path / "inbox"))


def journal(tmp_path: Path) -> list[dict[str, Any]]:
    lines = (tmp_path / "state" / "journal.jsonl").read_bytes().splitlines()
    return [json.loads(line) for line in lines]


def completed_downloads(fake: FakeServer) -> Counter[str]:
    """By media id, the byte fetches no fault touched. Every verified download ends with exactly
    one (whole, or the rest after a drop); a failed attempt ends with a faulted one."""
    clean: Counter[str] = Counter()
    for request in fake.requests:
        untouched = request.fault is None or request.fault.kind == "delay"
        if request.route == "attachments" and untouched:
            clean[parse_qs(request.raw_query)["mid"][0]] += 1
    return clean


def expected_files(fake: FakeServer, messages: list[dict[str, Any]]) -> dict[str, str]:
    """File name -> sha256 hex of every media the messages announce."""
    files = {}
    for message in messages:
        obj = message[message["type"]]
        ext = dict((mime, ext) for _, mime, ext in TYPES)[obj["mime_type"]]
        files[f"{obj['id']}{ext}"] = fake.media[obj["id"]].sha256
    return files


def test_fifty_media_with_faults_and_redeliveries_land_once_verified(
    tmp_path: Path, fake: FakeServer, start_receiver: Any
) -> None:
    messages = add_inbound_media(fake, 50, seed=1)
    inject_download_faults(fake, rounds=12)
    receiver = start_receiver()
    sender = Sender(receiver.url)

    deliveries = [wp.envelope(wp.change([m])) for m in messages]
    deliveries += [wp.envelope(wp.change([m])) for m in messages[::3]]  # a 200 that got lost
    deliveries += [  # batches, partly repeating, with text and statuses beside the media
        wp.envelope(
            wp.change([*messages[n : n + 5], wp.OTHER_MESSAGES["text"]]),
            wp.change(statuses=wp.STATUSES),
        )
        for n in range(0, 50, 7)
    ]
    deliveries += [wp.envelope(wp.change([m])) for m in messages[:10]] * 2  # at the same time
    random.Random(2).shuffle(deliveries)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(sender.deliver, deliveries))
    assert [r.final for r in results] == [200] * len(deliveries)

    # An impostor's delivery (another secret) is refused and nothing of it is fetched.
    impostor = add_inbound_media(fake, 1, seed=3)
    assert Sender(receiver.url, secret="not-the-secret").deliver(
        wp.envelope(wp.change(impostor))
    ).statuses == [401]

    # SIGTERM: the receiver finishes what it acknowledged before it exits.
    receiver.stop()

    expected = expected_files(fake, messages)
    assert inbox_files(tmp_path) == sorted(expected)  # 50 files, no temp file, no duplicate
    for name, sha256 in expected.items():
        assert hashlib.sha256((tmp_path / "inbox" / name).read_bytes()).hexdigest() == sha256
    records = journal(tmp_path)
    assert Counter(r["event"] for r in records) == {"queued": 50, "done": 50}
    assert len({r["message_id"] for r in records}) == 50
    # Each media fetched whole exactly once, whatever the re-deliveries.
    media_ids = [m[m["type"]]["id"] for m in messages]
    assert completed_downloads(fake) == Counter(media_ids)
    # Every injected fault was met: one request in five of each route, 24 in all.
    assert fake.pending_faults() == []
    faulted = Counter(r.route for r in fake.requests if r.fault and r.fault.kind != "delay")
    assert faulted == {"attachments": 12, "get_media": 12}


def test_acknowledged_work_survives_a_crash_and_redeliveries_after_restart(
    tmp_path: Path, fake: FakeServer, start_receiver: Any
) -> None:
    messages = add_inbound_media(fake, 8, seed=4)
    fake.set_latency("attachments", 0.5)  # downloads still queued when the receiver dies
    receiver = start_receiver(DOWNLOAD_CONCURRENCY="1")
    sender = Sender(receiver.url)
    assert [sender.deliver(wp.envelope(wp.change([m]))).final for m in messages] == [200] * 8
    receiver.crash()
    fake.set_latency("attachments", 0)

    restarted = start_receiver()
    again = Sender(restarted.url)
    assert [again.deliver(wp.envelope(wp.change([m]))).final for m in messages] == [200] * 8
    restarted.stop()

    expected = expected_files(fake, messages)
    assert inbox_files(tmp_path) == sorted(expected)  # the killed download's temp file is gone
    for name, sha256 in expected.items():
        assert hashlib.sha256((tmp_path / "inbox" / name).read_bytes()).hexdigest() == sha256
    done = [r["message_id"] for r in journal(tmp_path) if r["event"] == "done"]
    assert sorted(done) == sorted(m["id"] for m in messages)
    # Only the one download in flight when the process died may have been fetched twice.
    clean = completed_downloads(fake)
    assert set(clean) == {m[m["type"]]["id"] for m in messages}
    assert sum(count - 1 for count in clean.values()) <= 1
