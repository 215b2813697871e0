"""The named queries over the samples' graph; expected answers read from the documents."""

from __future__ import annotations

import dataclasses

import networkx as nx
import pytest

from govkg.graph.ops import add_edge, add_node
from govkg.graph.schema import EdgeType, NodeKind, department_key, report_key, task_key
from govkg.queries.departments import co_owned, collaborators, profile, tasks_of
from govkg.queries.diff import jaccard, lineage, report_change
from govkg.queries.index import GraphIndex, tokenize
from govkg.queries.names import AmbiguousName, UnknownName, resolve_report, resolve_unit
from govkg.queries.network import betweenness, network_view, view_dict
from govkg.queries.overview import targets, tasks_per_district, tasks_without_lead, top_leads
from govkg.queries.search import search_tasks
from tests.conftest import unplaced_department

R2011 = "000_5acdb013471bb0aa.txt"  # 鄂州市 2011
R2020 = "001_6ae365a741fde3ec.txt"  # 下陆区 2020
R2002 = "002_9222e8fa776e91ee.txt"  # 鹰潭市, found from the districts its tasks name
R2013 = "003_9122fdf419c46626.txt"  # 镇海区 2013, a report without responsibility clauses
R2021 = "2021_xialu_sample.txt"  # 下陆区 2021, synthetic
FAGAIJU = "dept:下陆区:发展和改革局"  # 区发改局
FAGAIWEI = "dept:鄂州市:发展和改革委员会"  # 市发改委
KEXINJU = "dept:下陆区:科技和信息化局"  # 区科信局


@pytest.fixture(scope="module")
def index(sample_graph) -> GraphIndex:
    return GraphIndex(sample_graph)


def numbers(rows) -> list[str]:
    return [getattr(r, "task", r).number for r in rows]


# --- name resolution ---


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("发改委", FAGAIWEI),
        ("区发改局", FAGAIJU),
        ("发改局", FAGAIJU),
        ("下陆区发改局", FAGAIJU),
        ("发展和改革局", FAGAIJU),
        (FAGAIJU, FAGAIJU),
        ("区科信局", KEXINJU),
        ("  区科信局 ", KEXINJU),
    ],
)
def test_names_resolve(index, name, key):
    assert resolve_unit(index, name).id == key


def test_fagaiwei_is_not_fagaiju(index):
    unit = resolve_unit(index, "发改委")
    assert unit.jurisdiction == "鄂州市"
    assert unit.label == "市发改委"


def test_ambiguous_name_lists_candidates(index, sample_documents):
    # 市发改委 is printed in 鄂州市's report (000) and in 鹰潭市's (002)
    with pytest.raises(AmbiguousName) as e:
        resolve_unit(index, "市发改委")
    in_002 = unplaced_department(sample_documents, R2002, "发展和改革委员会")
    assert {c.id for c in e.value.candidates} == {FAGAIWEI, in_002}
    assert resolve_unit(index, "市发改委", jurisdiction="鄂州市").id == FAGAIWEI


def test_unknown_name_suggests(index):
    with pytest.raises(UnknownName) as e:
        resolve_unit(index, "发展改革局")
    assert "区发改局" in e.value.suggestions
    with pytest.raises(UnknownName):
        resolve_unit(index, "火星探测局")


def test_reports_by_source_sha_and_key(index, sample_graph):
    key = resolve_report(index, R2020)
    assert sample_graph.nodes[key]["year"] == 2020
    assert resolve_report(index, sample_graph.nodes[key]["sha256"][:12]) == key
    assert resolve_report(index, key) == key
    assert resolve_report(index, R2020.removesuffix(".txt")) == key
    with pytest.raises(UnknownName) as e:
        resolve_report(index, "001_6ae365a741fde3ec.doc")
    assert R2020 in e.value.suggestions


# --- 1. tasks by role ---


