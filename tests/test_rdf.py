"""The RDF export (ontology/) and the named questions in SPARQL (queries/sparql, queries/stores.py)."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef, namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS

from govkg.graph.schema import (
    RESPONSIBILITY_EDGES,
    EdgeType,
    NodeKind,
    collective_key,
    department_key,
    district_key,
    jurisdiction_key,
    report_key,
    section_key,
    target_key,
    task_key,
)
from govkg.ontology.namespaces import GOVKG, node_iri, quote_segment
from govkg.ontology.rdf import ontology, to_rdf
from govkg.queries import departments, overview
from govkg.queries.index import GraphIndex
from govkg.queries.stores import QUESTIONS, SparqlStore, ask, query_text

SHA = "ab" * 32
REPORT = report_key(SHA)
PLACE = "下陆区"


def _dept(name: str) -> str:
    return department_key(PLACE, name)


def tiny_graph() -> nx.MultiDiGraph:
    """A hand-made graph following graph/schema.py: one report, four tasks, every edge type."""
    g = nx.MultiDiGraph()

    def edge(u: str, v: str, etype: EdgeType, **attrs: object) -> None:
        g.add_edge(u, v, key=etype.value, type=etype.value, **attrs)

    g.add_node(REPORT, kind="Report", label="2020年区政府重点工作责任分解", source="x.txt", sha256=SHA,
               title="关于印发2020年区政府重点工作责任分解的通知", issuer="下陆区政府办公室", doc_number=None,
               published="2020-06-28", jurisdiction=PLACE, level="district", year=2020, task_count=4)  # fmt: skip
    place = jurisdiction_key(PLACE)
    g.add_node(place, kind="Jurisdiction", label=PLACE, name=PLACE, level="district")
    section = section_key(SHA, ("一", "(一)"))
    g.add_node(section, kind="Section", label="(一) 统筹", report=REPORT, number="(一)", title="统筹", level=2,
               path=["一", "(一)"], span=[0, 9])  # fmt: skip
    edge(REPORT, section, EdgeType.CONTAINS)
    for name in ("区发改局", "区科信局", "区卫健局", "区环保局", "区生态环境局"):
        g.add_node(_dept(name), kind="Department", label=name, name=name, jurisdiction=PLACE, aliases=[name])
        edge(_dept(name), place, EdgeType.PART_OF)
    streets = collective_key(PLACE, "各街办(新区)")
    g.add_node(streets, kind="Collective", label="各街办(新区)", name="各街办(新区)", jurisdiction=PLACE,
               aliases=["各街办(新区)"])  # fmt: skip
    east = district_key(PLACE, "东街办")
    g.add_node(east, kind="District", label="东街办", name="东街办", jurisdiction=PLACE)
    edge(east, place, EdgeType.PART_OF)
    holders = {
        "1": ([_dept("区发改局")], [_dept("区科信局"), streets]),
        "2": ([_dept("区卫健局")], [_dept("区发改局")]),
        "3": ([_dept("区发改局")], []),
        "4": ([], [_dept("区科信局")]),
    }
    for tid, (leads, assists) in holders.items():
        t = task_key(SHA, tid)
        g.add_node(t, kind="Task", label=f"任务{tid}", report=REPORT, task_id=tid, number=tid, text=f"第{tid}项任务",
                   section_path=["一", "(一)"], deadline=None, span=[10 * int(tid), 10 * int(tid) + 8], year=2020,
                   jurisdiction=PLACE)  # fmt: skip
        edge(section, t, EdgeType.CONTAINS)
        for etype, units in ((EdgeType.LEADS, leads), (EdgeType.ASSISTS, assists)):
            for u in units:
                edge(u, t, etype, basis="explicit", report=REPORT, span=[1, 4], printed=g.nodes[u]["label"])
    target = target_key(SHA, "1", 0)
    g.add_node(target, kind="Target", label="地区生产总值增长6%", report=REPORT, task=task_key(SHA, "1"),
               text="地区生产总值增长6%", indicator="地区生产总值", measure="增长", value=6.0, unit="%",
               comparator=">=", period=None, span=[12, 22])  # fmt: skip
    edge(task_key(SHA, "1"), target, EdgeType.HAS_TARGET)
    edge(task_key(SHA, "2"), east, EdgeType.CONCERNS)
    edge(_dept("区科信局"), streets, EdgeType.MEMBER_OF)
    edge(_dept("区环保局"), _dept("区生态环境局"), EdgeType.SUCCEEDED_BY)
    return g


# -- the networkx answers (queries/, engineer E) in the stores' row shape --------------------------

_ROLE = {"lead": EdgeType.LEADS.value, "assist": EdgeType.ASSISTS.value}


def co_owned_nx(g: nx.MultiDiGraph, dept: str) -> list[dict]:
    """``govkg.queries.departments.co_owned`` as rows: task, label, the department's roles, the others."""
    rows: dict[str, dict] = {}
    for c in departments.co_owned(GraphIndex(g), dept):
        row = rows.setdefault(c.task.id, {"task": c.task.id, "label": g.nodes[c.task.id]["label"], "roles": set(),
                                          "others": set()})  # fmt: skip
        row["roles"].add(_ROLE[c.role])
        row["others"] |= {h.unit for h in c.others}
    return [
        {**r, "roles": sorted(r["roles"]), "others": sorted(r["others"])} for _, r in sorted(rows.items())
    ]


