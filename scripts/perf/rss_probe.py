"""B5 probe, run in a fresh interpreter: peak RSS after `import dialog360` and after a download.

Environment: D360_API_KEY, D360_BASE_URL, PROBE_MEDIA_ID, PROBE_DEST (a file path).
Prints one JSON line: VmHWM (peak RSS) in KiB after the import and after the download, and
ru_maxrss (also KiB on Linux) for cross-checking.
"""

from __future__ import annotations

import json
import os
import resource


def _vm_hwm_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    import dialog360

    after_import = _vm_hwm_kib()
    maxrss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with dialog360.Dialog360() as client:
        path = client.media.download(
            os.environ["PROBE_MEDIA_ID"], os.environ["PROBE_DEST"], overwrite=True
        )
    after_download = _vm_hwm_kib()
    maxrss_download = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "after_import_kib": after_import,
                "after_download_kib": after_download,
                "maxrss_import_kib": maxrss_import,
                "maxrss_download_kib": maxrss_download,
                "bytes": path.stat().st_size,
            }
        )
    )


if __name__ == "__main__":
    main()
