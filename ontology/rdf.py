"""The networkx graph as RDF, in the govkg vocabulary (``ontology/govkg.ttl``).

Nodes become resources typed by their ``kind`` (``govkg:Task`` …) whose IRIs are minted
from the node keys (``govkg.ontology.namespaces.node_iri``). Attributes map to the reused
terms where one fits (``dcterms:title``, ``skos:altLabel`` …). A LEADS / ASSISTS edge
becomes a PROV qualified attribution of the task::

    task prov:wasAttributedTo dept ;
         prov:qualifiedAttribution [ a prov:Attribution ; prov:agent dept ;
             prov:hadRole govkg:Lead ; govkg:basis "explicit" ; govkg:inReport report ] .

and a SUCCEEDED_BY edge an ``org:ChangeEvent`` linking the old and the new department.

>>> g = to_rdf(graph)  # doctest: +SKIP
>>> g.serialize(format="turtle")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, BinaryIO

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from govkg.graph.schema import EdgeType, NodeKind
from govkg.ontology.namespaces import GOVKG, PREFIXES, minted_iri, node_iri

Triple = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode]

CLASSES: Mapping[str, URIRef] = {kind.value: GOVKG[kind.value] for kind in NodeKind}
ROLES: Mapping[str, URIRef] = {EdgeType.LEADS.value: GOVKG.Lead, EdgeType.ASSISTS.value: GOVKG.Assist}


@dataclass(frozen=True, slots=True)
class Property:
    """How one attribute is written: its predicate and whether text is Chinese (``@zh``)."""

    predicate: URIRef
    chinese: bool = False


# Attribute name -> predicate, for node and edge attributes alike.
PROPERTIES: Mapping[str, Property] = {
    "label": Property(RDFS.label, chinese=True),
    "name": Property(SKOS.prefLabel, chinese=True),
    "aliases": Property(SKOS.altLabel, chinese=True),
    "source": Property(GOVKG.sourceFile),
    "sha256": Property(GOVKG.sha256),
    "title": Property(DCTERMS.title, chinese=True),
    "issuer": Property(DCTERMS.publisher, chinese=True),
    "doc_number": Property(DCTERMS.identifier),
    "published": Property(DCTERMS.issued),
    "jurisdiction": Property(GOVKG.jurisdictionName, chinese=True),
    "level": Property(GOVKG.level),
    "year": Property(GOVKG.year),
    "task_count": Property(GOVKG.taskCount),
    "division_code": Property(GOVKG.divisionCode),
    "division_chain": Property(GOVKG.divisionChain),
    "number": Property(GOVKG.number),
    "path": Property(GOVKG.sectionPath),
    "section_path": Property(GOVKG.sectionPath),
    "task_id": Property(GOVKG.taskId),
    "text": Property(GOVKG.text, chinese=True),
    "deadline": Property(GOVKG.deadline, chinese=True),
    "indicator": Property(GOVKG.indicator, chinese=True),
    "measure": Property(GOVKG.measure, chinese=True),
    "value": Property(GOVKG.value),
    "unit": Property(GOVKG.unit),
    "comparator": Property(GOVKG.comparator),
    "period": Property(GOVKG.period, chinese=True),
    "basis": Property(GOVKG.basis),
    "printed": Property(GOVKG.printed, chinese=True),
    "evidence": Property(GOVKG.evidence),
    "confidence": Property(GOVKG.confidence),
}

# Attributes whose value is the key of another node: a link, not a literal.
LINKS: Mapping[str, URIRef] = {
    "report": PROV.hadPrimarySource,
    "task": PROV.wasDerivedFrom,
}
EDGE_LINKS: Mapping[str, URIRef] = {"report": GOVKG.inReport}
EDGE_PROPERTIES: Mapping[str, Property] = {**PROPERTIES, "name": Property(GOVKG.unitName, chinese=True)}

# PART_OF of a unit is org:subOrganizationOf its jurisdiction's government.
_UNIT_KINDS = frozenset({NodeKind.DEPARTMENT.value, NodeKind.COLLECTIVE.value})

SPAN = "span"
PATHS = frozenset({"path", "section_path", "division_chain"})
SKIPPED = frozenset({"kind", "type"})


@cache
def ontology() -> Graph:
    """The govkg vocabulary parsed from ``ontology/govkg.ttl`` (do not mutate)."""
    text = resources.files("ontology").joinpath("govkg.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def new_graph() -> Graph:
    """An empty rdflib graph with the govkg prefixes bound."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, replace=True)
    return g


