"""The CLI (and rich) stay out of `import dialog360`."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
sys.modules["click"] = None  # as in a plain install: httpx then skips its own CLI (and rich)
import dialog360
loaded = [name for name in sys.modules if name == "rich" or name.startswith("dialog360.cli")]
print(",".join(loaded))
"""


def test_import_dialog360_loads_neither_the_cli_nor_rich() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=30, check=True
    )
    assert done.stdout.strip() == ""