def collaborators_nx(g: nx.MultiDiGraph, dept: str) -> dict[str, int]:
    """``govkg.queries.departments.collaborators``: unit -> number of shared tasks."""
    return {c.unit.id: c.shared for c in departments.collaborators(GraphIndex(g), dept)}


def tasks_without_lead_nx(g: nx.MultiDiGraph) -> list[str]:
    return sorted(t.id for t in overview.tasks_without_lead(GraphIndex(g)))


def top_leads_nx(g: nx.MultiDiGraph, limit: int) -> list[tuple[str, int]]:
    return [(r.unit.id, r.lead) for r in overview.top_leads(GraphIndex(g), limit)]


def tasks_per_district_nx(g: nx.MultiDiGraph) -> list[tuple[str, int]]:
    return [(r.id, r.tasks) for r in overview.tasks_per_district(GraphIndex(g))]


def targets_nx(g: nx.MultiDiGraph, word: str) -> list[str]:
    return sorted(r.id for r in overview.targets(GraphIndex(g), word))


def department_printed_as(g: nx.MultiDiGraph, source: str, printed: str) -> str:
    """The key of the department printed as ``printed`` in the report of file ``source``."""
    report = next(k for k, a in g.nodes(data=True) if a["kind"] == NodeKind.REPORT and a["source"] == source)
    return next(
        u for u, _, k, a in g.edges(keys=True, data=True)
        if k in RESPONSIBILITY_EDGES and a.get("report") == report and a.get("printed") == printed
    )  # fmt: skip


SEED_001 = "001_6ae365a741fde3ec.txt"


@pytest.fixture(scope="module")
def sample_rdf(sample_graph) -> Graph:
    """The samples' graph as RDF with the ontology (do not mutate)."""
    return to_rdf(sample_graph)


# -- the ontology -------------------------------------------------------------------------------


def test_ontology_labels_every_govkg_term_in_chinese_and_english():
    onto = ontology()
    terms = {s for s in onto.subjects() if isinstance(s, URIRef) and s.startswith(str(GOVKG))}
    assert len(terms) > 30
    for term in terms:
        langs = {o.language for o in onto.objects(term, RDFS.label) if isinstance(o, Literal)}
        assert {"zh", "en"} <= langs, term


def test_ontology_reuses_org_cpov_prov_and_dcterms():
    onto = ontology()
    assert (GOVKG.Department, RDFS.subClassOf, ORG.OrganizationalUnit) in onto
    assert (GOVKG.Department, RDFS.subClassOf, URIRef("http://data.europa.eu/m8g/PublicOrganisation")) in onto
    assert (GOVKG.Lead, RDF.type, GOVKG.ResponsibilityRole) in onto
    assert (GOVKG.ResponsibilityRole, RDFS.subClassOf, PROV.Role) in onto
    assert (GOVKG.contains, RDFS.subPropertyOf, DCTERMS.hasPart) in onto
    assert {c for c in onto.subjects(RDF.type, OWL.Class)} >= {GOVKG[k.value] for k in NodeKind}


# -- IRIs -----------------------------------------------------------------------------------------