def literal(value: Any, chinese: bool = False) -> Literal:
    """``value`` as a typed literal; text as ``@zh`` when ``chinese``; ISO dates as ``xsd:date``.

    >>> [str(literal(v).datatype).split("#")[1] for v in (6.0, 13, "2020-06-28")]
    ['double', 'integer', 'date']
    >>> literal("区发改局", chinese=True).language
    'zh'
    """
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    text = str(value)
    if _is_iso_date(text):
        return Literal(text, datatype=XSD.date)
    return Literal(text, lang="zh") if chinese else Literal(text)


def _is_iso_date(text: str) -> bool:
    return len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isdigit()


def attribute_triples(
    subject: URIRef,
    attrs: Mapping[str, Any],
    graph: nx.MultiDiGraph,
    links: Mapping[str, URIRef] = LINKS,
    props: Mapping[str, Property] = PROPERTIES,
) -> Iterator[Triple]:
    """Triples for the attributes of a node or edge; unknown attributes go to ``govkg:<name>``."""
    for name, value in attrs.items():
        if value is None or name in SKIPPED:
            continue
        if name in links and isinstance(value, str) and value in graph:
            yield subject, links[name], node_iri(value)
        elif name == SPAN and isinstance(value, list | tuple) and len(value) == 2:
            yield subject, GOVKG.spanStart, literal(int(value[0]))
            yield subject, GOVKG.spanEnd, literal(int(value[1]))
        elif name in PATHS and isinstance(value, list | tuple):
            yield subject, props[name].predicate, literal("/".join(map(str, value)))
        else:
            prop = props.get(name, Property(GOVKG[name]))
            for item in value if isinstance(value, list | tuple) else (value,):
                yield subject, prop.predicate, literal(item, prop.chinese)


def node_triples(key: str, attrs: Mapping[str, Any], graph: nx.MultiDiGraph) -> Iterator[Triple]:
    """The type, key and attribute triples of one node."""
    subject = node_iri(key)
    kind = attrs.get("kind")
    if kind in CLASSES:
        yield subject, RDF.type, CLASSES[kind]
    yield subject, GOVKG.key, Literal(key)
    yield from attribute_triples(subject, attrs, graph)


def _responsibility(
    u: str, v: str, etype: str, attrs: Mapping[str, Any], g: nx.MultiDiGraph
) -> Iterator[Triple]:
    unit, task, attribution = node_iri(u), node_iri(v), minted_iri("attribution", etype, u, v)
    yield task, PROV.wasAttributedTo, unit
    yield task, PROV.qualifiedAttribution, attribution
    yield attribution, RDF.type, PROV.Attribution
    yield attribution, PROV.agent, unit
    yield attribution, PROV.hadRole, ROLES[etype]
    yield from attribute_triples(attribution, attrs, g, EDGE_LINKS, EDGE_PROPERTIES)


def _succession(u: str, v: str, etype: str, attrs: Mapping[str, Any], g: nx.MultiDiGraph) -> Iterator[Triple]:
    old, new, event = node_iri(u), node_iri(v), minted_iri("change", u, v)
    yield old, GOVKG.succeededBy, new
    yield event, RDF.type, ORG.ChangeEvent
    yield event, ORG.originalOrganization, old
    yield old, ORG.changedBy, event
    yield new, ORG.resultedFrom, event
    yield from attribute_triples(event, attrs, g, EDGE_LINKS, EDGE_PROPERTIES)


