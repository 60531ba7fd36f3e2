"""B5 probe, run in a fresh interpreter: peak RSS before and after one download.

Argument: the client, "sync" (Dialog360), "async-httpx" or "async-aiohttp" (AsyncDialog360 on
either engine). Environment: D360_API_KEY, D360_BASE_URL, PROBE_MEDIA_ID, PROBE_DEST (a file
path). Prints one JSON line: VmHWM (peak RSS) in KiB once the client exists (its imports done)
and after the download, and ru_maxrss (also KiB on Linux) for cross-checking.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path
from typing import Literal


def _vm_hwm_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _sync(media_id: str, destination: str) -> tuple[int, int, Path]:
    import dialog360

    with dialog360.Dialog360() as client:
        before = _vm_hwm_kib()
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        path = client.media.download(media_id, destination, overwrite=True)
    return before, maxrss, path


def _async(
    engine: Literal["httpx", "aiohttp"], media_id: str, destination: str
) -> tuple[int, int, Path]:
    import asyncio

    import dialog360

    async def run() -> tuple[int, int, Path]:
        async with dialog360.AsyncDialog360(engine=engine) as client:
            before = _vm_hwm_kib()
            maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            path = await client.media.download(media_id, destination, overwrite=True)
        return before, maxrss, path

    return asyncio.run(run())


def main() -> None:
    client = sys.argv[1] if len(sys.argv) > 1 else "sync"
    media_id, destination = os.environ["PROBE_MEDIA_ID"], os.environ["PROBE_DEST"]
    if client == "sync":
        before, maxrss_before, path = _sync(media_id, destination)
    elif client == "async-httpx":
        before, maxrss_before, path = _async("httpx", media_id, destination)
    elif client == "async-aiohttp":
        before, maxrss_before, path = _async("aiohttp", media_id, destination)
    else:
        raise SystemExit(f"unknown client {client!r}")
    print(
        json.dumps(
            {
                "after_import_kib": before,
                "after_download_kib": _vm_hwm_kib(),
                "maxrss_import_kib": maxrss_before,
                "maxrss_download_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "bytes": path.stat().st_size,
            }
        )
    )


if __name__ == "__main__":
    main()
