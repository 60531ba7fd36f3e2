"""The example receiver (examples/webhook_receiver) end to end: a real uvicorn process on
loopback, and the fake 360dialog API posting signed webhooks to it (re-sent on a non-200 answer
or a refused connection, and re-delivered on demand) with faults on its download routes.
"""

from __future__ import annotations

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import webhook_payloads as wp
from dialog360.testing import FakeServer, Fault
from shared_tls import TLS

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


def post_signed(url: str, document: dict[str, Any], secret: str) -> int:
    """One delivery signed with `secret`, as an impostor without the real one would send it."""
    raw = wp.body(document)
    headers = {"Content-Type": "application/json", "X-360Dialog-Signature": wp.sign(raw, secret)}
    return httpx.post(url, content=raw, headers=headers, timeout=30.0, verify=TLS).status_code


@dataclass
class Receiver:
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; returns once it has shut down cleanly."""
        self.process.send_signal(signal.SIGTERM)
        # uvicorn shuts down, then re-raises the signal it caught: the exit status is SIGTERM's.
        assert self.process.wait(HANG_GUARD) == -signal.SIGTERM, self.output()
        assert "stopped; 0 downloads left for the next start" in self.output(), self.output()

    def wait_ready(self, url: str) -> None:
        """Returns once the app answers (an unsigned POST: 401). Until uvicorn has started, the
        connection waits in the listen queue, so this needs no polling."""
        assert httpx.post(url, content=b"{}", timeout=HANG_GUARD, verify=TLS).status_code == 401

    def crash(self) -> None:
        self.process.kill()
        self.process.wait(HANG_GUARD)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Receivers:
    """Starts the example under uvicorn, always on the same loopback port (the fake's webhook
    url), with the fake as its API."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.secret_file = tmp_path / "secret.txt"
        self.secret_file.write_text(wp.SECRET + "\n")
        with socket.create_server(("127.0.0.1", 0)) as probe:
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/webhook"
        self.started: list[Receiver] = []

    def start(self, fake: FakeServer, **env: str) -> Receiver:
        # Bound here and handed over: deliveries may arrive before uvicorn has started; the
        # kernel queues the connections.
        listener = socket.create_server(("127.0.0.1", self.port), backlog=128)
        log = self.tmp_path / f"receiver-{len(self.started)}.log"
        child_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("D360_")},
            "D360_API_KEY": KEY,
            "D360_BASE_URL": fake.base_url,
            "WEBHOOK_SECRET_FILE": str(self.secret_file),
            "INBOX_DIR": str(self.tmp_path / "inbox"),
            "STATE_DIR": str(self.tmp_path / "state"),
            "DOWNLOAD_CONCURRENCY": "4",
            "RETRY_DELAY": "0.05",
            "DRAIN_SECONDS": str(HANG_GUARD),
            **env,
        }
        command = [sys.executable, "-m", "uvicorn", "--factory", "--app-dir", str(EXAMPLE)]
        command += ["receiver:app_from_env", "--fd", str(listener.fileno())]
        with listener, open(log, "wb") as out:
            process = subprocess.Popen(
                [*command, "--log-level", "warning"],
                pass_fds=[listener.fileno()],
                env=child_env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        receiver = Receiver(process, log)
        self.started.append(receiver)
        return receiver


@pytest.fixture
def receivers(tmp_path: Path) -> Iterator[Receivers]:
    made = Receivers(tmp_path)
    yield made
    for receiver in made.started:
        if receiver.process.poll() is None:
            receiver.process.kill()
            receiver.process.wait()


@pytest.fixture
def make_fake(receivers: Receivers) -> Iterator[Any]:
    servers: list[FakeServer] = []

    def make(retry_delays: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8)) -> FakeServer:
        server = FakeServer(
            api_key=KEY,
            webhook_url=receivers.url,
            webhook_secret=wp.SECRET,
            webhook_retry_delays=retry_delays,
        ).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def send_inbound_media(fake: FakeServer, count: int, seed: int) -> list[Any]:
    """`count` users send media of mixed types; the fake stores them and posts the webhooks."""
    rng = random.Random(seed)
    sent = []
    for n in range(count):
        _, mime_type, _ = TYPES[n % len(TYPES)]
        options: dict[str, Any] = {"sha256_encoding": "hex" if n % 2 else "base64"}
        if mime_type == "application/pdf":
            options |= {"filename": f"../../invoice {n}.pdf", "caption": "invoice"}
        data = rng.randbytes(rng.randint(1_000, 150_000))
        sent.append(fake.send_inbound_media(data, mime_type, **options))
    return sent


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


