"""File -> Document: the loader pipeline (read, normalise, segment, parse clauses)."""

from __future__ import annotations

from pathlib import Path

from loaders.model import Document

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def extract_text(name: str, text: str, sha256: str = "") -> Document:
    """Parse already-decoded document text into a Document."""
    raise NotImplementedError


def load_document(path: str | Path) -> Document:
    """Read and parse one file; raises ``LoadError`` naming the file and the reason."""
    raise NotImplementedError
