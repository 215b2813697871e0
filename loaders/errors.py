"""The errors a loader raises: bad input, or an internal failure in one stage."""

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


class InternalError(LoadError):
    """An unexpected exception inside one loader stage, reported for one file.

    >>> str(InternalError("a.txt", "targets", KeyError("x")))
    "a.txt: internal error in targets: KeyError: 'x'"
    """

    def __init__(self, path: str | Path, stage: str, error: BaseException) -> None:
        self.stage = stage
        self.error = error
        super().__init__(path, f"internal error in {stage}: {type(error).__name__}: {error}")
