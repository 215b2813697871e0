"""Documents -> the networkx property graph (see ``govkg.graph.schema``).

>>> g = build_graph([])
>>> g.number_of_nodes()
0
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import networkx as nx

from govkg.graph import derive
from govkg.graph.ops import add_edge, add_node
from govkg.graph.resolve import Context, ResolvedUnit, context, place_level, resolve_unit
from govkg.graph.schema import (
    Basis,
    EdgeType,
    NodeKind,
    district_key,
    jurisdiction_key,
    report_key,
    section_key,
    target_key,
    task_key,
    unplaced_scope,
)
from govkg.loaders.model import Document, Level, Role, Section, Target, Task, UnitMention

TASK_LABEL_CHARS = 30
REPORT_TARGETS = ""  # task id used in the keys of targets stated outside any task


def build_graph(documents: Iterable[Document], graph: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """Add ``documents`` to ``graph`` (a new one if None) and return it.

    Idempotent: a document whose sha256 is already in the graph changes nothing.
    After new documents are added, the graph-wide facts (unit labels and aliases,
    MEMBER_OF, SUCCEEDED_BY, CONCERNS from task text) are recomputed, so the result
    does not depend on the order the documents come in.
    """
    g = nx.MultiDiGraph() if graph is None else graph
    added = False
    for doc in documents:
        sha = document_sha256(doc)
        if report_key(sha) not in g:
            add_document(g, doc, sha)
            added = True
    if added:
        derive.refresh(g)
    return g


def document_sha256(doc: Document) -> str:
    """The document's sha256 from its metadata, or of its text when the loader gave none."""
    return doc.metadata.sha256 or hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def add_document(g: nx.MultiDiGraph, doc: Document, sha: str | None = None) -> str:
    """Add one document's report, sections, tasks, targets and units; return the report key."""
    sha = sha or document_sha256(doc)
    meta = doc.metadata
    report = add_node(
        g,
        report_key(sha),
        NodeKind.REPORT,
        meta.title or meta.source,
        source=meta.source,
        sha256=sha,
        title=meta.title,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        published=meta.published,
        jurisdiction=meta.jurisdiction,
        level=meta.level.value,
        division_code=meta.division_code,
        division_chain=list(meta.division_chain),
        year=meta.year,
        task_count=len(doc.tasks),
    )
    if meta.jurisdiction:
        _add_jurisdiction(g, meta.jurisdiction, meta.level)
    parents = _add_sections(g, doc.sections, sha, report)
    ctx = context(
        meta.jurisdiction, meta.level, (u.name for t in doc.tasks for u in t.units), scope=unplaced_scope(sha)
    )
    for task in doc.tasks:
        _add_task(g, doc, task, sha, report, parents, ctx)
    for i, target in enumerate(doc.targets):
        _add_target(g, report, target, sha, REPORT_TARGETS, i, report)
    return report


def _add_jurisdiction(g: nx.MultiDiGraph, name: str, level: Level | None = None) -> str:
    """Add a jurisdiction; its level is ``level`` if known, else guessed from the name's suffix."""
    key = jurisdiction_key(name)
    if key not in g:
        add_node(g, key, NodeKind.JURISDICTION, name, name=name, level=place_level(name).value)
    if level and level is not Level.UNKNOWN:
        g.nodes[key]["level"] = level.value
    return key


def _add_sections(
    g: nx.MultiDiGraph, sections: tuple[Section, ...], sha: str, report: str
) -> dict[tuple[str, ...], str]:
    """Add the section tree; return section path -> node key."""
    keys: dict[tuple[str, ...], str] = {}
    for s in sections:
        key = add_node(
            g,
            section_key(sha, s.path),
            NodeKind.SECTION,
            f"{s.number} {s.title}".strip(),
            report=report,
            number=s.number,
            title=s.title,
            level=s.level,
            path=list(s.path),
            span=[s.span.start, s.span.end],
        )
        add_edge(g, _parent(keys, s.path[:-1], report), key, EdgeType.CONTAINS)
        keys[tuple(s.path)] = key
    return keys


