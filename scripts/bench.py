"""dialog360 benchmarks: each row is a ratio of two things measured side by side in one run.

    python scripts/bench.py            # the full run
    python scripts/bench.py --quick    # fewer rounds and calls, a 16 MiB file
    python scripts/bench.py --json     # the same figures as JSON on stdout
    python scripts/bench.py --only B3,B5    # B6 gives all its rows: B6, B6h, B6a, B6b

The async rows (B5, B6, B8) run AsyncDialog360 on both engines: `engine="httpx"` (httpx's own
transport) and `engine="aiohttp"` (needs `dialog360[aiohttp]`).

The machine is shared and noisy, so no figure is compared with one from another run: the two
sides of a ratio are interleaved round by round (A,B then B,A ...) and the ratio is the median
of the per-round ratios. The fake server runs in a separate process for the throughput rows so
it does not share the client's GIL. The exit status is 0 even when a target is missed (this is
a report); misses are marked MISS.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import hashlib
import json
import math
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import dialog360
import dialog360_api
import httpx
from perf.server import ServerProcess
from perf.timing import interleaved, machine, median, ratios, spread, timed

KEY = "bench-key-" + "0123456789abcdef"
HEADERS = {"D360-API-KEY": KEY, "User-Agent": "bench"}
HERE = Path(__file__).resolve().parent
MiB = 1024 * 1024
SUBPROCESS_SERVER = ServerProcess.description
Engine = Literal["aiohttp", "httpx"]  # AsyncDialog360(engine=...)
ENGINES: tuple[Engine, ...] = ("aiohttp", "httpx")


@dataclass
class Row:
    id: str
    what: str
    target: str
    ratio: float | None
    status: str  # "ok", "MISS", "report", "n/a"
    figures: dict[str, Any] = field(default_factory=dict)
    served_by: str = ""
    note: str = ""


@dataclass
class Plan:
    quick: bool
    calls: int  # B1/B2: calls per side, split over `call_rounds` rounds
    call_rounds: int
    file_mib: int
    file_rounds: int
    rss_rounds: int
    async_rounds: int
    import_rounds: int

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if quick:
            return cls(True, 400, 4, 16, 3, 2, 2, 8)
        return cls(False, 2000, 20, 100, 9, 3, 5, 40)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def verdict(ratio: float | None, limit: float) -> str:
    if ratio is None:
        return "n/a"
    return "ok" if ratio <= limit else "MISS"


def direct_url(base_url: str, media_url: str) -> str:
    """What a hand-written client fetches: the base origin with the media url's path and query."""
    return base_url + httpx.URL(media_url).raw_path.decode("ascii")


def metadata(raw: httpx.Client, media_id: str) -> dict[str, Any]:
    answer = raw.get(f"/{media_id}")
    answer.raise_for_status()
    document: dict[str, Any] = answer.json()
    return document


# -- B1 / B2: media.get ---------------------------------------------------------------------


def bench_get(
    row_id: str, what: str, plan: Plan, wrapper: dialog360.Dialog360, raw: httpx.Client, mid: str
) -> dict[str, Any]:
    per_round = plan.calls // plan.call_rounds

    def wrapped() -> float:
        get = wrapper.media.get
        started = time.perf_counter()
        for _ in range(per_round):
            get(mid)
        return time.perf_counter() - started

    def direct() -> float:
        get = raw.get
        path = f"/{mid}"
        started = time.perf_counter()
        for _ in range(per_round):
            get(path).json()
        return time.perf_counter() - started

    for _ in range(50):  # warm up connections and caches on both sides
        wrapped_warm = wrapper.media.get(mid)
        raw.get(f"/{mid}").json()
    assert wrapped_warm.id == mid
    log(f"{row_id}: {what}, {plan.call_rounds} rounds x {per_round} calls per side")
    times = interleaved({"wrapper": wrapped, "httpx": direct}, plan.call_rounds, log=log)
    per_call = {side: median(values) / per_round * 1e6 for side, values in times.items()}
    round_ratios = ratios(times["wrapper"], times["httpx"])
    return {
        "ratio": median(round_ratios),
        "figures": {
            "calls_per_side": per_round * plan.call_rounds,
            "wrapper_us_per_call": round(per_call["wrapper"], 1),
            "httpx_us_per_call": round(per_call["httpx"], 1),
            "round_ratios": spread(round_ratios),
        },
    }


