"""File bytes -> plain text, by format (.txt in any supported encoding, .html, .docx, .pdf).

Tables become one line per row, cells separated by a tab, header row included.
"""

from __future__ import annotations

from pathlib import Path


def read_text(path: str | Path) -> str:
    """The text of the document at ``path``; raises ``LoadError`` for bad input."""
    raise NotImplementedError