def test_lead_tasks_of_fagaiju_2020(index):
    rows = tasks_of(index, "区发改局", "lead", year=2020)
    assert numbers(rows) == ["3", "14", "24", "25", "26", "37", "38", "45", "70", "105", "106"]
    assert all(r.role == "lead" for r in rows)
    # 26 and 45 name it first in an undifferentiated 责任单位 list
    basis = {r.task.number: r.basis for r in rows}
    assert basis["3"] == "explicit" and basis["26"] == "first_listed"


def test_tasks_by_role_and_report(index):
    assert len(tasks_of(index, "区发改局", "any", report=R2020)) == 25
    assert len(tasks_of(index, "区发改局", "assist", report=R2020)) == 14
    assert numbers(tasks_of(index, "区发改局", report=R2021)) == ["2", "3"]
    assert tasks_of(index, "区发改局", year=2011) == []


def test_fagaiwei_tasks_in_2011(index):
    rows = tasks_of(index, "发改委")
    assert len(rows) == 27  # 27 clauses of 000 name 发改委
    assert sum(r.role == "lead" for r in rows) == 18  # 18 lists start with 市发改委


# --- 2. co-owned tasks ---


def test_co_owned_tasks_of_fagaiju(index):
    rows = co_owned(index, "区发改局", report=R2020)
    assert len(rows) == 25  # every one of its 25 tasks in 001 names another unit
    assert all(r.others and all(h.unit != FAGAIJU for h in r.others) for r in rows)


def test_co_owned_with_kexinju(index):
    rows = co_owned(index, "区发改局", "区科信局", report=R2020)
    assert numbers(rows) == ["3", "8", "14", "24", "25", "26", "27", "39", "40", "45", "59"]
    by_number = {r.task.number: r for r in rows}
    assert by_number["8"].task.leads == (KEXINJU,) and by_number["8"].role == "assist"
    assert by_number["3"].task.leads == (FAGAIJU,) and by_number["3"].role == "lead"
    assert by_number["39"].task.leads == ("dept:下陆区:项目办",)


# --- 3. collaborators ---


def test_collaborators_of_fagaiju(index):
    rows = collaborators(index, "区发改局", report=R2020)
    counts = [
        (r.unit.label, r.shared, r.department_leads, r.partner_leads, r.neither_leads) for r in rows[:2]
    ]
    # 招商服务中心: 8 24 25 27 29 31 40 56 57 58 59 83; 科信局: 3 8 14 24 25 26 27 39 40 45 59
    assert counts == [("区招商服务中心", 12, 2, 0, 10), ("区科信局", 11, 6, 1, 4)]
    assert [r.shared for r in rows] == sorted((r.shared for r in rows), reverse=True)
    assert FAGAIJU not in {r.unit.id for r in rows}
    assert FAGAIWEI not in {r.unit.id for r in rows}


# --- 4. the network ---


def test_network_weights_and_filters(index):
    full = network_view(index)
    links = {(link.source, link.target): link.weight for link in full.links}
    assert links[(FAGAIJU, KEXINJU)] == 12
    only_2020 = network_view(index, report=R2020)
    assert {(lk.source, lk.target): lk.weight for lk in only_2020.links}[(FAGAIJU, KEXINJU)] == 11
    heavy = network_view(index, min_weight=5)
    assert heavy.links and all(link.weight >= 5 for link in heavy.links)
    ids = {n.id for n in heavy.nodes}
    assert all(link.source in ids and link.target in ids for link in heavy.links)
    assert {n.jurisdiction for n in network_view(index, jurisdiction="鄂州市").nodes} <= {
        "鄂州市",
        "华容区",
        "鄂城区",
        "梁子湖区",
    }