def _parent(sections: dict[tuple[str, ...], str], path: tuple[str, ...], report: str) -> str:
    """The deepest known section on ``path``, or the report."""
    for n in range(len(path), 0, -1):
        if tuple(path[:n]) in sections:
            return sections[tuple(path[:n])]
    return report


def _add_task(
    g: nx.MultiDiGraph,
    doc: Document,
    task: Task,
    sha: str,
    report: str,
    sections: dict[tuple[str, ...], str],
    ctx: Context,
) -> None:
    meta = doc.metadata
    key = add_node(
        g,
        task_key(sha, task.id),
        NodeKind.TASK,
        task.text[:TASK_LABEL_CHARS] or task.number,
        report=report,
        task_id=task.id,
        number=task.number,
        text=task.text,
        section_path=list(task.section_path),
        deadline=task.deadline,
        span=[task.span.start, task.span.end],
        year=meta.year,
        jurisdiction=meta.jurisdiction,
    )
    add_edge(g, _parent(sections, task.section_path, report), key, EdgeType.CONTAINS)
    for i, target in enumerate(task.targets):
        _add_target(g, key, target, sha, task.id, i, report)
    for mention, etype, basis in responsibilities(task.units):
        unit = resolve_unit(mention.name, ctx, mention.collective)
        _add_unit(g, unit)
        add_edge(
            g,
            unit.key,
            key,
            etype,
            basis=basis.value,
            report=report,
            span=[mention.span.start, mention.span.end],
            printed=mention.printed,
            name=mention.name,
            evidence=list(mention.evidence),
            confidence=mention.confidence,
        )
        if unit.district:
            district = _add_district(g, unit.district, ctx.jurisdiction, ctx.key_jurisdiction)
            add_edge(g, key, district, EdgeType.CONCERNS, basis="unit")


def responsibilities(units: Iterable[UnitMention]) -> list[tuple[UnitMention, EdgeType, Basis]]:
    """Each mention with the edge it makes: explicit roles, or first-listed for 责任单位 lists.

    With no explicit lead, the first RESPONSIBLE unit leads and the others assist
    (``first_listed``); next to an explicit lead, RESPONSIBLE units assist explicitly.
    """
    units = list(units)
    has_lead = any(u.role is Role.LEAD for u in units)
    out = []
    first = True
    for u in units:
        if u.role is Role.LEAD:
            out.append((u, EdgeType.LEADS, Basis.EXPLICIT))
        elif u.role is Role.ASSIST or has_lead:
            out.append((u, EdgeType.ASSISTS, Basis.EXPLICIT))
        else:
            out.append((u, EdgeType.LEADS if first else EdgeType.ASSISTS, Basis.FIRST_LISTED))
            first = False
    return out


def _add_unit(g: nx.MultiDiGraph, unit: ResolvedUnit) -> None:
    add_node(g, unit.key, unit.kind, unit.name, name=unit.name, jurisdiction=unit.jurisdiction, aliases=[])
    if unit.jurisdiction:
        add_edge(g, unit.key, _add_jurisdiction(g, unit.jurisdiction), EdgeType.PART_OF)


def _add_district(g: nx.MultiDiGraph, name: str, jurisdiction: str | None, scope: str | None) -> str:
    key = add_node(
        g, district_key(scope, name), NodeKind.DISTRICT, name, name=name, jurisdiction=jurisdiction
    )
    if jurisdiction:
        add_edge(g, key, _add_jurisdiction(g, jurisdiction), EdgeType.PART_OF)
    return key


def _add_target(
    g: nx.MultiDiGraph, owner: str, target: Target, sha: str, task_id: str, index: int, report: str
) -> None:
    key = add_node(
        g,
        target_key(sha, task_id, index),
        NodeKind.TARGET,
        target.text,
        report=report,
        task=owner if task_id != REPORT_TARGETS else None,
        text=target.text,
        indicator=target.indicator,
        measure=target.measure,
        value=target.value,
        unit=target.unit,
        comparator=target.comparator,
        period=target.period,
        span=[target.span.start, target.span.end],
    )
    add_edge(g, owner, key, EdgeType.HAS_TARGET)
