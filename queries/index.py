"""``GraphIndex``: what the named queries need, computed once per graph.

The index reads the graph once: task rows with their holders, each unit's tasks,
the name tables, a jieba inverted index of task texts, and (on first use) the
layout of the unfiltered collaboration network. The graph must not change while an
index over it is in use; build a new index for a new graph.

>>> from graph.build import build_graph
>>> GraphIndex(build_graph([])).tasks
{}
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable
from functools import cache, cached_property
from typing import Any, TypeVar

import networkx as nx

from govkg.graph.layout import packed_layout
from govkg.graph.network import collaboration_network
from govkg.graph.ops import nodes_of
from govkg.graph.schema import UNIT_KINDS, EdgeType, NodeKind
from govkg.queries.names import NameTable, resolve_report
from govkg.queries.results import Holder, RoleTask, TaskInfo, UnitRef

LAYOUT_SEED = 42
MEMO_SIZE = 64
T = TypeVar("T")
_WORD = re.compile(r"[\w\u3400-\u9fff]")
_ROLE_OF = {EdgeType.LEADS.value: "lead", EdgeType.ASSISTS.value: "assist"}


@cache
def _jieba():  # noqa: ANN202
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    """Search tokens of ``text``: jieba's search-mode words, punctuation dropped, lower-cased.

    >>> tokenize("推进居家养老服务。")
    ['推进', '居家', '养老', '服务']
    """
    return [w.lower() for w in _jieba().lcut_for_search(text) if _WORD.search(w)]


def query_tokens(text: str) -> list[str]:
    """Tokens of a search query: jieba's precise-mode words, punctuation dropped, lower-cased."""
    return list(dict.fromkeys(w.lower() for w in _jieba().lcut("".join(text.split())) if _WORD.search(w)))


RANK_HASH_BITS = 44  # below them, a task's token count (capped) above them: 62 bits in all
_RANK_MAX_TOKENS = (1 << 18) - 1


def search_rank(key: str, tokens: int) -> int:
    """A task's place among search hits as one non-negative 62-bit integer: fewer ``tokens`` first,
    then a hash of its ``key`` (a stable, arbitrary order). The store's full-text index keeps each
    word's tasks in this order, so a page of hits is read without sorting them all.

    >>> search_rank("task:0123:1", 3) >> RANK_HASH_BITS
    3
    >>> search_rank("task:0123:1", 3) < search_rank("task:0123:1", 4)
    True
    """
    digest = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=6).digest(), "big")
    return min(tokens, _RANK_MAX_TOKENS) << RANK_HASH_BITS | digest >> (48 - RANK_HASH_BITS)


def keywords(text: str, top: int = 10) -> list[str]:
    """The ``top`` TF-IDF keywords of ``text`` (jieba.analyse.extract_tags), numbers dropped."""
    _jieba()
    import jieba.analyse

    tags = jieba.analyse.extract_tags(text, topK=top * 2)
    return [t for t in tags if not re.fullmatch(r"[\d.%]+", t)][:top]


def _span(value: Any) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if isinstance(value, list | tuple) and len(value) == 2 else None


