"""Question 6: full-text task search in Chinese over the index's jieba inverted index.

Every word of the query (jieba precise mode) must be in the task; a word the index
does not know is looked up by its search-mode parts instead. Results are ranked by
the share of the task's tokens that the query matched (short, focused tasks first), then
by the task's token count and a hash of its key (``search_rank``: the order the store's
full-text index keeps).

>>> from graph.build import build_graph
>>> from queries.index import GraphIndex
>>> search_tasks(GraphIndex(build_graph([])), "养老服务")
[]
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from govkg.graph.schema import EdgeType, NodeKind
from govkg.queries.index import GraphIndex, query_tokens, search_rank, tokenize
from govkg.queries.names import MAX_SUGGESTIONS, UnknownName, resolve_unit
from govkg.queries.results import TaskInfo


@dataclass(frozen=True, slots=True)
class SearchHit:
    task: TaskInfo
    score: float
    matched: tuple[str, ...]


def _word_postings(index: GraphIndex, word: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Tasks having ``word`` and the tokens it matched (its parts if it is not indexed)."""
    postings = index.postings
    if word in postings:
        return postings[word], (word,)
    parts = [p for p in tokenize(word) if p != word]
    if not parts or any(p not in postings for p in parts):
        return frozenset(), ()
    return frozenset.intersection(*(postings[p] for p in parts)), tuple(parts)


def search_tasks(
    index: GraphIndex,
    text: str,
    department: str | None = None,
    district: str | None = None,
    report: str | None = None,
    year: int | None = None,
    limit: int | None = None,
) -> list[SearchHit]:
    """Tasks whose text has every word of ``text``, best first, optionally filtered.

    ``department`` is any unit name (it must hold the task); ``district`` the name of a
    District node the task CONCERNS.
    """
    words = query_tokens(text)
    if not words:
        return []
    found: frozenset[str] | None = None
    matched: list[str] = []
    for word in words:
        tasks, tokens = _word_postings(index, word)
        found = tasks if found is None else found & tasks
        matched.extend(tokens)
        if not found:
            return []
    assert found is not None
    if department is not None:
        unit = resolve_unit(index, department).id
        found = found & {rt.task.id for rt in index.unit_tasks.get(unit, ())}
    if district is not None:
        found = found & district_tasks(index, district)
    rows = index.select((index.tasks[k] for k in sorted(found)), report=report, year=year)
    hits = [
        SearchHit(t, round(len(set(matched)) / max(1, len(index.task_tokens[t.id])), 4), tuple(matched))
        for t in rows
    ]
    hits.sort(key=lambda h: (-h.score, search_rank(h.task.id, len(index.task_tokens[h.task.id])), h.task.id))
    return hits[:limit] if limit is not None else hits


def district_tasks(index: GraphIndex, district: str) -> frozenset[str]:
    g = index.graph
    names = {n: str(d.get("name")) for n, d in g.nodes(data=True) if d.get("kind") == NodeKind.DISTRICT.value}
    nodes = [n for n, name in names.items() if district in (n, name)]
    if not nodes:
        close = difflib.get_close_matches(
            district, sorted(set(names.values())), n=MAX_SUGGESTIONS, cutoff=0.4
        )
        raise UnknownName(district, close, "district")
    return frozenset(t for n in nodes for t, _, k in g.in_edges(n, keys=True) if k == EdgeType.CONCERNS.value)
