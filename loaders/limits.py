"""Budgets for reading one document: file size, inflated size, entry count, time, memory.

Defaults are generous for real government documents and small enough that no single
file can take the machine down. Each one can be changed by an environment variable
(read by ``Limits.from_env``):

==========================  =====================================  ==========
variable                    what                                   default
==========================  =====================================  ==========
``GOVKG_MAX_FILE_MB``       size of an upload or file              50
``GOVKG_MAX_INFLATED_MB``   .docx parts inflated / PDF streams     200
``GOVKG_MAX_ENTRIES``       entries in a .docx (zip) archive       2000
``GOVKG_PARSE_SECONDS``     wall-clock time to parse one document  120
``GOVKG_PARSE_MEMORY_MB``   memory of the process parsing it       1024
``GOVKG_PARSE_WORKERS``     documents parsed at the same time      2
==========================  =====================================  ==========

>>> Limits().max_file_bytes
52428800
>>> Limits.from_env({"GOVKG_MAX_FILE_MB": "1"}).max_file_bytes
1048576
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-document budgets (bytes, entries, seconds, worker count)."""

    max_file_bytes: int = 50 * _MB
    max_inflated_bytes: int = 200 * _MB
    max_entries: int = 2000
    parse_seconds: float = 120.0
    parse_memory_bytes: int = 1024 * _MB
    workers: int = 2

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """Limits from ``GOVKG_*`` variables (see the module docstring); bad values raise ValueError."""
        env = os.environ if env is None else env
        base = cls()

        def number(name: str, default: float, scale: float = 1) -> float:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a number") from None
            if value <= 0:
                raise ValueError(f"{name}={raw!r} must be positive")
            return value * scale

        return cls(
            max_file_bytes=int(number("GOVKG_MAX_FILE_MB", base.max_file_bytes, _MB)),
            max_inflated_bytes=int(number("GOVKG_MAX_INFLATED_MB", base.max_inflated_bytes, _MB)),
            max_entries=int(number("GOVKG_MAX_ENTRIES", base.max_entries)),
            parse_seconds=number("GOVKG_PARSE_SECONDS", base.parse_seconds),
            parse_memory_bytes=int(number("GOVKG_PARSE_MEMORY_MB", base.parse_memory_bytes, _MB)),
            workers=max(1, int(number("GOVKG_PARSE_WORKERS", base.workers))),
        )


def megabytes(n: int) -> str:
    """``52428800`` -> ``'50 MB'``."""
    return f"{n / _MB:g} MB"
