"""The named questions asked of the RDF export (SPARQL) and of Neo4j over Bolt (Cypher).

Each question is a file ``queries/sparql/<name>.rq`` and ``queries/cypher/<name>.cypher``
taking the same named parameters: ``$dept`` in Cypher (its ``// :param`` lines give
example values), ``?dept`` in SPARQL, bound by a ``VALUES ?dept { "…" }`` line at the
start of ``WHERE`` so that each file runs as it is on any SPARQL 1.1 engine; ``limit``
is the query's ``LIMIT``. ``ask`` runs one on either store and returns the same rows from both:
dicts with the columns of the Cypher query, list values sorted.

>>> from ontology.rdf import to_rdf  # doctest: +SKIP
>>> ask(SparqlStore(to_rdf(graph)), "co_owned", dept="dept:下陆区:发展和改革局")  # doctest: +SKIP
[{'task': 'task:78d5a2606a6a4c2e:3', 'label': '积极争取政策支持,…', 'roles': ['LEADS'], 'others': [...]}, ...]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Question:
    """A named question: its parameters and, for SPARQL, how its rows fold into Cypher's."""

    name: str
    params: tuple[str, ...] = ()
    description: str = ""
    fold: Callable[[list[Row]], list[Row]] | None = None  # SPARQL rows -> Cypher rows


def _fold(group_by: tuple[str, ...], lists: Mapping[str, str]) -> Callable[[list[Row]], list[Row]]:
    """A fold grouping rows on ``group_by`` and collecting column ``src`` into list ``dst``."""

    def fold(rows: list[Row]) -> list[Row]:
        out: dict[tuple[Any, ...], Row] = {}
        for row in rows:
            key = tuple(row.get(c) for c in group_by)
            merged = out.setdefault(
                key, {**{c: row.get(c) for c in group_by}, **{d: [] for d in lists.values()}}
            )
            for src, dst in lists.items():
                if row.get(src) is not None and row[src] not in merged[dst]:
                    merged[dst].append(row[src])
        return list(out.values())

    return fold


QUESTIONS: Mapping[str, Question] = {
    q.name: q
    for q in (
        Question("tasks_by_role", ("dept",), "Tasks a department leads and assists."),
        Question(
            "co_owned",
            ("dept",),
            "Tasks a department holds that another unit also holds.",
            _fold(("task", "label"), {"role": "roles", "unit": "others"}),
        ),
        Question(
            "co_owned_pair",
            ("dept", "other"),
            "Tasks two departments both hold, with their roles and the lead units.",
            _fold(
                ("task", "label"), {"dept_role": "dept_roles", "other_role": "other_roles", "lead": "leads"}
            ),
        ),
        Question("collaborators", ("dept",), "Units sharing tasks with a department, most shared first."),
        Question("tasks_without_lead", (), "Tasks no unit leads."),
        Question("top_leads", ("limit",), "Units that lead the most tasks."),
        Question("tasks_per_district", (), "Number of tasks concerning each district."),
        Question("targets_by_indicator", ("word",), "Targets whose indicator contains a word."),
        Question("change_between_reports", ("before", "after"), "Change of each unit's task count."),
    )
}


@cache
def query_text(name: str, language: str) -> str:
    """The text of ``queries/<language>/<name>.<ext>``; ``language`` is ``cypher`` or ``sparql``.

    >>> "MERGE" not in query_text("co_owned", "cypher")
    True
    """
    ext = {"cypher": "cypher", "sparql": "rq"}[language]
    return resources.files("queries").joinpath(language, f"{name}.{ext}").read_text(encoding="utf-8")


def _question(name: str, params: Mapping[str, Any]) -> Question:
    if name not in QUESTIONS:
        raise KeyError(f"unknown question {name!r}; known: {', '.join(QUESTIONS)}")
    q = QUESTIONS[name]
    missing = [p for p in q.params if p not in params]
    if missing:
        raise TypeError(f"question {name!r} needs {', '.join(missing)}")
    return q


_VALUES = re.compile(r"^(?P<indent>[ \t]*)VALUES \?(?P<name>\w+) \{[^}\n]*\}[ \t]*$", re.MULTILINE)
_LIMIT = re.compile(r"^LIMIT \d+[ \t]*$", re.MULTILINE)


def bind_sparql(text: str, params: Mapping[str, Any]) -> str:
    """``text`` with each ``VALUES ?name { … }`` line binding ``params[name]``, and ``LIMIT`` set to ``limit``.

    >>> bind_sparql('SELECT * WHERE {\\n  VALUES ?dept { "a" }\\n}\\nLIMIT 10', {"dept": 'b"c', "limit": 3})
    'SELECT * WHERE {\\n  VALUES ?dept { "b\\\\"c" }\\n}\\nLIMIT 3'
    """
    found = {m["name"] for m in _VALUES.finditer(text)}
    missing = [p for p in params if p != "limit" and p not in found]
    if missing:
        raise ValueError(f"the SPARQL query has no VALUES line for {', '.join(missing)}")

    def values(m: re.Match[str]) -> str:
        name = m["name"]
        if name not in params:
            return m[0]
        return f"{m['indent']}VALUES ?{name} {{ {Literal(params[name]).n3()} }}"

    text = _VALUES.sub(values, text)
    if "limit" in params:
        text = _LIMIT.sub(f"LIMIT {int(params['limit'])}", text)
    return text