def row_b1(plan: Plan) -> Row:
    with (
        ServerProcess(KEY, blobs={"small": 1024}) as server,
        dialog360.Dialog360(KEY, base_url=server.base_url) as wrapper,
        httpx.Client(base_url=server.base_url, headers=HEADERS) as raw,
    ):
        result = bench_get(
            "B1", "media.get over loopback", plan, wrapper, raw, server.media("small")["id"]
        )
    ratio = result["ratio"]
    return Row(
        "B1",
        f"media.get via wrapper vs raw httpx.Client.get+.json(), loopback, {plan.calls} calls",
        "<= 1.10",
        ratio,
        verdict(ratio, 1.10),
        result["figures"],
        SUBPROCESS_SERVER,
    )


def _mock_handler() -> Callable[[httpx.Request], httpx.Response]:
    body = json.dumps(
        {
            "messaging_product": "whatsapp",
            "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/"
            "?mid=1234567890&ext=1764230400&hash=AT0abcdefghijklmnop&source=getMedia",
            "mime_type": "image/jpeg",
            "sha256": "a" * 64,
            "file_size": 65536,
            "id": "1234567890",
        }
    ).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return handler


def row_b2(plan: Plan) -> Row:
    base = "https://waba-v2.360dialog.io"
    with (
        dialog360.Dialog360(
            KEY, base_url=base, transport=httpx.MockTransport(_mock_handler())
        ) as wrapper,
        httpx.Client(
            base_url=base, headers=HEADERS, transport=httpx.MockTransport(_mock_handler())
        ) as raw,
    ):
        result = bench_get("B2", "media.get over MockTransport", plan, wrapper, raw, "1234567890")
    ratio = result["ratio"]
    return Row(
        "B2",
        f"the same over httpx.MockTransport (client-side cost only), {plan.calls} calls",
        "<= 1.5",
        ratio,
        verdict(ratio, 1.5),
        result["figures"],
        "httpx.MockTransport in-process (no network)",
    )


# -- B3 / B4 / B5: one big download ---------------------------------------------------------