def expected_files(fake: FakeServer, sent: list[Any]) -> dict[str, str]:
    """File name -> sha256 hex of every media sent."""
    extensions = {mime: ext for _, mime, ext in TYPES}
    return {
        f"{m.media_id}{extensions[fake.media[m.media_id].mime_type]}": fake.media[m.media_id].sha256
        for m in sent
    }


def assert_landed_once(tmp_path: Path, fake: FakeServer, sent: list[Any]) -> None:
    expected = expected_files(fake, sent)
    assert inbox_files(tmp_path) == sorted(expected)  # no temp file, no duplicate
    for name, sha256 in expected.items():
        assert hashlib.sha256((tmp_path / "inbox" / name).read_bytes()).hexdigest() == sha256
    records = journal(tmp_path)
    assert Counter(r["event"] for r in records) == {"queued": len(sent), "done": len(sent)}
    assert {r["message_id"] for r in records} == {m.message_id for m in sent}


def wait_until_each_attempted(fake: FakeServer, first: int) -> list[Any]:
    """The deliveries from number `first` on, once each has been tried at least once."""
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        later = fake.webhook_deliveries[first:]
        if all(d.attempts for d in later):
            return later
        time.sleep(0.02)
    raise TimeoutError("the fake never tried to deliver")


def test_fifty_media_with_faults_and_redeliveries_land_once_verified(
    tmp_path: Path, receivers: Receivers, make_fake: Any
) -> None:
    fake = make_fake()
    inject_download_faults(fake, rounds=12)
    receiver = receivers.start(fake)
    receiver.wait_ready(receivers.url)
    sent = send_inbound_media(fake, 50, seed=1)
    for inbound in sent[::3]:  # as if the 200 had been lost
        fake.redeliver(inbound.message_id)
    for inbound in sent[:10]:  # twice more, while the first downloads run
        fake.redeliver(inbound.message_id)
        fake.redeliver(inbound.message_id)
    deliveries = fake.wait_for_deliveries(HANG_GUARD)
    assert len(deliveries) == 50 + 17 + 20
    assert {d.state for d in deliveries} == {"delivered"}
    assert sum(d.redelivery for d in deliveries) == 37

    # An impostor's delivery (another secret) is refused and nothing of it is fetched.
    impostor = wp.message("image", wp.media_object(fake.add_media(b"x" * 99)), id="wamid.fake")
    assert post_signed(receivers.url, wp.envelope(wp.change([impostor])), "not-it") == 401

    receiver.stop()  # SIGTERM: it finishes what it acknowledged before it exits

    assert_landed_once(tmp_path, fake, sent)
    # Each media downloaded exactly once, whatever the re-deliveries.
    assert completed_downloads(fake) == Counter(m.media_id for m in sent)
    # Every injected fault was met: one request in five of each route, 24 in all.
    assert fake.pending_faults() == []
    faulted = Counter(r.route for r in fake.requests if r.fault and r.fault.kind != "delay")
    assert faulted == {"attachments": 12, "get_media": 12}


def test_acknowledged_work_survives_a_crash_and_refused_deliveries_are_resent(
    tmp_path: Path, receivers: Receivers, make_fake: Any
) -> None:
    # Re-sent for up to ~50 s: long enough for the restart below, even on a loaded machine.
    fake = make_fake(retry_delays=(0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6))
    fake.set_latency("attachments", 0.5)  # downloads still queued when the receiver dies
    receiver = receivers.start(fake, DOWNLOAD_CONCURRENCY="1")
    receiver.wait_ready(receivers.url)
    acknowledged = send_inbound_media(fake, 8, seed=4)
    assert {d.state for d in fake.wait_for_deliveries(HANG_GUARD)} == {"delivered"}
    receiver.crash()

    # While it is down: new media, and re-deliveries of what it had acknowledged.
    unanswered = send_inbound_media(fake, 3, seed=5)
    for inbound in acknowledged:
        fake.redeliver(inbound.message_id)
    fake.set_latency("attachments", 0)
    refused = wait_until_each_attempted(fake, first=len(acknowledged))
    assert {a.error is not None for d in refused for a in d.attempts} == {True}

    restarted = receivers.start(fake)
    deliveries = fake.wait_for_deliveries(HANG_GUARD)
    assert {d.state for d in deliveries} == {"delivered"}
    assert all(len(d.attempts) > 1 for d in deliveries[len(acknowledged) :])
    restarted.stop()

    sent = acknowledged + unanswered
    assert_landed_once(tmp_path, fake, sent)  # the killed download's temp file is gone too
    # Only the one download in flight when the process died may have been fetched twice.
    completed = completed_downloads(fake)
    assert set(completed) == {m.media_id for m in sent}
    assert sum(count - 1 for count in completed.values()) <= 1
