"""dialog360 reliability soak: many downloads against the fake server with random faults mixed in.

    python scripts/soak.py                       # 1,000 downloads, seed 1, both async engines
    python scripts/soak.py --seed 7 --downloads 2000 --concurrency 50
    python scripts/soak.py --engines aiohttp     # the async part on the aiohttp engine only

The downloads are split in equal blocks: one through `Dialog360` (a thread pool sharing one
client), one through `AsyncDialog360` per async engine of `--engines` (httpx's own transport,
and the aiohttp engine), each up to `--concurrency` at once. Before a download starts,
with probability `--fault-rate` one fault is queued on the fake server (5xx, an HTML 502, a
connection closed before or in the middle of the body, a truncated or corrupted body, an expired
url as a 403, or a 429 with Retry-After "1"); under concurrency it hits whichever request of that
route comes next. The server's clock is also moved 301 s ahead twice per block, which expires
every url handed out so far.

Checked and printed as counts: every call returned a file whose sha256 matches the seeded
source or raised a typed `dialog360.Dialog360Error`; no corrupt, partial or temp (`.part-`) file
is left in the destination folders; the API key is in no captured log line (a DEBUG handler on
the root logger) and no error text; no thread, socket or file descriptor is left over once the
clients are closed and the server stopped. Exit status 0 only when nothing was lost, corrupt or
leaked.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import logging
import os
import random
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import dialog360
import httpx
from dialog360.testing import FakeServer, Fault

KEY = "soak-" + secrets.token_hex(16)
BACKOFF_INITIAL = 0.01  # shortened through the public configuration
BACKOFF_MAX = 0.05
RETRY_AFTER_BUDGET = 6  # 429 + Retry-After "1" faults: real one-second waits, so only a few
SIZES = (1, 777, 16 * 1024, 64 * 1024, 200 * 1024, 640 * 1024, 1536 * 1024, 3 * 1024 * 1024)
MEDIA_COUNT = 24
CLOCK_JUMP = 301.0  # seconds: past the 5-minute lifetime of a media url

# (name, route, fault factory); the 429 entry is drawn only while the budget lasts.
FAULTS: list[tuple[str, str, Fault]] = [
    ("get 500", "get_media", Fault.status(500)),
    ("get 502", "get_media", Fault.status(502)),
    ("get 503", "get_media", Fault.status(503)),
    ("get html 502", "get_media", Fault.html(502)),
    ("get reset before", "get_media", Fault.close_before()),
    ("bytes 500", "attachments", Fault.status(500)),
    ("bytes 502", "attachments", Fault.status(502)),
    ("bytes 503", "attachments", Fault.status(503)),
    ("bytes reset before", "attachments", Fault.close_before()),
    ("bytes reset mid-body", "attachments", Fault.close_mid_body()),
    ("bytes truncated", "attachments", Fault.truncate()),
    ("bytes corrupted", "attachments", Fault.corrupt()),
    ("bytes url expired (403)", "attachments", Fault.status(403, body='{"error":"expired"}')),
]
RATE_LIMIT = ("get 429 Retry-After 1", "get_media", Fault.status(429, retry_after="1"))


@dataclass
class Job:
    index: int
    mode: str  # "sync" | "async-httpx" | "async-aiohttp"
    media_id: str
    fault: tuple[str, str, Fault] | None
    jump_clock: bool
    destination: Path


@dataclass
class Outcome:
    job: Job
    path: Path | None = None
    error: BaseException | None = None


class Capture(logging.Handler):
    """Every log record of the run, formatted with its traceback, kept for the key check."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[str, str]] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.name, self.format(record)))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def open_fds() -> dict[str, str]:
    fds = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            fds[name] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # the listing's own descriptor, closed by now
            continue
    return fds


def seed_media(server: FakeServer, rng: random.Random, folder: Path) -> dict[str, str]:
    """Media of assorted sizes, half in memory and half served from files (sendfile).
    Returns media id -> sha256 of the source bytes, computed here, not taken from the server."""
    sources: dict[str, str] = {}
    for number in range(MEDIA_COUNT):
        data = rng.randbytes(SIZES[number % len(SIZES)])
        if number % 2:
            path = folder / f"source-{number}.pdf"
            path.write_bytes(data)
            media_id = server.add_media_file(path, mime_type="application/pdf")
        else:
            media_id = server.add_media(data, mime_type="image/jpeg")
        sources[media_id] = hashlib.sha256(data).hexdigest()
    return sources


