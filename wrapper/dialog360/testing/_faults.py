"""Injectable faults: what the fake server does instead of, or to, its normal answer."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import KW_ONLY, dataclass, replace
from typing import Literal, get_args

Route = Literal["get_media", "attachments", "delete_media", "upload_media", "send_message"]
ROUTES: tuple[Route, ...] = get_args(Route)

FaultKind = Literal[
    "status",
    "html",
    "close_before",
    "close_mid_body",
    "truncate",
    "corrupt",
    "delay",
    "redirect",
    "foreign_url",
]
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)

# Kinds that replace the normal answer entirely; the others alter the normal answer's body
# (or, for delay and foreign_url, its timing or content).
REPLACING_KINDS: frozenset[FaultKind] = frozenset({"status", "html", "close_before", "redirect"})

DEFAULT_FOREIGN_URL = "https://evil.example.com/whatsapp_business/attachments/?{query}"


def check_route(route: str) -> Route:
    """`route` as a Route, or ValueError naming the valid ones."""
    for known in ROUTES:
        if route == known:
            return known
    raise ValueError(f"unknown route {route!r}; expected one of {', '.join(ROUTES)}")


@dataclass(frozen=True)
class Fault:
    """One misbehaviour, applied to the next `times` requests of the route it is injected on.

    Build one with a classmethod (`Fault.status(503, retry_after="1")`, `Fault.truncate()`, ...);
    each classmethod documents its kind. Faults on a route are consumed in injection order, one
    request at a time, whatever that request turns out to be (a 401 consumes a fault too).
    """

    kind: FaultKind
    _: KW_ONLY
    times: int = 1
    status_code: int | None = None
    retry_after: str | None = None
    body: str | None = None
    seconds: float = 0.0
    stall_mid_body: bool = False
    after_bytes: int | None = None
    location: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}")
        if not isinstance(self.times, int) or self.times < 1:
            raise ValueError("times must be an int >= 1")
        if self.kind in ("status", "html", "redirect") and self.status_code is None:
            raise ValueError(f"a {self.kind!r} fault needs status_code")
        if self.status_code is not None and not 200 <= self.status_code <= 599:
            raise ValueError("status_code must be within 200..599")
        if self.kind == "redirect" and not 300 <= (self.status_code or 0) <= 399:
            raise ValueError("a redirect needs a 3xx status_code")
        if self.seconds < 0:
            raise ValueError("seconds must be >= 0")
        if self.after_bytes is not None and self.after_bytes < 0:
            raise ValueError("after_bytes must be >= 0")

    @classmethod
    def status(
        cls,
        status_code: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        body: str | None = None,
    ) -> Fault:
        """Answer `status_code` with `{"error": "injected"}` (or the raw JSON text `body`).

        `retry_after` is sent verbatim as the Retry-After header (seconds or an HTTP-date).
        """
        return cls(
            "status", times=times, status_code=status_code, retry_after=retry_after, body=body
        )

    @classmethod
    def html(cls, status_code: int = 502, *, times: int = 1) -> Fault:
        """Answer `status_code` with a `text/html` page, as a gateway in front of the API would."""
        return cls("html", times=times, status_code=status_code)

    @classmethod
    def close_before(cls, *, times: int = 1) -> Fault:
        """Close the connection without sending any response."""
        return cls("close_before", times=times)

    @classmethod
    def close_mid_body(cls, *, after_bytes: int | None = None, times: int = 1) -> Fault:
        """Send the headers with the full Content-Length, then `after_bytes` (default: half) of
        the body, then close the connection."""
        return cls("close_mid_body", times=times, after_bytes=after_bytes)

    @classmethod
    def truncate(cls, *, after_bytes: int | None = None, times: int = 1) -> Fault:
        """Send only `after_bytes` (default: half) of the body with a Content-Length to match,
        so the response looks complete but is shorter than the media's file_size."""
        return cls("truncate", times=times, after_bytes=after_bytes)

    @classmethod
    def corrupt(cls, *, times: int = 1) -> Fault:
        """Flip the bits of the middle byte of the body: same length, different sha256."""
        return cls("corrupt", times=times)

    @classmethod
    def delay(
        cls,
        seconds: float,
        *,
        stall_mid_body: bool = False,
        after_bytes: int | None = None,
        times: int = 1,
    ) -> Fault:
        """Wait `seconds` before answering; with `stall_mid_body`, send the headers and
        `after_bytes` (default: half) of the body first, then wait, then send the rest.

        Waits end early when the server stops (the connection is then closed)."""
        return cls(
            "delay",
            times=times,
            seconds=seconds,
            stall_mid_body=stall_mid_body,
            after_bytes=after_bytes,
        )

    @classmethod
    def redirect(
        cls, location: str | None = None, *, status_code: int = 302, times: int = 1
    ) -> Fault:
        """Answer `status_code` with a Location on another origin.

        The default location is the same path and query on `http://127.0.0.2:<port>`, a different
        host than the server's 127.0.0.1 (nothing listens there unless you start something)."""
        return cls("redirect", times=times, status_code=status_code, location=location)

    @classmethod
    def foreign_url(cls, url: str | None = None, *, times: int = 1) -> Fault:
        """Only for "get_media": hand out `url` instead of the lookaside url.

        `{query}` in `url` is replaced by the genuine signed query and `{media_id}` by the id, so
        `"https://lookaside.fbsbx.com/other/path/?{query}"` tests a wrong path on a trusted host.
        Default: the genuine query on `https://evil.example.com`."""
        return cls("foreign_url", times=times, url=url)


class _Entry:
    """A queued fault and how many more requests it applies to."""

    __slots__ = ("fault", "remaining")

    def __init__(self, fault: Fault) -> None:
        self.fault = fault
        self.remaining = fault.times


class FaultBook:
    """The per-route fault queues and latencies; every method is thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[Route, deque[_Entry]] = {route: deque() for route in ROUTES}
        self._latency: dict[Route, float] = {}

    def inject(self, route: str, fault: Fault) -> None:
        """Queue `fault` for the next `fault.times` requests of `route`."""
        checked = check_route(route)
        if fault.kind == "foreign_url" and checked != "get_media":
            raise ValueError("a foreign_url fault applies only to the get_media route")
        with self._lock:
            self._queues[checked].append(_Entry(fault))

    def take(self, route: Route) -> Fault | None:
        """The fault the current request of `route` must suffer, if any (one use consumed)."""
        with self._lock:
            queue = self._queues[route]
            if not queue:
                return None
            entry = queue[0]
            entry.remaining -= 1
            if entry.remaining <= 0:
                queue.popleft()
            return entry.fault

    def pending(self, route: str | None = None) -> list[tuple[Route, Fault]]:
        """The faults not yet used up, with `times` set to the uses left."""
        routes = ROUTES if route is None else (check_route(route),)
        with self._lock:
            out: list[tuple[Route, Fault]] = []
            for name in routes:
                for entry in self._queues[name]:
                    out.append((name, replace(entry.fault, times=entry.remaining)))
            return out

    def clear(self) -> None:
        """Drop every queued fault (latencies stay)."""
        with self._lock:
            for queue in self._queues.values():
                queue.clear()

    def set_latency(self, route: str, seconds: float) -> None:
        """Delay every request of `route` by `seconds` (0 turns it off)."""
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        checked = check_route(route)
        with self._lock:
            if seconds:
                self._latency[checked] = seconds
            else:
                self._latency.pop(checked, None)

    def latency(self, route: Route) -> float:
        """The constant delay of `route` in seconds."""
        with self._lock:
            return self._latency.get(route, 0.0)