def test_network_measures_and_fixed_layout(index):
    full = {n.id: n for n in network_view(index).nodes}
    node = full[FAGAIJU]
    assert (node.lead_count, node.assist_count) == (12, 15)
    assert node.weighted_degree >= node.degree > 0
    assert all(-1 <= n.x <= 1 and -1 <= n.y <= 1 for n in full.values())
    assert max(max(abs(n.x), abs(n.y)) for n in full.values()) == pytest.approx(1.0)
    filtered = network_view(index, year=2020, min_weight=3)
    assert filtered.nodes
    for n in filtered.nodes:  # filters select from the one layout
        assert (n.x, n.y) == (full[n.id].x, full[n.id].y)
    assert network_view(index) == network_view(GraphIndex(index.graph))  # seeded Louvain and layout
    assert network_view(index, min_weight=2) is network_view(index, min_weight=2)  # memoised per filter
    assert len({n.community for n in full.values()}) > 1
    plain = dataclasses.asdict(filtered)
    assert view_dict(filtered) == {"nodes": list(plain["nodes"]), "links": list(plain["links"])}


def test_network_betweenness_on_a_path():
    g = nx.MultiDiGraph()
    units = [department_key("甲区", name) for name in "ABC"]
    for u in units:
        add_node(g, u, NodeKind.DEPARTMENT, u[-1], name=u[-1], jurisdiction="甲区", aliases=[u[-1]])
    add_node(g, report_key("0" * 64), NodeKind.REPORT, "r", year=2020)
    for i, pair in enumerate([units[:2], units[1:]]):
        t = task_key("0" * 64, str(i))
        add_node(g, t, NodeKind.TASK, t, report=report_key("0" * 64), year=2020, text="任务", number=str(i))
        add_edge(g, pair[0], t, EdgeType.LEADS, basis="explicit")
        add_edge(g, pair[1], t, EdgeType.ASSISTS, basis="explicit")
    nodes = {n.id: n for n in network_view(GraphIndex(g)).nodes}
    assert nodes[units[1]].betweenness == 1.0 and nodes[units[0]].betweenness == 0.0
    assert nodes[units[1]].degree == 2



@pytest.mark.parametrize("seed", range(6))
def test_betweenness_equals_networkx_exact(seed):
    """igraph's counts, scaled, are networkx's normalised betweenness: on disconnected graphs, with
    leaves and with a node alone; string keys in any order."""
    g = nx.gnp_random_graph(40 + 10 * seed, 0.04 + 0.02 * seed, seed=seed)
    g.add_node(999)
    net = nx.relabel_nodes(g, {n: f"u{(n * 7919) % 1009}" for n in g})
    ours, theirs = betweenness(net), nx.betweenness_centrality(net)
    assert ours.keys() == theirs.keys()
    assert all(abs(ours[n] - theirs[n]) < 1e-12 for n in net)
    assert any(v > 0 for v in ours.values())
    assert betweenness(nx.path_graph(["a", "b"])) == {"a": 0.0, "b": 0.0}

# --- 5. profile ---


def test_profile_of_fagaiwei(index):
    p = profile(index, "发改委")
    assert p.unit.id == FAGAIWEI and p.unit.jurisdiction == "鄂州市"
    assert {"发改委", "市发改委"} <= set(p.unit.aliases)
    assert [(r.year, r.lead, r.assist) for r in p.loads] == [(2011, 18, 9)]
    assert p.topics and len(p.topics) <= 10


def test_profile_follows_renaming(index):
    p = profile(index, "区乡村振兴局")
    assert [u.label for u in p.predecessors] == ["区扶贫工作专班"]
    assert "脱贫" in p.topics
    old = profile(index, "区扶贫工作专班")
    assert [u.label for u in old.successors] == ["区乡村振兴局"]
    assert old.lead_count == 2  # tasks 12 (sole unit) and 72


# --- 6. search ---


def test_search_ranks_and_filters(index):
    hits = search_tasks(index, "养老服务")
    assert hits[0].task.number == "10" and hits[0].task.year == 2021
    assert all("养老" in h.task.text and "服务" in h.task.text for h in hits)
    assert [h.task.number for h in search_tasks(index, "养老服务", department="区民政局")] == ["10"]
    assert all(h.task.year == 2013 for h in search_tasks(index, "养老服务", year=2013))
    assert search_tasks(index, "养老服务", report=R2020) == []
    assert search_tasks(index, "量子引力") == []
    assert search_tasks(index, "。,") == []