def test_node_iris_are_quoted_distinct_and_keep_chinese():
    keys = [
        "dept:下陆区:区发改局",
        "dept:?:区发改局",
        "section:ab:一/(一)",
        "section:ab:一 (一)",
        "collective:x:各街办(新区)",
    ]
    iris = [node_iri(k) for k in keys]
    assert len(set(iris)) == len(keys)
    assert str(iris[0]).endswith("/dept/下陆区:区发改局")
    for iri in iris:
        assert not set(str(iri).partition("/id/")[2]) & set(' ?#()<>"{}|\\^`[]')
    assert quote_segment("a b/c") == "a%20b%2Fc"


# -- the export -----------------------------------------------------------------------------------


def test_every_node_is_typed_by_its_kind_and_keeps_its_key():
    g = tiny_graph()
    rdf = to_rdf(g, include_ontology=False)
    for key, kind in g.nodes(data="kind"):
        assert (node_iri(key), RDF.type, GOVKG[kind]) in rdf
        assert (node_iri(key), GOVKG.key, Literal(key)) in rdf


def test_responsibility_edges_are_qualified_prov_attributions():
    g = tiny_graph()
    rdf = to_rdf(g, include_ontology=False)
    task, lead = node_iri(task_key(SHA, "1")), node_iri(_dept("区发改局"))
    attributions = list(rdf.objects(task, PROV.qualifiedAttribution))
    assert len(attributions) == 3  # one lead, two assisting units
    (lead_attr,) = [a for a in attributions if (a, PROV.hadRole, GOVKG.Lead) in rdf]
    assert (lead_attr, RDF.type, PROV.Attribution) in rdf
    assert (lead_attr, PROV.agent, lead) in rdf
    assert (lead_attr, GOVKG.basis, Literal("explicit")) in rdf
    assert (lead_attr, GOVKG.inReport, node_iri(REPORT)) in rdf
    assert (lead_attr, GOVKG.printed, Literal("区发改局", lang="zh")) in rdf
    assert (lead_attr, GOVKG.spanStart, Literal(1, datatype=namespace.XSD.integer)) in rdf
    assert (task, PROV.wasAttributedTo, lead) in rdf
    assert (task, PROV.hadPrimarySource, node_iri(REPORT)) in rdf


def test_report_metadata_uses_dublin_core():
    rdf = to_rdf(tiny_graph(), include_ontology=False)
    report = node_iri(REPORT)
    assert (report, DCTERMS.issued, Literal("2020-06-28", datatype=namespace.XSD.date)) in rdf
    assert (report, DCTERMS.publisher, Literal("下陆区政府办公室", lang="zh")) in rdf
    assert (report, DCTERMS.title, None) in rdf
    assert (report, DCTERMS.identifier, None) not in rdf  # no 文号: no triple, not an empty one


def test_other_edges_map_to_org_and_change_events():
    rdf = to_rdf(tiny_graph(), include_ontology=False)
    old, new = node_iri(_dept("区环保局")), node_iri(_dept("区生态环境局"))
    (event,) = rdf.subjects(ORG.originalOrganization, old)
    assert (event, RDF.type, ORG.ChangeEvent) in rdf
    assert (new, ORG.resultedFrom, event) in rdf
    assert (old, GOVKG.succeededBy, new) in rdf
    assert (node_iri(_dept("区发改局")), ORG.subOrganizationOf, node_iri(jurisdiction_key(PLACE))) in rdf
    assert (node_iri(district_key(PLACE, "东街办")), GOVKG.partOf, node_iri(jurisdiction_key(PLACE))) in rdf
    assert (node_iri(_dept("区科信局")), ORG.memberOf, node_iri(collective_key(PLACE, "各街办(新区)"))) in rdf
    assert (node_iri(_dept("区发改局")), SKOS.altLabel, Literal("区发改局", lang="zh")) in rdf
    target = node_iri(target_key(SHA, "1", 0))
    assert (target, GOVKG.value, Literal(6.0, datatype=namespace.XSD.double)) in rdf
    assert (target, PROV.wasDerivedFrom, node_iri(task_key(SHA, "1"))) in rdf


def test_export_is_deterministic():
    assert set(to_rdf(tiny_graph())) == set(to_rdf(tiny_graph()))


def test_every_govkg_term_used_in_the_sample_export_is_declared(sample_rdf):
    onto = ontology()
    used = {p for p in sample_rdf.predicates() if p.startswith(str(GOVKG))}
    used |= {o for o in sample_rdf.objects(None, RDF.type) if o.startswith(str(GOVKG))}
    undeclared = {t for t in used if (t, RDFS.label, None) not in onto}
    assert not undeclared