def make_file(path: Path, size: int) -> None:
    chunk = os.urandom(MiB)
    with open(path, "wb") as out:
        for index in range(size // MiB):
            # Different bytes per MiB without paying for os.urandom(100 MiB).
            out.write(index.to_bytes(8, "big") + chunk[8:])


def stream_to_file(raw: httpx.Client, url: str, path: Path) -> None:
    """Raw httpx: stream `url` into `path`, nothing checked, nothing synced."""
    with raw.stream("GET", url) as answer, open(path, "wb") as out:
        answer.raise_for_status()
        for chunk in answer.iter_bytes():
            out.write(chunk)


def stream_verified(raw: httpx.Client, url: str, path: Path, sha256: str) -> None:
    """The floor: the least a hand-written raw httpx download does for the same promise, at
    its best. 1 MiB blocks are hashed and written by a second thread while the next ones
    arrive, then fsync; no temp file, no rename, no size check, no resume, no progress."""
    blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
    digest = hashlib.sha256()
    with open(path, "wb") as out:

        def hash_and_write() -> None:
            while (block := blocks.get()) is not None:
                digest.update(block)
                out.write(block)

        worker = threading.Thread(target=hash_and_write)
        worker.start()
        try:
            with raw.stream("GET", url) as answer:
                answer.raise_for_status()
                held: list[bytes] = []
                held_bytes = 0
                for chunk in answer.iter_bytes():
                    held.append(chunk)
                    held_bytes += len(chunk)
                    if held_bytes >= MiB:
                        blocks.put(b"".join(held))
                        held, held_bytes = [], 0
                blocks.put(b"".join(held))
        finally:
            blocks.put(None)
            worker.join()
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != sha256:
        raise RuntimeError("raw download: sha256 mismatch")


def rows_b3_b4_b5(plan: Plan, selected: set[str], work: Path) -> list[Row]:
    size = plan.file_mib * MiB
    source = work / "source.pdf"
    log(f"B3-B5: writing a {plan.file_mib} MiB source file")
    make_file(source, size)
    out = work / "out.pdf"
    curl = shutil.which("curl")
    rows: list[Row] = []
    with (
        ServerProcess(KEY, files={"big": source}) as server,
        dialog360.Dialog360(KEY, base_url=server.base_url) as wrapper,
        httpx.Client(base_url=server.base_url, headers=HEADERS, timeout=60) as raw,
    ):
        media = server.media("big")
        mid, sha = media["id"], media["sha256"]

        def fresh_url() -> str:
            # Fetched untimed: one small JSON call next to a 100 MiB transfer.
            return direct_url(server.base_url, metadata(raw, mid)["url"])

        def run_wrapper() -> float:
            seconds = timed(lambda: wrapper.media.download(mid, out))
            out.unlink()
            return seconds

        def run_raw(*, verified: bool = False) -> Callable[[], float]:
            def side() -> float:
                url = fresh_url()
                if verified:
                    seconds = timed(lambda: stream_verified(raw, url, out, sha))
                else:
                    seconds = timed(lambda: stream_to_file(raw, url, out))
                out.unlink()
                return seconds

            return side

        def run_curl() -> float:
            assert curl is not None
            url = fresh_url()
            command = [curl, "-s", "-S", "-f", "-o", str(out), "-H", f"D360-API-KEY: {KEY}", url]
            seconds = timed(lambda: subprocess.run(command, check=True))
            out.unlink()
            return seconds

        if selected & {"B3", "B4"}:
            sides: dict[str, Callable[[], float]] = {
                "wrapper": run_wrapper,
                "httpx": run_raw(),
                "floor": run_raw(verified=True),
            }
            if curl is not None and "B4" in selected:
                sides["curl"] = run_curl
            for side in sides.values():  # warm-up: page cache, connections
                side()
            log(f"B3/B4: {plan.file_rounds} rounds of {', '.join(sides)} ({plan.file_mib} MiB)")
            times = interleaved(sides, plan.file_rounds, log=log)
            mb = size / 1e6
            throughput = {f"{name}_MBps": round(mb / median(t), 0) for name, t in times.items()}
            seconds = {f"{name}_s": round(median(t), 3) for name, t in times.items()}
            b3 = ratios(times["wrapper"], times["httpx"])
            floor = ratios(times["floor"], times["httpx"])
            own = ratios(times["wrapper"], times["floor"])
            if "B3" in selected:
                rows.append(
                    Row(
                        "B3",
                        f"media.download {plan.file_mib} MiB (sha256 + atomic write + fsync) vs"
                        " raw httpx stream to file, no checks",
                        "<= 1.05",
                        median(b3),
                        verdict(median(b3), 1.05),
                        {
                            **seconds,
                            **throughput,
                            "round_ratios": spread(b3),
                            "floor / httpx": round(median(floor), 2),
                            "wrapper / floor": round(median(own), 2),
                        },
                        SUBPROCESS_SERVER,
                        "floor = raw httpx hashing and writing on a second thread, then fsync:"
                        " what verification and a durable write cost at best, written by hand",
                    )
                )
            if "B4" in selected:
                if curl is None:
                    rows.append(
                        Row(
                            "B4",
                            "media.download vs curl: curl not found",
                            "<= 1.5",
                            None,
                            "n/a",
                            {},
                            SUBPROCESS_SERVER,
                            "curl not found",
                        )
                    )
                else:
                    b4 = ratios(times["wrapper"], times["curl"])
                    rows.append(
                        Row(
                            "B4",
                            f"the same download vs `curl -s -o FILE` ({plan.file_mib} MiB)",
                            "<= 1.5",
                            median(b4),
                            verdict(median(b4), 1.5),
                            {
                                "wrapper_s": seconds["wrapper_s"],
                                "curl_s": seconds["curl_s"],
                                "round_ratios": spread(b4),
                            },
                            SUBPROCESS_SERVER,
                            "curl's time includes starting the curl process",
                        )
                    )
        if "B5" in selected:
            rows.append(row_b5(plan, server, mid, work))
        if "B8" in selected:
            rows.append(row_b8(plan, server, mid, work))
    source.unlink()
    return rows


B5_CLIENTS = ("sync", "async-httpx", "async-aiohttp")


def row_b5(plan: Plan, server: ServerProcess, mid: str, work: Path) -> Row:
    env = {
        **os.environ,
        "D360_API_KEY": KEY,
        "D360_BASE_URL": server.base_url,
        "PROBE_MEDIA_ID": mid,
        "PROBE_DEST": str(work / "probe.pdf"),
    }
    deltas: dict[str, list[float]] = {client: [] for client in B5_CLIENTS}
    baseline: dict[str, list[float]] = {client: [] for client in B5_CLIENTS}
    log(f"B5: {plan.rss_rounds} rounds of fresh interpreters downloading {plan.file_mib} MiB")
    for _ in range(plan.rss_rounds):
        for client in B5_CLIENTS:
            done = subprocess.run(
                [sys.executable, str(HERE / "perf" / "rss_probe.py"), client],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            probe = json.loads(done.stdout)
            (work / "probe.pdf").unlink()
            deltas[client].append((probe["after_download_kib"] - probe["after_import_kib"]) / 1024)
            baseline[client].append(probe["after_import_kib"] / 1024)
    worst = max(median(values) for values in deltas.values())
    return Row(
        "B5",
        f"peak RSS downloading {plan.file_mib} MiB minus peak RSS before it (MiB), the worst of"
        " Dialog360, AsyncDialog360 on httpx and on aiohttp",
        "<= 16",
        worst,
        verdict(worst, 16),
        {
            **{f"{client}_MiB": round(median(values), 1) for client, values in deltas.items()},
            **{
                f"{client}_baseline_MiB": round(median(values), 1)
                for client, values in baseline.items()
            },
        },
        SUBPROCESS_SERVER + "; probe in a fresh interpreter (VmHWM)",
        "a value, not a ratio: the growth does not depend on the file size; the baseline is"
        " taken once the client (and its engine's imports) exist",
    )


# -- B8: the event loop during a big async download ------------------------------------------


async def _longest_stall(engine: Engine, base_url: str, mid: str, out: Path) -> float:
    """The longest gap seen by a task that wants to run every 1 ms, during one download."""
    longest = 0.0
    done = False

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while not done:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    async with async_client(engine, base_url) as client:
        await client.media.get(mid)  # connection made before the ticker starts
        ticking = asyncio.create_task(ticker())
        try:
            await client.media.download(mid, out, overwrite=True)
        finally:
            done = True
            await ticking
    out.unlink()
    return longest


def row_b8(plan: Plan, server: ServerProcess, mid: str, work: Path) -> Row:
    out = work / "b8.pdf"

    def side(engine: Engine, *, fsync: bool = True) -> Callable[[], float]:
        def run() -> float:
            with contextlib.nullcontext() if fsync else no_fsync():
                return asyncio.run(_longest_stall(engine, server.base_url, mid, out))

        return run

    sides: dict[str, Callable[[], float]] = {engine: side(engine) for engine in ENGINES}
    # Diagnostic: the same without fsync shows how much of the stall the final commit is.
    sides.update({f"{engine}_no_fsync": side(engine, fsync=False) for engine in ENGINES})
    log(f"B8: {plan.file_rounds} rounds of a {plan.file_mib} MiB async download with a 1 ms ticker")
    stalls = interleaved(sides, plan.file_rounds, log=log)
    worst = max(median(stalls[engine]) for engine in ENGINES)
    return Row(
        "B8",
        f"longest gap of a 1 ms ticker task during a {plan.file_mib} MiB AsyncDialog360"
        " download (ms), the worse of the two engines",
        "<= 20",
        worst * 1000,
        verdict(worst * 1000, 20),
        {
            **{
                f"{engine}_ms": round(median(values) * 1000, 1) for engine, values in stalls.items()
            },
            **{
                f"{engine}_rounds_ms": [round(value * 1000, 1) for value in stalls[engine]]
                for engine in ENGINES
            },
        },
        SUBPROCESS_SERVER,
        "a value, not a ratio: what other tasks of the event loop wait at worst (on a loaded"
        " machine this includes waits for a CPU); *_no_fsync: os.fsync as a no-op (diagnostic)",
    )


# -- B6: concurrent async downloads ----------------------------------------------------------

B6_DOWNLOADS = 200
B6_CONCURRENCY = 32
B6_LATENCY = 0.020
B6_SIZE = 64 * 1024


def async_client(engine: Engine, base_url: str) -> dialog360.AsyncDialog360:
    """AsyncDialog360 on one engine, chosen the way an application chooses it."""
    return dialog360.AsyncDialog360(KEY, base_url=base_url, engine=engine)


async def _fan_out(one: Callable[[int], Any]) -> float:
    gate = asyncio.Semaphore(B6_CONCURRENCY)

    async def gated(index: int) -> None:
        async with gate:
            await one(index)

    started = time.perf_counter()
    await asyncio.gather(*(gated(index) for index in range(B6_DOWNLOADS)))
    return time.perf_counter() - started


async def _wrapper_batch(engine: Engine, base_url: str, mid: str, folder: Path) -> float:
    async with async_client(engine, base_url) as client:
        return await _fan_out(lambda index: client.media.download(mid, folder / f"{index}.jpg"))


async def _raw_httpx_batch(
    base_url: str, mid: str, folder: Path, transport: httpx.AsyncBaseTransport | None = None
) -> float:
    async with httpx.AsyncClient(base_url=base_url, headers=HEADERS, transport=transport) as client:

        async def one(index: int) -> None:
            answer = await client.get(f"/{mid}")
            url = direct_url(base_url, answer.json()["url"])
            with open(folder / f"{index}.jpg", "wb") as out:
                async with client.stream("GET", url) as body:
                    async for chunk in body.aiter_bytes():
                        out.write(chunk)

        return await _fan_out(one)


async def _httpx_on_aiohttp_batch(base_url: str, mid: str, folder: Path) -> float:
    """Raw httpx on the aiohttp engine's transport: what httpx's objects cost over aiohttp."""
    from dialog360._aiohttp_engine import AiohttpTransport

    return await _raw_httpx_batch(base_url, mid, folder, AiohttpTransport())


def write_durably(folder: Path, name: str, body: bytes, sha256: str) -> None:
    """The download promise done by hand at its cheapest, for bytes already in memory: the
    sha256 checked, a temp file created exclusively, fsynced, linked into place, the folder
    fsynced. No size checks, no resume, no cleanup on failure."""
    if hashlib.sha256(body).hexdigest() != sha256:
        raise RuntimeError("raw download: sha256 mismatch")
    temp = folder / f".{name}.part"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        os.write(fd, body)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.link(temp, folder / name)
    os.unlink(temp)
    folder_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(folder_fd)
    finally:
        os.close(folder_fd)


async def _floor_batch(base_url: str, mid: str, folder: Path) -> float:
    """The floor for the wrapper on aiohttp: httpx on the same transport, the same two requests,
    and the bytes written durably and verified in one thread hand-off."""
    from dialog360._aiohttp_engine import AiohttpTransport

    async with httpx.AsyncClient(
        base_url=base_url, headers=HEADERS, transport=AiohttpTransport()
    ) as client:

        async def one(index: int) -> None:
            info = (await client.get(f"/{mid}")).json()
            body = (await client.get(direct_url(base_url, info["url"]))).content
            await asyncio.to_thread(write_durably, folder, f"{index}.jpg", body, info["sha256"])

        return await _fan_out(one)


async def _raw_aiohttp_batch(base_url: str, mid: str, folder: Path) -> float:
    import aiohttp
    import yarl

    async with aiohttp.ClientSession(headers=HEADERS) as session:

        async def one(index: int) -> None:
            async with session.get(f"{base_url}/{mid}") as answer:
                url = direct_url(base_url, (await answer.json())["url"])
            with open(folder / f"{index}.jpg", "wb") as out:
                async with session.get(yarl.URL(url, encoded=True)) as body:
                    async for chunk in body.content.iter_any():
                        out.write(chunk)

        return await _fan_out(one)


@contextlib.contextmanager
def no_fsync() -> Iterator[None]:
    """os.fsync and os.fdatasync as no-ops (a diagnostic side only: nothing is durable)."""
    saved = os.fsync, os.fdatasync
    os.fsync = os.fdatasync = lambda fd: None
    try:
        yield
    finally:
        os.fsync, os.fdatasync = saved


def rows_b6(plan: Plan, work: Path) -> list[Row]:
    ideal = math.ceil(B6_DOWNLOADS / B6_CONCURRENCY) * 2 * B6_LATENCY
    cpu: dict[str, list[float]] = {}
    with ServerProcess(KEY, blobs={"small": B6_SIZE}) as server:
        for route in ("get_media", "attachments"):
            server.command(latency=[route, B6_LATENCY])
        mid = server.media("small")["id"]

        def batch(
            name: str, kind: Callable[[str, str, Path], Any], *, fsync: bool = True
        ) -> Callable[[], float]:
            def side() -> float:
                folder = Path(tempfile.mkdtemp(dir=work))
                started = time.process_time()
                try:
                    with contextlib.nullcontext() if fsync else no_fsync():
                        return float(asyncio.run(kind(server.base_url, mid, folder)))
                finally:
                    cpu.setdefault(name, []).append(time.process_time() - started)
                    shutil.rmtree(folder)

            return side

        sides = {
            "wrapper_aiohttp": batch(
                "wrapper_aiohttp", lambda *args: _wrapper_batch("aiohttp", *args)
            ),
            "aiohttp": batch("aiohttp", _raw_aiohttp_batch),
            "wrapper_httpx": batch("wrapper_httpx", lambda *args: _wrapper_batch("httpx", *args)),
            "httpx": batch("httpx", _raw_httpx_batch),
            # What the wrapper stands on: httpx's objects over the same aiohttp transport, and
            # that plus the durable, verified write done by hand (the floor).
            "httpx_on_aiohttp": batch("httpx_on_aiohttp", _httpx_on_aiohttp_batch),
            "floor": batch("floor", _floor_batch),
            # Diagnostic: the wrapper with fsync turned into a no-op shows what the two fsyncs
            # per file (on worker threads) cost the fan-out.
            "wrapper_aiohttp_no_fsync": batch(
                "wrapper_aiohttp_no_fsync",
                lambda *args: _wrapper_batch("aiohttp", *args),
                fsync=False,
            ),
        }
        for side in sides.values():  # warm-up: imports, page cache
            side()
        cpu.clear()
        log(
            f"B6: {plan.async_rounds} rounds of {B6_DOWNLOADS} downloads of 64 KiB,"
            f" {B6_CONCURRENCY} at once, {B6_LATENCY * 1000:.0f} ms per request"
        )
        times = interleaved(sides, plan.async_rounds, log=log)
    seconds = {f"{name}_s": round(median(values), 3) for name, values in times.items()}
    vs_ideal = {
        f"{name}_vs_ideal": round(median(values) / ideal, 2) for name, values in times.items()
    }
    cpu_ms = {
        f"{name}_cpu_ms_per_download": round(median(values) / B6_DOWNLOADS * 1000, 2)
        for name, values in cpu.items()
    }
    what = (
        f"{B6_DOWNLOADS} downloads of 64 KiB, {B6_CONCURRENCY} at once,"
        f" {B6_LATENCY * 1000:.0f} ms latency per request"
    )
    served = SUBPROCESS_SERVER + " (latency on get_media and attachments)"
    ideal_note = (
        f"ideal = ceil({B6_DOWNLOADS}/{B6_CONCURRENCY}) x 2 requests x"
        f" {B6_LATENCY * 1000:.0f} ms = {ideal:.2f} s; client CPU per download ~ wall when"
        " client-bound; raw clients: the same two requests, no checks, no atomic write, no fsync"
    )
    on_aiohttp = median(times["wrapper_aiohttp"]) / ideal
    on_httpx = median(times["wrapper_httpx"]) / ideal
    anchor = median(times["aiohttp"]) / ideal
    own = ratios(times["wrapper_aiohttp"], times["aiohttp"])
    own_httpx = ratios(times["wrapper_httpx"], times["httpx"])

    def per_round(side: str, baseline: str) -> float:
        return round(median(ratios(times[side], times[baseline])), 2)

    return [
        Row(
            "B6",
            f"AsyncDialog360 on the aiohttp engine: {what}, wall vs ideal",
            "<= 1.5",
            on_aiohttp,
            verdict(on_aiohttp, 1.5),
            {"ideal_s": round(ideal, 3), **seconds, **vs_ideal, **cpu_ms},
            served,
            ideal_note,
        ),
        Row(
            "B6h",
            "the same on httpx's own transport (the default engine), wall vs ideal",
            "report",
            on_httpx,
            "report",
            {
                "wrapper_httpx_vs_ideal": round(on_httpx, 2),
                "raw_httpx_vs_ideal": vs_ideal["httpx_vs_ideal"],
                "wrapper_httpx / raw httpx": round(median(own_httpx), 2),
                "round_ratios": spread(own_httpx),
            },
            served,
        ),
        Row(
            "B6a",
            "raw aiohttp.ClientSession, the same two requests per download, wall vs ideal",
            "report (the anchor)",
            anchor,
            "report",
            {"aiohttp_s": seconds["aiohttp_s"], "ideal_s": round(ideal, 3)},
            served,
        ),
        Row(
            "B6b",
            "AsyncDialog360 on aiohttp / raw aiohttp (B6 / B6a, per round)",
            "<= 1.3",
            median(own),
            verdict(median(own), 1.3),
            {
                "round_ratios": spread(own),
                "httpx on aiohttp / raw aiohttp": per_round("httpx_on_aiohttp", "aiohttp"),
                "floor / raw aiohttp": per_round("floor", "aiohttp"),
                "wrapper / floor": per_round("wrapper_aiohttp", "floor"),
                "without fsync (diagnostic) / raw aiohttp": per_round(
                    "wrapper_aiohttp_no_fsync", "aiohttp"
                ),
            },
            served,
            "floor = httpx on the same aiohttp transport, the same two requests, then the bytes"
            " verified and written durably by hand (exclusive temp file, fsync, link, folder"
            " fsync) in one thread hand-off: what any httpx-based client keeping the promise"
            " costs at least; the diagnostic side turns os.fsync into a no-op",
        ),
    ]


# -- B9: one upload ----------------------------------------------------------------------------

B9_MIB = 15


def row_b9(plan: Plan, work: Path) -> Row:
    video = work / "clip.mp4"
    make_file(video, B9_MIB * MiB)
    with (
        ServerProcess(KEY) as server,
        dialog360.Dialog360(KEY, base_url=server.base_url) as wrapper,
        httpx.Client(base_url=server.base_url, headers=HEADERS, timeout=60) as raw,
    ):

        def run_wrapper() -> float:
            uploaded: list[str] = []
            seconds = timed(lambda: uploaded.append(wrapper.media.upload(video).id))
            wrapper.media.delete(uploaded[0])  # the fake keeps uploads in memory
            return seconds

        def run_raw() -> float:
            answers: list[httpx.Response] = []

            def post() -> None:
                with open(video, "rb") as file:
                    # The multipart the generated client builds for POST /media.
                    files: Any = [
                        ("file", (video.name, file, "video/mp4")),
                        ("messaging_product", (None, b"whatsapp", "text/plain")),
                        ("type", (None, b"video/mp4", "text/plain")),
                    ]
                    # httpx picks a random boundary, as the generated upload now does.
                    answer = raw.post("/media", files=files)
                answer.raise_for_status()
                answers.append(answer)

            seconds = timed(post)
            raw.delete(f"/{answers[0].json()['id']}").raise_for_status()
            return seconds

        sides = {"wrapper": run_wrapper, "httpx": run_raw}
        for side in sides.values():
            side()
        log(f"B9: {plan.file_rounds} rounds of a {B9_MIB} MiB upload per side")
        times = interleaved(sides, plan.file_rounds, log=log)
    video.unlink()
    round_ratios = ratios(times["wrapper"], times["httpx"])
    return Row(
        "B9",
        f"media.upload of a {B9_MIB} MiB video vs raw httpx.Client.post of the same multipart",
        "<= 1.2",
        median(round_ratios),
        verdict(median(round_ratios), 1.2),
        {
            "wrapper_s": round(median(times["wrapper"]), 3),
            "httpx_s": round(median(times["httpx"]), 3),
            "round_ratios": spread(round_ratios),
        },
        SUBPROCESS_SERVER + " (parses the multipart and keeps the file in memory)",
    )


# -- B7: import time -------------------------------------------------------------------------


def _import_breakdown() -> list[tuple[str, float]]:
    """Top-level packages by self time that `import dialog360` adds on top of `import httpx`."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import httpx; import dialog360"],
        capture_output=True,
        text=True,
        check=True,
    )
    seen_httpx = False
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        name = match.group(4)
        if not seen_httpx:
            seen_httpx = name == "httpx"
            continue
        top = name.split(".")[0]
        totals[top] = totals.get(top, 0.0) + int(match.group(1)) / 1000
    return sorted(totals.items(), key=lambda item: -item[1])[:6]


def row_b7(plan: Plan) -> Row:
    def interpreter(statement: str) -> Callable[[], float]:
        command = [sys.executable, "-c", statement]
        return lambda: timed(lambda: subprocess.run(command, check=True))

    sides = {"dialog360": interpreter("import dialog360"), "httpx": interpreter("import httpx")}
    # httpx was byte-compiled when pip installed it; dialog360 is an editable install, whose
    # bytecode is written on first import only where that is allowed (PYTHONDONTWRITEBYTECODE
    # forbids it): compile it as a wheel install would, or B7 measures the compiler.
    for folder in (*dialog360.__path__, *dialog360_api.__path__):
        compileall.compile_dir(folder, quiet=1)
    for side in sides.values():
        side()
    log(f"B7: {plan.import_rounds} rounds of fresh interpreters")
    times = interleaved(sides, plan.import_rounds)
    round_ratios = ratios(times["dialog360"], times["httpx"])
    empty = median([timed(lambda: subprocess.run([sys.executable, "-c", "pass"])) for _ in "123"])
    ratio = median(round_ratios)
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, dialog360; print(sorted({m.split('.')[0] for m in sys.modules}"
            " & {'aiohttp', 'yarl', 'asyncio'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    status = verdict(ratio, 1.5)
    if "aiohttp" in loaded:
        status = "MISS"
    return Row(
        "B7",
        '`python -c "import dialog360"` vs `python -c "import httpx"` (fresh interpreters)',
        "<= 1.5, aiohttp not imported",
        ratio,
        status,
        {
            "imported_of(aiohttp, yarl, asyncio)": loaded,
            "dialog360_ms": round(median(times["dialog360"]) * 1000, 1),
            "httpx_ms": round(median(times["httpx"]) * 1000, 1),
            "bare_interpreter_ms": round(empty * 1000, 1),
            "round_ratios": spread(round_ratios),
            "added_by_dialog360_ms(-X importtime, one run)": {
                name: round(ms, 1) for name, ms in _import_breakdown()
            },
        },
        "n/a (no I/O)",
        "both sides byte-compiled, as a wheel install is",
    )


# -- report ----------------------------------------------------------------------------------


def render(rows: list[Row], meta: dict[str, Any]) -> str:
    lines = [
        f"dialog360 benchmarks ({'quick' if meta['quick'] else 'full'} run,"
        f" {meta['seconds']:.0f} s) on {meta['machine']['platform']},"
        f" {meta['machine']['cpus']} CPUs, Python {meta['machine']['python']},"
        f" httpx {meta['machine']['httpx']}",
        f"load average before {meta['load_before']} after {meta['machine']['loadavg']}"
        " (other work on the machine makes every figure noisy; ratios are medians of"
        " interleaved rounds)",
        "",
        "| id | what | result | target | status |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        result = "-" if row.ratio is None else f"{row.ratio:.2f}"
        status = f"**{row.status}**" if row.status == "MISS" else row.status
        lines.append(f"| {row.id} | {row.what} | {result} | {row.target} | {status} |")
    lines += ["", "Raw figures (medians over rounds):"]
    for row in rows:
        figures = ", ".join(f"{key}={value}" for key, value in row.figures.items())
        lines.append(f"- {row.id}: {figures or '-'}")
        lines.append(f"    served by: {row.served_by}" + (f"; {row.note}" if row.note else ""))
    misses = [row.id for row in rows if row.status == "MISS"]
    lines += ["", f"targets missed: {', '.join(misses) if misses else 'none'}"]
    return "\n".join(lines)


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="dialog360-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, a 16 MiB file")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--only", default="B1,B2,B3,B4,B5,B6,B7,B8,B9", help="rows to run, e.g. B3,B5"
    )
    args = parser.parse_args(argv)
    selected = {item.strip().upper() for item in args.only.split(",") if item.strip()}
    plan = Plan.make(args.quick)
    load_before = [round(value, 2) for value in os.getloadavg()]
    started = time.perf_counter()
    rows: list[Row] = []
    with workspace() as work:
        if "B1" in selected:
            rows.append(row_b1(plan))
        if "B2" in selected:
            rows.append(row_b2(plan))
        if selected & {"B3", "B4", "B5", "B8"}:
            rows.extend(rows_b3_b4_b5(plan, selected, work))
        if "B6" in selected:
            rows.extend(rows_b6(plan, work))
        if "B7" in selected:
            rows.append(row_b7(plan))
        if "B9" in selected:
            rows.append(row_b9(plan, work))
    meta = {
        "quick": plan.quick,
        "seconds": time.perf_counter() - started,
        "load_before": load_before,
        "machine": machine(),
        "plan": asdict(plan),
    }
    if args.json:
        print(json.dumps({"meta": meta, "rows": [asdict(row) for row in rows]}, indent=2))
    else:
        print(render(rows, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
