"""Timing helpers shared by the benchmarks: each figure is printed with its ratio to a
baseline measured in the same run, so that results compare across machines."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def measure(fn: Callable[[], T]) -> tuple[float, T]:
    """Seconds taken by ``fn()`` and its result."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


class Table:
    """Prints ``label  seconds  ratio`` rows against ``baseline`` seconds."""

    def __init__(self, baseline: float, baseline_label: str) -> None:
        self.baseline = baseline
        print(f"{'baseline: ' + baseline_label:<44} {baseline:8.3f} s       1.0x")

    def timed(self, label: str, fn: Callable[[], T]) -> T:
        seconds, result = measure(fn)
        ratio = seconds / self.baseline if self.baseline else float("inf")
        print(f"{label:<44} {seconds:8.3f} s {ratio:10.1f}x")
        return result