def test_turtle_parses_back_to_the_same_triples(sample_rdf):
    rdf = sample_rdf
    again = Graph().parse(data=rdf.serialize(format="turtle"), format="turtle")
    assert len(again) == len(rdf) > 5000
    assert set(again) == set(rdf)


def test_json_ld_serialises_and_parses_back(sample_rdf):
    rdf = sample_rdf
    text = rdf.serialize(format="json-ld")
    assert isinstance(json.loads(text), list | dict)
    again = Graph().parse(data=text, format="json-ld")
    assert set(again) == set(rdf)


def test_cli_exports_turtle(sample_graph, sample_documents, tmp_path):
    from typer.testing import CliRunner

    from govkg.api.cli import app
    from tests.support import stored

    stored(sample_documents, tmp_path)
    out = tmp_path / "kg.ttl"
    result = CliRunner().invoke(app, ["export", "-f", "ttl", "-o", str(out), "-d", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rdf = Graph().parse(out, format="turtle")
    tasks = set(rdf.subjects(RDF.type, GOVKG.Task))
    assert len(tasks) == sum(1 for _, k in sample_graph.nodes(data="kind") if k == NodeKind.TASK)


# -- SPARQL ---------------------------------------------------------------------------------------


def test_sparql_co_owned_equals_networkx_on_a_hand_made_graph():
    g = tiny_graph()
    got = ask(SparqlStore(to_rdf(g)), "co_owned", dept=_dept("区发改局"))
    assert got == co_owned_nx(g, _dept("区发改局"))
    assert [r["task"] for r in got] == [task_key(SHA, "1"), task_key(SHA, "2")]  # task 3: it alone


def test_sparql_co_owned_of_the_seed_001_development_bureau_equals_networkx(sample_graph, sample_rdf):
    dept = department_printed_as(sample_graph, SEED_001, "区发改局")
    expected = co_owned_nx(sample_graph, dept)
    assert len(expected) >= 10
    assert ask(SparqlStore(sample_rdf), "co_owned", dept=dept) == expected


def test_sparql_answers_three_more_questions_like_networkx(sample_graph, sample_rdf):
    store = SparqlStore(sample_rdf)
    dept = department_printed_as(sample_graph, SEED_001, "区发改局")
    assert {r["unit"]: r["shared_tasks"] for r in ask(store, "collaborators", dept=dept)} == collaborators_nx(
        sample_graph, dept
    )
    assert [r["task"] for r in ask(store, "tasks_without_lead")] == tasks_without_lead_nx(sample_graph)
    assert [(r["unit"], r["lead_tasks"]) for r in ask(store, "top_leads", limit=5)] == top_leads_nx(
        sample_graph, 5
    )


def test_every_question_has_both_query_files_with_its_parameters():
    for name, q in QUESTIONS.items():
        cypher, sparql = query_text(name, "cypher"), query_text(name, "sparql")
        for p in q.params:
            assert f"${p}" in cypher and f":param {p} =>" in cypher, (name, p)
            assert p == "limit" or f"?{p}" in sparql, (name, p)


def test_unknown_question_or_missing_parameter_is_an_error():
    store = SparqlStore(to_rdf(tiny_graph()))
    with pytest.raises(KeyError, match="unknown question"):
        store.run("no_such_question")
    with pytest.raises(TypeError, match="dept"):
        store.run("co_owned")


def test_streamed_turtle_parses_to_the_same_triples(sample_graph):
    import io

    from govkg.ontology.rdf import write_ntriples

    buf = io.BytesIO()
    lines = write_ntriples(sample_graph, buf)
    back = Graph().parse(data=buf.getvalue().decode("utf-8"), format="turtle")
    assert set(back) == set(to_rdf(sample_graph)) and lines >= len(back)


def test_oxigraph_and_rdflib_give_the_same_rows(sample_rdf):
    """Every named question, through Oxigraph (the default) and rdflib's own engine."""
    fast, slow = SparqlStore(sample_rdf), SparqlStore(sample_rdf, engine="rdflib")
    params = {"dept": "dept:下陆区:发展和改革局", "other": "dept:下陆区:科技和信息化局", "limit": 5,
              "word": "生产总值", "before": "report:78d5a2606a6a4c2e", "after": "report:07884e50c9f77e9a"}  # fmt: skip
    for name, q in QUESTIONS.items():
        args = {p: params[p] for p in q.params}
        rows = fast.run(name, **args)
        assert rows == slow.run(name, **args), name
        assert rows, name
