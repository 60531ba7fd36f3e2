"""What the fake server remembers about each request, for assertions in tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from dialog360._constants import API_KEY_HEADER
from dialog360.testing._faults import Fault

_REDACTED_HEADERS = frozenset({API_KEY_HEADER.lower(), "authorization"})


class RecordedHeaders(Mapping[str, str]):
    """Read-only, case-insensitive request headers; a repeated header maps to its first value.

    Keys iterate lower-cased. `repr()` hides the API key (the values stay readable by key).
    """

    __slots__ = ("_first", "_items")

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self._items = tuple(items)
        first: dict[str, str] = {}
        for name, value in self._items:
            first.setdefault(name.lower(), value)
        self._first = first

    def __getitem__(self, name: str) -> str:
        return self._first[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._first

    def __iter__(self) -> Iterator[str]:
        return iter(self._first)

    def __len__(self) -> int:
        return len(self._first)

    def get_all(self, name: str) -> list[str]:
        """Every value of header `name`, in the order received."""
        wanted = name.lower()
        return [value for key, value in self._items if key.lower() == wanted]

    def raw_items(self) -> tuple[tuple[str, str], ...]:
        """The headers exactly as received: original case, order and repeats."""
        return self._items

    def __repr__(self) -> str:
        shown = {
            name: ("<redacted>" if name in _REDACTED_HEADERS else value)
            for name, value in self._first.items()
        }
        return f"RecordedHeaders({shown!r})"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake server received it.

    `route` is "get_media", "attachments", "delete_media", "upload_media", "send_message" or
    "unknown";
    `fault` is the injected fault this request consumed, if any; `time` is `time.monotonic()`.
    """

    method: str
    path: str
    raw_query: str
    headers: RecordedHeaders
    body_size: int
    route: str
    fault: Fault | None
    time: float
