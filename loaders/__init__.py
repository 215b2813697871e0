"""Loaders: document files (.txt .html .docx .pdf) -> the typed document model.

>>> from loaders import load_document  # doctest: +SKIP
>>> doc = load_document("samples/001_6ae365a741fde3ec.txt")  # doctest: +SKIP
"""

from govkg.loaders.errors import LoadError
from govkg.loaders.extract import SUPPORTED_SUFFIXES, extract_text, load_document
from govkg.loaders.model import Document, Level, Metadata, Role, Section, Span, Target, Task, UnitMention

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Document",
    "Level",
    "LoadError",
    "Metadata",
    "Role",
    "Section",
    "Span",
    "Target",
    "Task",
    "UnitMention",
    "extract_text",
    "load_document",
]
