"""The CLI stays out of `import dialog360` (and so does rich), and uses the library only
through its public names, like any other program."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import dialog360.cli

CLI_FOLDER = Path(dialog360.cli.__file__).parent
# Modules of the CLI not yet moved to the public names (each must leave this list, not join it).
NOT_YET_PUBLIC: set[str] = set()

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


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")  # __version__ is public


def _private_imports(source: str) -> list[str]:
    """Every import of the library's private modules: `dialog360._x`, `from .. import _x`,
    `from .._x import ...` (a module of the CLI itself, `from ._x`, is fine)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("dialog360._")]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names = [a.name for a in node.names]
            outside = node.level >= 2 or module.startswith("dialog360")
            if outside and ("._" in module or any(map(_is_private, names))):
                found.append(f"{module}: {', '.join(names)}")
    return found


def test_the_cli_imports_only_public_names() -> None:
    offenders = {
        path.name: imports
        for path in sorted(CLI_FOLDER.glob("*.py"))
        if (imports := _private_imports(path.read_text(encoding="utf-8")))
    }
    assert set(offenders) == NOT_YET_PUBLIC, offenders


def test_the_private_import_finder_finds_them() -> None:
    source = (
        "import dialog360._files\n"
        "from dialog360._config import APIKey\n"
        "from .._constants import X\n"
        "from .. import _media_types\n"
        "from ..testing._server import Y\n"
        "from ._output import emit\n"
        "from dialog360 import Dialog360, __version__\n"
        "from dialog360.testing import FakeServer\n"
        "from ..testing import Fault\n"
    )
    assert _private_imports(source) == [
        "dialog360._files",
        "dialog360._config: APIKey",
        ".._constants: X",
        "..: _media_types",
        "..testing._server: Y",
    ]
