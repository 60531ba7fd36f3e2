"""The fake server stands on its own: no private module of the client, no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import dialog360.testing

PACKAGE = Path(dialog360.testing.__file__).parent
PREFIX = "dialog360.testing."


def imports_of(module: Path) -> set[str]:
    """The dialog360 modules `module` imports (at run time or for type checking alike)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{module.name}: relative import"
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("dialog360")}


def test_the_fake_uses_no_private_module_of_the_client() -> None:
    for module in PACKAGE.glob("*.py"):
        outside = {name for name in imports_of(module) if not name.startswith(PREFIX)}
        assert outside <= {"dialog360", "dialog360.testing"}, (module.name, outside)


def test_the_fake_modules_import_no_cycle() -> None:
    graph = {
        module.stem: {name.removeprefix(PREFIX) for name in imports_of(module) if PREFIX in name}
        for module in PACKAGE.glob("*.py")
        if module.stem != "__init__"
    }
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import cycle: {' -> '.join((*path, name))}"
        if name in done:
            return
        for imported in graph.get(name, ()):
            visit(imported, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())
    assert "_server" not in graph["_handler"]
    assert "_handler" in graph["_server"]
