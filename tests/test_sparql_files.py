"""Each ``queries/sparql/*.rq`` file runs as it is on two SPARQL 1.1 engines (Oxigraph, rdflib) alike.

The files bind their parameters with a ``VALUES`` line at the start of ``WHERE``, so
that an engine without pre-bound variables still answers the question they state.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph

from govkg.ontology.rdf import to_rdf
from govkg.queries.stores import QUESTIONS, SparqlStore, bind_sparql, query_text

pyoxigraph = pytest.importorskip("pyoxigraph")


@pytest.fixture(scope="module")
def turtle(sample_graph) -> bytes:
    return to_rdf(sample_graph).serialize(format="turtle").encode("utf-8")


@pytest.fixture(scope="module")
def oxigraph(turtle):
    store = pyoxigraph.Store()
    store.load(turtle, format=pyoxigraph.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def rdflib_graph(turtle) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def _value(term) -> object:
    """A result term of either engine as a comparable Python value."""
    if term is None:
        return None
    value = term.toPython() if hasattr(term, "toPython") else _oxigraph_value(term)
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return float(value)
    return str(value)


def _oxigraph_value(term) -> object:
    if isinstance(term, pyoxigraph.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind in ("integer", "int", "long", "decimal", "double", "float"):
            return float(term.value)
        return term.value
    return term.value


def run_oxigraph(store, text: str) -> list[tuple]:
    result = store.query(text)
    names = [v.value for v in result.variables]
    return [tuple(_value(row[n]) for n in names) for row in result]


def run_rdflib(graph: Graph, text: str) -> list[tuple]:
    result = graph.query(text)
    return [tuple(_value(row[v]) for v in result.vars) for row in result]


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_each_file_as_it_is_gives_the_same_rows_on_oxigraph_and_rdflib(name, oxigraph, rdflib_graph):
    text = query_text(name, "sparql")
    by_oxigraph = run_oxigraph(oxigraph, text)
    assert by_oxigraph, f"queries/sparql/{name}.rq returns no rows as it is"
    assert by_oxigraph == run_rdflib(rdflib_graph, text)


def _other_values(graph) -> dict[str, str]:
    """For each parameter a value other than the files' examples."""
    from tests.test_rdf import SEED_001, department_printed_as

    return {
        "dept": department_printed_as(graph, SEED_001, "区卫健局"),
        "other": department_printed_as(graph, SEED_001, "区发改局"),
        "word": "",
        "before": "report:07884e50c9f77e9a",  # the examples swapped
        "after": "report:78d5a2606a6a4c2e",
    }


@pytest.mark.parametrize("name", sorted(n for n, q in QUESTIONS.items() if set(q.params) - {"limit"}))
def test_the_values_lines_decide_the_answer(name, oxigraph, sample_graph):
    """Rebinding a file's VALUES lines to other values changes its rows: the file as it is answers its example."""
    text = query_text(name, "sparql")
    others = {p: v for p, v in _other_values(sample_graph).items() if p in QUESTIONS[name].params}
    rebound = bind_sparql(text, others)
    assert rebound != text
    rows = run_oxigraph(oxigraph, rebound)
    assert rows and rows != run_oxigraph(oxigraph, text)


def test_bound_values_are_the_store_answers(sample_graph, oxigraph):
    """SparqlStore binds by rewriting the VALUES lines: Oxigraph gives the same rows for the same text."""
    from tests.test_rdf import SEED_001, department_printed_as

    dept = department_printed_as(sample_graph, SEED_001, "区卫健局")
    text = bind_sparql(query_text("collaborators", "sparql"), {"dept": dept})
    rows = run_oxigraph(oxigraph, text)
    store = SparqlStore(to_rdf(sample_graph))
    assert [r[0] for r in rows] == [r["unit"] for r in store.run("collaborators", dept=dept)]
    assert rows


def test_binding_a_parameter_the_file_lacks_is_an_error():
    with pytest.raises(ValueError, match="no VALUES line for dept"):
        bind_sparql(query_text("top_leads", "sparql"), {"dept": "x"})
