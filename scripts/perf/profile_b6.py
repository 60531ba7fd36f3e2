"""B6's workload in this process, for finding where the wrapper's CPU goes.

    python scripts/perf/profile_b6.py                 # CPU ms/download: wrapper, raw aiohttp, floor
    python scripts/perf/profile_b6.py --rounds 9      # more rounds, steadier medians
    python scripts/perf/profile_b6.py --profile 30    # then cProfile the wrapper, top 30 rows
    python scripts/perf/profile_b6.py --engine httpx  # the wrapper on httpx's own transport

The same batches as `bench.py --only B6` (imported from it, so the two cannot drift): 200
downloads of 64 KiB, 32 at once, 20 ms latency per request, the fake server in a subprocess.
CPU is this process's (every thread: fsyncs and hashing on worker threads count) and, apart,
the event loop's thread's, per download, medians of interleaved rounds: on a shared machine
they are steadier than wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # scripts/: bench, perf

import bench

from perf.server import ServerProcess
from perf.timing import interleaved, median

Batch = Callable[[str, str, Path], Coroutine[Any, Any, float]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--engine", choices=bench.ENGINES, default="aiohttp")
    parser.add_argument("--profile", type=int, metavar="ROWS", default=0)
    args = parser.parse_args()
    engine: bench.Engine = args.engine

    def wrapper(base_url: str, mid: str, folder: Path) -> Coroutine[Any, Any, float]:
        return bench._wrapper_batch(engine, base_url, mid, folder)

    raw: Batch = bench._raw_aiohttp_batch if engine == "aiohttp" else bench._raw_httpx_batch
    cpu: dict[str, list[float]] = {}
    loop_cpu: dict[str, list[float]] = {}
    with (
        ServerProcess(bench.KEY, blobs={"small": bench.B6_SIZE}) as server,
        tempfile.TemporaryDirectory() as work,
    ):
        for route in ("get_media", "attachments"):
            server.command(latency=[route, bench.B6_LATENCY])
        mid = server.media("small")["id"]

        def side(name: str, batch: Batch) -> Callable[[], float]:
            def run() -> float:
                folder = Path(tempfile.mkdtemp(dir=work))
                started, loop_started = time.process_time(), time.thread_time()
                try:
                    return asyncio.run(batch(server.base_url, mid, folder))
                finally:
                    cpu.setdefault(name, []).append(time.process_time() - started)
                    loop_cpu.setdefault(name, []).append(time.thread_time() - loop_started)
                    shutil.rmtree(folder)

            return run

        sides = {f"wrapper_{engine}": side(f"wrapper_{engine}", wrapper), engine: side(engine, raw)}
        if engine == "aiohttp":  # httpx on the same transport + the promise written by hand
            sides["floor"] = side("floor", bench._floor_batch)
        for run in sides.values():  # warm-up: imports, page cache
            run()
        cpu.clear()
        loop_cpu.clear()
        walls = interleaved(sides, args.rounds)
        for name in sides:
            per_download = median(cpu[name]) / bench.B6_DOWNLOADS * 1000
            on_loop = median(loop_cpu[name]) / bench.B6_DOWNLOADS * 1000
            print(
                f"{name:>16}: CPU {per_download:.2f} ms/download ({on_loop:.2f} on the loop's"
                f" thread), wall {median(walls[name]):.3f} s"
                f" (CPU per round {', '.join(f'{value:.2f}' for value in cpu[name])})"
            )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            sides[f"wrapper_{engine}"]()
            profiler.disable()
            stats = pstats.Stats(profiler).strip_dirs().sort_stats("tottime")
            stats.print_stats(args.profile)
            stats.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