def test_search_by_district(index):
    hits = search_tasks(index, "旅游", district="东街办")
    assert [h.task.number for h in hits] == ["28", "57"]  # 东街办's tasks naming 旅游
    with pytest.raises(UnknownName):
        search_tasks(index, "旅游", district="西街办")


def test_search_uses_one_inverted_index(index):
    assert index.postings is index.postings
    assert all(index.task_tokens[t] >= {"互联网"} for t in index.postings["互联网"])
    assert tokenize("推进居家养老服务。") == ["推进", "居家", "养老", "服务"]


# --- 7. no lead, top leads, districts ---


def test_tasks_without_lead(index, sample_graph):
    rows = tasks_without_lead(index)
    assert tasks_without_lead(index, report=R2020) == []  # every 001 task has a clause
    zhenhai = resolve_report(index, R2013)
    assert {t.id for t in rows if t.report == zhenhai} == {
        t.id for t in index.tasks.values() if t.report == zhenhai
    }
    assert all(not t.leads for t in rows)


def test_top_leads(index):
    rows = top_leads(index, 3)
    assert [(r.unit.id, r.lead) for r in rows[:2]] == [(FAGAIWEI, 18), (FAGAIJU, 12)]
    assert [r.unit.id for r in top_leads(index, 1, report=R2021)] == ["dept:下陆区:财政局"]  # tasks 4 and 12


def test_tasks_per_district(index):
    rows = {r.name: r for r in tasks_per_district(index)}
    assert rows["东街办"].tasks == 8  # 19 24 25 28 31 35 56 57
    assert rows["东街办"].jurisdiction == "下陆区"
    assert [r.tasks for r in rows.values()] == sorted((r.tasks for r in rows.values()), reverse=True)


# --- 8. targets ---


def test_targets_by_indicator(index):
    rows = targets(index, "生产总值")
    assert all("生产总值" in r.indicator for r in rows)
    assert any(r.year == 2021 and r.value == 10.0 and r.comparator == ">=" for r in rows)
    assert any(r.year == 2011 and r.value == 13.0 and r.measure == "年均增长" for r in rows)
    assert [r.year for r in targets(index, "生产总值", year=2013)] == [2013]


# --- 9. change between reports ---


def test_change_for_fagaiju(index):
    c = report_change(index, "区发改局", R2020, R2021)
    assert (c.before.lead, c.before.assist) == (11, 14)
    assert (c.after.lead, c.after.assist) == (1, 1)
    assert [(m.before.task.number, m.after.task.number) for m in c.kept] == [("3", "2")]
    assert [r.task.number for r in c.gained] == ["3"]
    assert len(c.lost) == 24


def test_change_matches_reworded_tasks(index):
    c = report_change(index, "区财政局", R2020, R2021)
    kept = {(m.before.task.number, m.after.task.number): m.similarity for m in c.kept}
    assert kept[("9", "4")] == 1.0  # 落实减税降费 … restated word for word
    assert 0.3 <= kept[("103", "12")] < 1.0  # 树立“过紧日子”的思想 … shortened
    assert [r.task.number for r in c.gained] == ["3", "9", "10"]
    assert (c.before.lead, c.after.lead) == (5, 2)


def test_change_across_a_renaming(index):
    c = report_change(index, "区乡村振兴局", R2020, R2021)
    assert {u.label for u in c.lineage} == {"区乡村振兴局", "区扶贫工作专班"}
    assert [(m.before.task.number, m.after.task.number) for m in c.kept] == [("72", "6")]
    assert [r.task.number for r in c.lost] == ["12"]
    assert set(lineage(index, FAGAIJU)) == {FAGAIJU}


def test_jaccard():
    assert jaccard(frozenset("ab"), frozenset("ab")) == 1.0
    assert jaccard(frozenset(), frozenset()) == 0.0
    assert jaccard(frozenset("abc"), frozenset("cd")) == 0.25
