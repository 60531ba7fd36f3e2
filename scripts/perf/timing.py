"""Measuring side by side on a noisy machine: interleaved rounds, medians, machine state."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any


def interleaved(
    sides: dict[str, Callable[[], float]], rounds: int, *, log: Callable[[str], None] | None = None
) -> dict[str, list[float]]:
    """Run every side once per round, rotating the order each round (A,B,C / B,C,A / ...) so a
    slow spell of the machine lands on every side alike. Each callable returns its own timing."""
    names = list(sides)
    results: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        shift = number % len(names)
        order = names[shift:] + names[:shift]
        if number % 2:
            order.reverse()
        for name in order:
            results[name].append(sides[name]())
        if log is not None:
            figures = ", ".join(f"{name} {results[name][-1]:.4f}" for name in names)
            log(f"  round {number + 1}/{rounds}: {figures}")
    return results


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def ratios(top: Sequence[float], bottom: Sequence[float]) -> list[float]:
    """Per-round ratios: each round's two figures were measured seconds apart."""
    return [a / b for a, b in zip(top, bottom, strict=True) if b > 0]


def spread(values: Sequence[float]) -> str:
    """`min..max` of a list, for showing how noisy a figure was."""
    return f"{min(values):.2f}..{max(values):.2f}"


def timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def machine() -> dict[str, Any]:
    """What the figures were measured on, including how busy the machine was."""
    import httpx  # already imported by the caller; here for the version only

    return {
        "python": sys.version.split()[0],
        "httpx": httpx.__version__,
        "platform": platform.platform(terse=True),
        "cpus": os.cpu_count(),
        "loadavg": [round(value, 2) for value in os.getloadavg()],
    }