class Store(Protocol):
    def run(self, name: str, **params: Any) -> list[Row]: ...


class SparqlStore:
    """The named questions over an rdflib graph made by ``govkg.ontology.rdf.to_rdf``.

    ``engine="oxigraph"`` (the default) copies the triples once into an in-memory
    Oxigraph store (``pyoxigraph``) and runs the queries there, with parameters bound
    by substitution (SEP-0007, what rdflib's ``initBindings`` does); ``engine="rdflib"``
    runs them with rdflib's own SPARQL engine. Both give the same rows.
    """

    def __init__(self, rdf: Graph, engine: str = "oxigraph") -> None:
        if engine not in ("oxigraph", "rdflib"):
            raise ValueError(f"unknown SPARQL engine {engine!r} (oxigraph or rdflib)")
        self.rdf = rdf
        self.engine = engine
        self._oxigraph = _oxigraph_store(rdf) if engine == "oxigraph" else None

    def run(self, name: str, **params: Any) -> list[Row]:
        """Rows of question ``name`` in Cypher's shape, its VALUES lines bound to ``params``."""
        q = _question(name, params)
        text = bind_sparql(query_text(name, "sparql"), params)
        if self._oxigraph is not None:
            rows = _oxigraph_rows(self._oxigraph, text, {})
        else:
            result = self.rdf.query(text)
            rows = [{str(var): _python(row[var]) for var in result.vars} for row in result]
        return q.fold(rows) if q.fold else rows


def _oxigraph_store(rdf: Graph) -> Any:
    """An in-memory Oxigraph store holding the triples of ``rdf`` (bulk-loaded from N-Triples)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(rdf.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _oxigraph_rows(store: Any, query: str, bindings: Mapping[str, Literal]) -> list[Row]:

    solutions = store.query(bound(query, bindings))
    names = [v.value for v in solutions.variables]
    return [{n: _python(_rdflib_term(s[n])) for n in names} for s in solutions]


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bound(query: str, bindings: Mapping[str, Literal]) -> str:
    """``query`` with ``bindings`` applied, as rdflib's ``initBindings`` does.

    In the WHERE part each bound variable is replaced by its value; one also named
    before WHERE (projected) is bound by a ``VALUES`` row at the start of the outer
    group instead. (Oxigraph's own substitutions need the variables projected.)

    >>> bound('SELECT ?t WHERE { ?t ?p ?x }', {"x": Literal("a")})
    'SELECT ?t WHERE { ?t ?p "a" }'
    >>> bound('SELECT ?x WHERE { ?t ?p ?x }', {"x": Literal("a")})
    'SELECT ?x WHERE { VALUES (?x) { ("a") } ?t ?p ?x }'
    """
    text = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    where = _WHERE.search(text)
    if not bindings:
        return query
    if where is None:
        raise ValueError("a SPARQL query without a WHERE group cannot take bindings")
    head, body = text[: where.end()], text[where.end() :]
    values = {}
    for name, value in bindings.items():
        variable = re.compile(rf"[?$]{re.escape(name)}\b")
        if variable.search(head):
            values[name] = value
        else:
            body = variable.sub(lambda _, v=value: v.n3(), body)
    if values:
        names = " ".join(f"?{k}" for k in values)
        row = " ".join(v.n3() for v in values.values())
        body = f" VALUES ({names}) {{ ({row}) }}{body}"
    return head + body


def _rdflib_term(term: Any) -> Any:
    """A pyoxigraph term as the rdflib term rdflib's engine would give."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def _python(term: Any) -> Any:
    """An RDF term as a plain Python value (language-tagged text as ``str``)."""
    if term is None:
        return None
    value = term.toPython()
    return str(value) if isinstance(value, Identifier) else value


class BoltStore:
    """The named questions over a Neo4j 5 (or Bolt-compatible) database loaded by ``govkg.graph.neo4j_store.sync``.

    Use as a context manager, or call ``close``.
    """

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        from neo4j import GraphDatabase

        self.database = database
        self.driver = GraphDatabase.driver(uri, auth=(user, password))

    def run(self, name: str, **params: Any) -> list[Row]:
        """Rows of question ``name``, one dict per record."""
        _question(name, params)
        records, _, _ = self.driver.execute_query(query_text(name, "cypher"), params, database_=self.database)
        return [r.data() for r in records]

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> BoltStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def normalise(rows: list[Row]) -> list[Row]:
    """``rows`` with list values sorted, for comparing answers across stores."""
    return [{k: sorted(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows]


def ask(store: Store, name: str, **params: Any) -> list[Row]:
    """Answer the named question ``name`` from ``store``, list values sorted."""
    return normalise(store.run(name, **params))