class GraphIndex:
    """Precomputed lookups over one graph (see the module docstring)."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self.reports: dict[str, dict[str, Any]] = {
            n: dict(graph.nodes[n]) for n in nodes_of(graph, NodeKind.REPORT)
        }
        self.units: dict[str, UnitRef] = {n: self._unit(n) for n in nodes_of(graph, *UNIT_KINDS)}
        tasks = sorted(
            (self._task(n) for n in nodes_of(graph, NodeKind.TASK)),
            key=lambda t: (t.report, t.span or (0, 0), t.id),
        )
        self.tasks: dict[str, TaskInfo] = {t.id: t for t in tasks}  # in report, then document order
        by_unit: dict[str, list[RoleTask]] = defaultdict(list)
        for task in self.tasks.values():
            for h in task.per_unit:
                by_unit[h.unit].append(RoleTask(task, h.role, h.basis))
        self.unit_tasks: dict[str, tuple[RoleTask, ...]] = {u: tuple(ts) for u, ts in by_unit.items()}
        self.names = NameTable.of(self.units)
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._memo_lock = threading.Lock()

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key`` for this graph; the last ``MEMO_SIZE`` results are kept.

        For expensive answers (e.g. a filtered network with its measures); they must be immutable.
        """
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value

    def _unit(self, key: str) -> UnitRef:
        d = self.graph.nodes[key]
        return UnitRef(
            id=key,
            label=str(d.get("label") or key),
            kind=str(d["kind"]),
            name=str(d.get("name") or d.get("label") or key),
            jurisdiction=d.get("jurisdiction"),
            aliases=tuple(d.get("aliases") or ()),
        )

    def _task(self, key: str) -> TaskInfo:
        d = self.graph.nodes[key]
        holders = []
        for u, _, etype, e in self.graph.in_edges(key, keys=True, data=True):
            if etype in _ROLE_OF and u in self.units:
                holders.append(
                    Holder(
                        unit=u,
                        label=self.units[u].label,
                        role=_ROLE_OF[etype],
                        basis=str(e.get("basis") or ""),
                        printed=str(e.get("printed") or self.units[u].label),
                        span=_span(e.get("span")),
                        evidence=tuple(e.get("evidence") or ()),
                        confidence=e.get("confidence"),
                    )
                )
        holders.sort(key=lambda h: (h.role != "lead", h.span or (0, 0), h.unit))
        report = self.reports.get(d.get("report"), {})
        return TaskInfo(
            id=key,
            number=str(d.get("number") or d.get("task_id") or ""),
            text=str(d.get("text") or ""),
            report=str(d.get("report") or ""),
            report_title=str(report.get("title") or report.get("label") or report.get("source") or ""),
            year=d.get("year"),
            jurisdiction=d.get("jurisdiction"),
            deadline=d.get("deadline"),
            span=_span(d.get("span")),
            holders=tuple(holders),
        )

    # --- selections ---

    def report_key(self, report: str | None) -> str | None:
        """The report key for a report name (see ``govkg.queries.names.resolve_report``), or None."""
        return None if report is None else resolve_report(self, report)

    def select(
        self,
        tasks: Iterable[TaskInfo],
        report: str | None = None,
        year: int | None = None,
        jurisdiction: str | None = None,
    ) -> list[TaskInfo]:
        """The ``tasks`` of ``report`` (any name of it), ``year`` and ``jurisdiction``."""
        key = self.report_key(report)
        return [
            t
            for t in tasks
            if (key is None or t.report == key)
            and (year is None or t.year == year)
            and (jurisdiction is None or t.jurisdiction == jurisdiction)
        ]

    # --- full-text search ---

    @cached_property
    def task_tokens(self) -> dict[str, frozenset[str]]:
        """Task key -> its search tokens (``tokenize`` of the task text)."""
        return {k: frozenset(tokenize(t.text)) for k, t in self.tasks.items()}

    @cached_property
    def postings(self) -> dict[str, frozenset[str]]:
        """The inverted index: token -> keys of the tasks whose text has it."""
        index: dict[str, set[str]] = defaultdict(set)
        for key, tokens in self.task_tokens.items():
            for token in tokens:
                index[token].add(key)
        return {t: frozenset(ks) for t, ks in index.items()}

    # --- the collaboration network ---

    @cached_property
    def network(self) -> nx.Graph:
        """The unfiltered collaboration network (``govkg.graph.network.collaboration_network``)."""
        return collaboration_network(self.graph)

    @cached_property
    def layout(self) -> dict[str, tuple[float, float]]:
        """Positions of the unfiltered network's nodes in [-1, 1]: a spring layout (fixed seed) per
        connected component, components packed side by side (``govkg.graph.layout.packed_layout``)."""
        return _rounded(packed_layout(self.network, seed=LAYOUT_SEED))

    def jurisdiction_layout(self, jurisdiction: str) -> dict[str, tuple[float, float]]:
        """Positions of the nodes of one jurisdiction's network (its tasks' units), laid out as
        ``layout`` lays out the whole: it depends on that jurisdiction's tasks alone."""
        return self.memo(
            ("jurisdiction_layout", jurisdiction),
            lambda: _rounded(packed_layout(self.jurisdiction_network(jurisdiction), seed=LAYOUT_SEED)),
        )

    def jurisdiction_network(self, jurisdiction: str) -> nx.Graph:
        """The collaboration network of one jurisdiction's tasks (do not mutate)."""
        return self.memo(
            ("jurisdiction_network", jurisdiction),
            lambda: collaboration_network(self.graph, jurisdiction=jurisdiction),
        )


def _rounded(pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    return {n: (round(x, 6), round(y, 6)) for n, (x, y) in pos.items()}
