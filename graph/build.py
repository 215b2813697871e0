"""Documents -> the networkx property graph (see ``graph.schema``)."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from loaders.model import Document


def build_graph(documents: Iterable[Document], graph: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """Add ``documents`` to ``graph`` (a new one if None) and return it.

    Idempotent: a document whose sha256 is already in the graph changes nothing.
    """
    raise NotImplementedError
