"""Document metadata: title, issuer, 文号, date, jurisdiction and level, year."""

from __future__ import annotations

from loaders.model import Metadata


def extract_metadata(text: str, source: str, sha256: str) -> Metadata:
    """Metadata found in the normalised document ``text``."""
    raise NotImplementedError