def _part_of(u: str, v: str, etype: str, attrs: Mapping[str, Any], g: nx.MultiDiGraph) -> Iterator[Triple]:
    unit = g.nodes[u].get("kind") in _UNIT_KINDS
    yield node_iri(u), ORG.subOrganizationOf if unit else GOVKG.partOf, node_iri(v)


def _simple(predicate: URIRef) -> Callable[..., Iterator[Triple]]:
    def triples(u: str, v: str, etype: str, attrs: Mapping[str, Any], g: nx.MultiDiGraph) -> Iterator[Triple]:
        yield node_iri(u), predicate, node_iri(v)

    return triples


EDGE_WRITERS: Mapping[str, Callable[..., Iterator[Triple]]] = {
    EdgeType.CONTAINS.value: _simple(GOVKG.contains),
    EdgeType.LEADS.value: _responsibility,
    EdgeType.ASSISTS.value: _responsibility,
    EdgeType.HAS_TARGET.value: _simple(GOVKG.hasTarget),
    EdgeType.CONCERNS.value: _simple(GOVKG.concerns),
    EdgeType.PART_OF.value: _part_of,
    EdgeType.MEMBER_OF.value: _simple(ORG.memberOf),
    EdgeType.SUCCEEDED_BY.value: _succession,
}


def edge_triples(
    u: str, v: str, etype: str, attrs: Mapping[str, Any], graph: nx.MultiDiGraph
) -> Iterator[Triple]:
    """The triples of one edge of type ``etype``; unknown types become ``govkg:<type>`` links."""
    writer = EDGE_WRITERS.get(etype, _simple(GOVKG[etype]))
    yield from writer(u, v, etype, attrs, graph)


def to_rdf(graph: nx.MultiDiGraph, include_ontology: bool = True) -> Graph:
    """The RDF of ``graph``, with the govkg vocabulary included unless ``include_ontology`` is False.

    Deterministic: the same graph always gives the same triples (no blank nodes).
    """
    out = new_graph()
    if include_ontology:
        for triple in ontology():
            out.add(triple)
    for key, attrs in graph.nodes(data=True):
        for triple in node_triples(key, attrs, graph):
            out.add(triple)
    for u, v, etype, attrs in graph.edges(keys=True, data=True):
        for triple in edge_triples(u, v, str(attrs.get("type", etype)), attrs, graph):
            out.add(triple)
    return out


def triples(graph: nx.MultiDiGraph, include_ontology: bool = True) -> Iterator[Triple]:
    """The triples of ``to_rdf(graph)``, one node or edge at a time (may repeat a triple)."""
    if include_ontology:
        yield from ontology()
    for key, attrs in graph.nodes(data=True):
        yield from node_triples(key, attrs, graph)
    for u, v, etype, attrs in graph.edges(keys=True, data=True):
        yield from edge_triples(u, v, str(attrs.get("type", etype)), attrs, graph)


def write_ntriples(graph: nx.MultiDiGraph, out: BinaryIO, include_ontology: bool = True) -> int:
    """Stream the RDF of ``graph`` to ``out`` as one triple per line; return the lines written.

    No pretty-printing and no whole-graph rdflib ``Graph`` in memory. Lines are N-Triples
    terms (a literal with a line break uses Turtle's long quotes), so the output is Turtle.
    """
    n = 0
    batch: list[str] = []
    for s, p, o in triples(graph, include_ontology):
        batch.append(f"{s.n3()} {p.n3()} {o.n3()} .\n")
        if len(batch) >= 10_000:
            out.write("".join(batch).encode("utf-8"))
            n += len(batch)
            batch.clear()
    out.write("".join(batch).encode("utf-8"))
    return n + len(batch)
