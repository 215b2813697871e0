"""The one error a loader raises for bad input."""

from __future__ import annotations

from pathlib import Path


class LoadError(Exception):
    """A file that cannot be loaded; the message names the file and the reason.

    >>> str(LoadError("a.txt", "empty file"))
    'a.txt: empty file'
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
