"""Routes answered from the read tables: plain parameters take the tables, the rest FastAPI's path,
and both give the same answer."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

import pytest
from fastapi import APIRouter, FastAPI, Header, Query
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.api.deps import GraphState
from govkg.api.table_route import Plain, TableRoute, from_tables
from govkg.api.tables import refresh
from govkg.graph.store import Store
from govkg.queries.departments import RoleFilter
from govkg.queries.index import GraphIndex
from tests.support import stored


@pytest.fixture(scope="module")
def built(sample_documents, tmp_path_factory):
    path = stored(sample_documents, tmp_path_factory.mktemp("route"))
    with Store.open(path) as s:
        refresh(s)
        index = GraphIndex(s.load_graph())
    return path, index


def _echo(source: str, values: dict) -> JSONResponse:
    return JSONResponse({"from": source, **{k: v.value if isinstance(v, RoleFilter) else v for k, v in values.items()}})


def _probe(
    name: str,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    year: int | None = None,
    role: RoleFilter = RoleFilter.ANY,
    other: Annotated[str | None, Query(alias="with")] = None,
    tags: Annotated[list[str] | None, Query()] = None,
) -> JSONResponse:
    values = {"name": name, "offset": offset, "limit": limit, "year": year, "role": role, "other": other, "tags": tags}
    return _echo("endpoint", values)


def _probe_router() -> APIRouter:
    """A router with one table-answered route whose two answers say where they came from."""
    api = APIRouter(route_class=TableRoute)
    answer = from_tables(lambda tables, v: _echo("tables", dict(v)) if v["name"] != "ask-the-endpoint" else None)
    api.add_api_route("/probe/{name}", answer(_probe))
    return api


@pytest.fixture(scope="module")
def probe(built):
    app = FastAPI()
    app.state.govkg = GraphState.load(built[0])
    app.include_router(_probe_router())
    return TestClient(app)


def test_plain_parameters_are_answered_from_the_tables_with_defaults_filled_in(probe):
    got = probe.get("/probe/x").json()
    assert got == {"from": "tables", "name": "x", "offset": 0, "limit": 50, "year": None, "role": "any", "other": None, "tags": None}
    got = probe.get("/probe/x", params={"limit": 7, "offset": 3, "year": 2020, "role": "lead", "with": "y", "junk": "1"}).json()
    assert got == {"from": "tables", "name": "x", "offset": 3, "limit": 7, "year": 2020, "role": "lead", "other": "y", "tags": None}


@pytest.mark.parametrize(
    ("query", "status", "value"),
    [
        ("limit=7&limit=8", 200, ("limit", 8)),  # repeated: FastAPI takes the last
        ("year=%2B5", 200, ("year", 5)),  # "+5": an integer to FastAPI, not a plain decimal here
        ("tags=a", 200, ("tags", ["a"])),  # a list: not read here
        ("limit=0", 422, None),  # out of bounds
        ("limit=501", 422, None),
        ("offset=-1", 422, None),
        ("year=abc", 422, None),
        ("role=boss", 422, None),
    ],
)
def test_other_parameters_go_to_the_endpoint_with_fastapis_validation(probe, query, status, value):
    got = probe.get(f"/probe/x?{query}")
    assert got.status_code == status
    if value is not None:
        key, want = value
        assert got.json()["from"] == "endpoint" and got.json()[key] == want


def test_an_answer_of_none_goes_to_the_endpoint(probe):
    assert probe.get("/probe/ask-the-endpoint").json()["from"] == "endpoint"


def test_parameters_from_headers_are_refused_when_the_route_is_made():
    api = APIRouter(route_class=TableRoute)

    def with_header(x_token: Annotated[str | None, Header()] = None) -> dict:
        return {}

    with pytest.raises(ValueError, match="x-token"):
        api.add_api_route("/h", from_tables(lambda tables, v: None)(with_header))

    def unmarked(x_token: Annotated[str | None, Header()] = None) -> dict:
        return {}

    api.add_api_route("/h", unmarked)  # an ordinary route
    assert [r.path for r in api.routes] == ["/h"]


def test_plain_reads_the_declared_names_and_aliases():
    plain = Plain.of(_probe_router().routes[0].dependant)
    assert [p.name for p in plain.path] == ["name"]
    assert [(p.name, p.alias) for p in plain.query][-2:] == [("other", "with"), ("tags", "tags")]


HOT = [
    "/api/tasks?limit=9&offset=2",
    "/api/tasks?q=%E5%BB%BA%E8%AE%BE&limit=9&offset=2",  # 建设
    "/api/reports?limit=2&offset=1",
    "/api/network?jurisdiction=%E4%B8%8B%E9%99%86%E5%8C%BA",  # 下陆区
]


def _hot(index: GraphIndex) -> list[str]:
    busy = sorted(index.unit_tasks, key=lambda u: (-len(index.unit_tasks[u]), u))[:4]
    some_tasks = list(index.tasks)[::41]
    return [
        *HOT,
        *(f"/api/tasks/{quote(t)}" for t in some_tasks),
        *(f"/api/departments/{quote(u)}/tasks?limit=6&role=lead" for u in busy),
        *(f"/api/departments/{quote(u)}/co-owned?limit=6&offset=1" for u in busy),
        f"/api/departments/{quote(busy[0])}/co-owned?with={quote(busy[1])}",
    ]


def _repeated(url: str) -> str:
    """The URL with its first query parameter given twice: not plain, so FastAPI's path answers."""
    query = url.split("?", 1)[1]
    return f"{url}&{query.split('&')[0]}"


def test_table_answers_equal_fastapis_path_and_read_no_graph(built):
    path, index = built
    client = TestClient(create_app(path, answer_cache_mb=0), base_url="http://127.0.0.1")
    state = client.app.state.govkg
    asked = _hot(index)
    fast = [client.get(url) for url in asked]
    assert all(r.status_code == 200 for r in fast)
    assert not state.loaded  # the read tables answered every one
    compared = 0
    for url, got in zip(asked, fast, strict=True):
        if "?" in url:
            slow = client.get(_repeated(url))
            assert slow.json() == got.json(), url
            assert slow.headers.get("x-total-count") == got.headers.get("x-total-count"), url
            compared += 1
    assert compared >= 12 and state.loaded
