"""The sync and async public surfaces are twins: the same names, parameters, defaults and
docstrings.

A twin pair is two classes named `X` and `AsyncX`: those exported by dialog360 and its public
modules, and the classes of every public attribute of a client (`client.media`, and whatever
else a client grows). The rules:

- the same public members, each with the same parameters (names, kinds, defaults) and
  annotations once `Async` is taken out of them (`AsyncIterator[AsyncMediaStream]` matches
  `Iterator[MediaStream]`), the only exception being the documented async-only parameters;
- a member that returns the same thing on both sides is awaited on the async one;
- identical docstrings for every member; the async class's own docstring starts with
  "Async twin of `X`".
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types
from collections.abc import Iterator
from typing import Any, get_type_hints

import dialog360
import pytest
from dialog360 import AsyncDialog360, Dialog360
from dialog360._config import ClientOptions, resolve_settings

# Parameters only the async side has, and why (each is documented in the shared docstring).
ASYNC_ONLY_PARAMETERS = {("Dialog360", "__init__"): {"engine"}}  # the HTTP engine under asyncio
# Client attributes that differ between the sides on purpose.
SIDED_ATTRIBUTES = {"api"}  # the generated client, each for its own side's functions


def _public_modules() -> Iterator[types.ModuleType]:
    yield dialog360
    for module in pkgutil.iter_modules(dialog360.__path__):
        if not module.name.startswith("_") and module.name != "cli":
            yield importlib.import_module(f"dialog360.{module.name}")


def _exported_pairs() -> dict[str, tuple[type, type]]:
    pairs = {}
    for module in _public_modules():
        names = set(getattr(module, "__all__", ()))
        for name in names:
            if name.startswith("Async") and name.removeprefix("Async") in names:
                pairs[name.removeprefix("Async")] = (
                    getattr(module, name.removeprefix("Async")),
                    getattr(module, name),
                )
    return pairs


def _attribute_pairs() -> dict[str, tuple[type, type]]:
    sync_client, async_client = Dialog360("k"), AsyncDialog360("k")
    sync_names = {name for name in vars(sync_client) if not name.startswith("_")}
    async_names = {name for name in vars(async_client) if not name.startswith("_")}
    assert sync_names == async_names, "client attributes differ between Dialog360/AsyncDialog360"
    pairs = {}
    for name in sorted(sync_names - SIDED_ATTRIBUTES):
        sync_class = type(getattr(sync_client, name))
        async_class = type(getattr(async_client, name))
        assert async_class.__name__ == f"Async{sync_class.__name__}", (
            f"client.{name} is a {sync_class.__name__} on Dialog360 and a "
            f"{async_class.__name__} on AsyncDialog360: not a twin pair"
        )
        pairs[sync_class.__name__] = (sync_class, async_class)
    return pairs


def twin_pairs() -> dict[str, tuple[type, type]]:
    return {**_exported_pairs(), **_attribute_pairs()}


def _unasync(annotation: object) -> str:
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    return re.sub(r"\bAsync(?=[A-Z])", "", text)


def _parameters(
    function: Any, async_only: set[str]
) -> list[tuple[str, inspect._ParameterKind, object, str]]:
    return [
        (p.name, p.kind, p.default, _unasync(p.annotation))
        for p in inspect.signature(function).parameters.values()
        if p.name not in async_only
    ]


def _members(cls: type) -> dict[str, Any]:
    names = {name for name in dir(cls) if not name.startswith("_")} | {"__init__"}
    return {name: inspect.getattr_static(cls, name) for name in names}


def differences(sync_class: type, async_class: type) -> list[str]:
    """Every way `async_class` is not the async twin of `sync_class` (empty: twins)."""
    found = []
    twin_doc = f"Async twin of `{sync_class.__name__}`"
    if not (inspect.getdoc(async_class) or "").startswith(twin_doc):
        found.append(f"{async_class.__name__}'s docstring does not start with {twin_doc!r}")
    sync_members, async_members = _members(sync_class), _members(async_class)
    if set(sync_members) != set(async_members):
        found.append(f"names differ: {sorted(set(sync_members) ^ set(async_members))}")
    for name in sorted(set(sync_members) & set(async_members)):
        where = f"{sync_class.__name__}.{name}"
        sync_member, async_member = getattr(sync_class, name), getattr(async_class, name)
        if inspect.getdoc(sync_member) != inspect.getdoc(async_member):
            found.append(f"{where}: the docstrings differ")
        if isinstance(sync_members[name], property):
            sync_member, async_member = sync_members[name].fget, async_members[name].fget
        if not callable(sync_member) or not callable(async_member):
            continue
        async_only = ASYNC_ONLY_PARAMETERS.get((sync_class.__name__, name), set())
        if _parameters(sync_member, set()) != _parameters(async_member, async_only):
            found.append(f"{where}: the parameters differ")
        sync_returns = inspect.signature(sync_member).return_annotation
        async_returns = inspect.signature(async_member).return_annotation
        if _unasync(sync_returns) != _unasync(async_returns):
            found.append(f"{where}: the return types differ")
        elif (
            sync_returns == async_returns
            and name != "__init__"
            and not isinstance(sync_members[name], property)
            and not inspect.iscoroutinefunction(async_member)
        ):
            found.append(f"{where}: the async twin is not awaited")
    return found


def test_the_known_twins_are_found() -> None:
    # The discovery itself must work, or every comparison below would pass on nothing.
    pairs = twin_pairs()
    assert {"Dialog360", "Media", "MediaStream"} <= set(pairs)
    assert pairs["Media"] == (type(Dialog360("k").media), type(AsyncDialog360("k").media))


@pytest.mark.parametrize("name", sorted(twin_pairs()))
def test_async_twin_matches_the_sync_one(name: str) -> None:
    sync_class, async_class = twin_pairs()[name]
    assert differences(sync_class, async_class) == []


def test_the_comparison_catches_every_kind_of_difference() -> None:
    class Thing:
        """A thing."""

        def fetch(self, thing_id: str, *, limit: int = 1) -> bytes:
            """Fetch it."""
            return b""

        def only_here(self) -> None: ...

        def close(self) -> None:
            """Close it."""

    class AsyncThing:
        """Not saying whose twin it is."""

        async def fetch(self, thing_id: str, *, limit: int = 2) -> str:
            """Fetch it, differently."""
            return ""

        def close(self) -> None:
            """Close it."""

    found = differences(Thing, AsyncThing)
    assert any("docstring does not start with 'Async twin of `Thing`'" in f for f in found)
    assert any("names differ: ['only_here']" in f for f in found)
    assert "Thing.fetch: the docstrings differ" in found
    assert "Thing.fetch: the parameters differ" in found
    assert "Thing.fetch: the return types differ" in found
    assert "Thing.close: the async twin is not awaited" in found


def test_client_options_are_declared_once() -> None:
    # The TypedDict that types the clients' **options is resolve_settings' keyword parameters.
    keyword = {
        name: parameter.annotation
        for name, parameter in inspect.signature(resolve_settings).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }
    hints = get_type_hints(ClientOptions)
    assert list(hints) == list(keyword)
    assert {name: _unasync(hint) for name, hint in hints.items()} == {
        name: _unasync(get_type_hints(resolve_settings)[name]) for name in keyword
    }


@pytest.mark.parametrize("client_class", [Dialog360, AsyncDialog360])
def test_help_shows_every_option_with_its_default(client_class: type) -> None:
    signature = inspect.signature(client_class)
    parameters = signature.parameters
    assert list(parameters)[:2] == ["api_key", "base_url"]
    assert parameters["max_retries"].default == 2
    assert parameters["timeout"].default == 30.0
    assert parameters["trusted_media_hosts"].default == ()
    assert "options" not in parameters
    doc = inspect.getdoc(vars(client_class)["__init__"]) or ""
    for name in parameters:
        assert f"{name}:" in doc, f"{name} is not documented in {client_class.__name__}.__init__"