def plan_jobs(args: argparse.Namespace, media_ids: list[str], dest: Path) -> list[Job]:
    rng = random.Random(args.seed)
    jobs: list[Job] = []
    budget = RETRY_AFTER_BUDGET
    modes = ["sync"] + [f"async-{engine}" for engine in args.engines]
    block = args.downloads // len(modes)
    jumps = {start + block * k // 3 for start in range(0, args.downloads, block) for k in (1, 2)}
    for index in range(args.downloads):
        mode = modes[min(index // block, len(modes) - 1)]
        fault = None
        if rng.random() < args.fault_rate:
            if budget and rng.random() < 0.05:
                fault, budget = RATE_LIMIT, budget - 1
            else:
                fault = rng.choice(FAULTS)
        media_id = rng.choice(media_ids)
        destination = dest / mode / f"{index:05d}-{media_id}.bin"
        jobs.append(Job(index, mode, media_id, fault, index in jumps, destination))
    return jobs


def prepare(server: FakeServer, job: Job) -> None:
    if job.jump_clock:
        server.advance_clock(CLOCK_JUMP)
    if job.fault is not None:
        server.inject(job.fault[1], job.fault[2])


def run_sync(server: FakeServer, jobs: list[Job], concurrency: int) -> list[Outcome]:
    def one(client: dialog360.Dialog360, job: Job) -> Outcome:
        prepare(server, job)
        try:
            return Outcome(job, path=client.media.download(job.media_id, job.destination))
        except BaseException as error:  # every kind is counted, none escapes
            return Outcome(job, error=error)

    with (
        dialog360.Dialog360(
            KEY,
            base_url=server.base_url,
            backoff_initial=BACKOFF_INITIAL,
            backoff_max=BACKOFF_MAX,
        ) as client,
        ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="soak") as pool,
    ):
        return list(pool.map(lambda job: one(client, job), jobs))


def engine_transport(engine: str) -> httpx.AsyncBaseTransport:
    if engine == "aiohttp":
        from dialog360._aiohttp_engine import AiohttpTransport

        return AiohttpTransport()
    return httpx.AsyncHTTPTransport()


async def run_async(
    server: FakeServer, jobs: list[Job], concurrency: int, engine: str
) -> list[Outcome]:
    async with dialog360.AsyncDialog360(
        KEY,
        base_url=server.base_url,
        backoff_initial=BACKOFF_INITIAL,
        backoff_max=BACKOFF_MAX,
        transport=engine_transport(engine),
    ) as client:
        gate = asyncio.Semaphore(concurrency)

        async def one(job: Job) -> Outcome:
            async with gate:
                prepare(server, job)
                try:
                    path = await client.media.download(job.media_id, job.destination)
                    return Outcome(job, path=path)
                except Exception as error:  # every kind is counted, none escapes
                    return Outcome(job, error=error)

        return list(await asyncio.gather(*(one(job) for job in jobs)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--downloads", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50, help="at once, per half")
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument(
        "--engines",
        default="httpx,aiohttp",
        type=lambda text: [name.strip() for name in text.split(",") if name.strip()],
        help="async engines to run, each on its own block of downloads (httpx, aiohttp)",
    )
    parser.add_argument(
        "--no-sleep",
        action="store_true",
        help="dialog360.set_retry_sleep(False): retry without waiting (Retry-After included)",
    )
    args = parser.parse_args(argv)
    unknown = set(args.engines) - {"httpx", "aiohttp"}
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown))}")

    capture = Capture()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    if args.no_sleep:
        dialog360.set_retry_sleep(False)
    work = Path(tempfile.mkdtemp(prefix="dialog360-soak-"))
    dest = work / "dest"

    gc.collect()
    threads_before = threading.active_count()
    fds_before = open_fds()
    started = time.perf_counter()

    server = FakeServer(api_key=KEY).start()
    try:
        sources = seed_media(server, random.Random(args.seed), work)
        jobs = plan_jobs(args, list(sources), dest)
        sync_jobs = [job for job in jobs if job.mode == "sync"]
        async_jobs = {
            engine: [job for job in jobs if job.mode == f"async-{engine}"]
            for engine in args.engines
        }
        print(
            f"soak: {len(jobs)} downloads ({len(sync_jobs)} Dialog360 in {args.concurrency}"
            f" threads; "
            + "; ".join(
                f"{len(part)} AsyncDialog360 on {engine}, {args.concurrency} at once"
                for engine, part in async_jobs.items()
            )
            + f"), seed {args.seed}, {len(sources)} media of 1 B..3 MiB,"
            f" fault rate {args.fault_rate}",
            flush=True,
        )
        outcomes = run_sync(server, sync_jobs, args.concurrency)
        for engine, part in async_jobs.items():
            outcomes += asyncio.run(run_async(server, part, args.concurrency, engine))
        recorded = server.requests
        pending = server.pending_faults()
    finally:
        server.stop()
        dialog360.set_retry_sleep(True)
    elapsed = time.perf_counter() - started
    gc.collect()
    time.sleep(0.2)  # let exiting threads finish unwinding
    threads_after = threading.active_count()
    fds_after = open_fds()
    root.removeHandler(capture)
    root.setLevel(previous_level)

    # -- judge every call ---------------------------------------------------------------------
    verdicts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    lost: list[str] = []
    returned: set[Path] = set()
    key_in_errors = 0
    for outcome in outcomes:
        job = outcome.job
        if outcome.error is None:
            assert outcome.path is not None
            returned.add(outcome.path)
            if outcome.path.is_file() and sha256_file(outcome.path) == sources[job.media_id]:
                verdicts["verified file"] += 1
            else:
                lost.append(f"#{job.index}: returned {outcome.path} without the source's bytes")
        elif isinstance(outcome.error, dialog360.Dialog360Error):
            verdicts["typed error"] += 1
            errors[type(outcome.error).__name__] += 1
        else:
            lost.append(f"#{job.index}: untyped {type(outcome.error).__name__}: {outcome.error}")
        if outcome.error is not None and KEY in f"{outcome.error!s} {outcome.error!r}":
            key_in_errors += 1

    # -- what is left at the destinations -------------------------------------------------------
    temp_files, stray_files, corrupt_files = [], [], []
    for path in sorted(dest.rglob("*")) if dest.exists() else []:
        if path.is_dir():
            continue
        if ".part-" in path.name:
            temp_files.append(path)
        elif path not in returned:
            stray_files.append(path)  # a file for a call that raised: partial or corrupt
        else:
            media_id = path.stem.split("-", 1)[1]
            if sha256_file(path) != sources[media_id]:
                corrupt_files.append(path)

    # -- secrets in logs ------------------------------------------------------------------------
    key_in_logs = sum(1 for _, line in capture.lines if KEY in line)
    hash_value = re.compile(r"hash=(?!…)[^&\s]")
    hash_in_logs = sum(
        1
        for name, line in capture.lines
        if name.split(".")[0] == "dialog360" and name != "dialog360.testing"
        if hash_value.search(line)
    )

    # -- leaks ----------------------------------------------------------------------------------
    leaked_fds = {fd: target for fd, target in fds_after.items() if fds_before.get(fd) != target}
    sockets_before = sum(1 for target in fds_before.values() if target.startswith("socket:"))
    sockets_after = sum(1 for target in fds_after.values() if target.startswith("socket:"))
    leaked_threads = max(threads_after - threads_before, 0)

    faults_used = Counter(request.fault.kind for request in recorded if request.fault is not None)
    injected = Counter(job.fault[0] for job in jobs if job.fault is not None)
    retry_after_waits = injected[RATE_LIMIT[0]]

    print(f"ran in {elapsed:.1f} s; {len(recorded)} requests reached the fake server")
    print(
        f"faults injected: {sum(injected.values())} ("
        + ", ".join(f"{name} {count}" for name, count in sorted(injected.items()))
        + f"); used by requests: {sum(faults_used.values())}; left unused: {len(pending)}"
    )
    print(
        f"clock moved {CLOCK_JUMP:.0f} s ahead {sum(job.jump_clock for job in jobs)} times;"
        f" backoff {BACKOFF_INITIAL}..{BACKOFF_MAX} s via backoff_initial/backoff_max; "
        + (
            "retry sleeping OFF (set_retry_sleep(False)), Retry-After not waited"
            if args.no_sleep
            else f'retry sleeping on: {retry_after_waits} Retry-After "1" faults wait 1 s for real'
        )
    )
    for mode in ["sync"] + [f"async-{engine}" for engine in args.engines]:
        mine = [outcome for outcome in outcomes if outcome.job.mode == mode]
        print(
            f"  {mode}: {len(mine)} downloads, {sum(o.error is None for o in mine)} verified"
            f" files, {sum(isinstance(o.error, dialog360.Dialog360Error) for o in mine)}"
            " typed errors"
        )
    print(
        f"outcomes: verified files {verdicts['verified file']}, typed errors"
        f" {verdicts['typed error']} ("
        + ", ".join(f"{name} {count}" for name, count in sorted(errors.items()))
        + ")"
    )
    print(f"lost (neither a verified file nor a typed Dialog360Error): {len(lost)}")
    print(
        f"files left: corrupt {len(corrupt_files)}, partial/stray {len(stray_files)},"
        f" temp .part- {len(temp_files)}"
    )
    print(
        f"secrets: key in {key_in_logs} of {len(capture.lines)} captured log lines, in"
        f" {key_in_errors} error texts; hash values in dialog360 log lines: {hash_in_logs}"
    )
    print(
        f"threads before/after: {threads_before}/{threads_after}; fds before/after:"
        f" {len(fds_before)}/{len(fds_after)} (sockets {sockets_before}/{sockets_after})"
    )
    for line in lost[:10]:
        print("  LOST", line)
    for path in (corrupt_files + stray_files + temp_files)[:10]:
        print("  LEFT", path)
    for fd, target in list(leaked_fds.items())[:10]:
        print(f"  LEAKED fd {fd} -> {target}")
    if leaked_threads:
        print("  threads now:", ", ".join(thread.name for thread in threading.enumerate()))

    failed = (
        lost
        or corrupt_files
        or stray_files
        or temp_files
        or key_in_logs
        or key_in_errors
        or hash_in_logs
        or leaked_fds
        or leaked_threads
        or len(outcomes) != len(jobs)
    )
    print("RESULT:", "FAIL" if failed else "PASS (zero lost, zero corrupt, zero leaked)")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
