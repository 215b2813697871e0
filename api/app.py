"""The govkg REST API and the collaboration network page.

``create_app(store_path)`` serves the SQLite store (``govkg.graph.store``) through
``govkg.api.deps.GraphState``, which caches the graph and its index per store generation
(a CLI build or another server's upload is seen on the next request). List
endpoints take ``offset``/``limit`` and return the total in ``X-Total-Count``. Names of
departments may be node keys, labels, aliases or short forms: an unknown name
answers 404 with suggestions, an ambiguous one 409 with the candidates.

>>> app = create_app("govkg-data/govkg.sqlite")  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import (
    APIRouter,
    Depends,
    FastAPI,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    Response,
    UploadFile,
)
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from govkg.api import models as m
from govkg.api import sources
from govkg.api.answers import AnswerCache, Source, cache_bytes
from govkg.api.deps import GraphState, Index, NoSuchReport, State, from_graph
from govkg.api.security import Guard, Policy, safe_filename
from govkg.api.serving import SERVE_HOST, SERVE_STORE
from govkg.api.table_route import TableRoute, from_tables
from govkg.api.tables import Found, Tables
from govkg.graph import export as exporters
from govkg.graph.store import Prepared, StoreError, prepare
from govkg.loaders import LoadError
from govkg.loaders.isolate import ParsePool
from govkg.loaders.limits import Limits
from govkg.loaders.metadata import UnknownJurisdiction, resolve_jurisdiction
from govkg.queries import departments, diff, network, overview, sheet
from govkg.queries.index import GraphIndex, query_tokens
from govkg.queries.names import AmbiguousName, UnknownName, resolve_unit

STATIC = Path(__file__).resolve().parent / "static"
SWAGGER = "vendor/swagger-ui"  # under STATIC
MAX_PAGE = 500

ReportQ = Annotated[str | None, Query(description="Report key, sha256 prefix, source file name or title.")]
YearQ = Annotated[int | None, Query(description="Only tasks of reports for this year.")]
JurisdictionQ = Annotated[str | None, Query(description="Issuing jurisdiction, e.g. 下陆区.")]
ERRORS = {404: {"model": m.Problem}, 409: {"model": m.Problem}, 422: {"model": m.Problem}}
Offset = Annotated[int, Query(ge=0, description="Rows to skip.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows to return at most.")]
TOTAL = "X-Total-Count"


def _page(rows: list, offset: int, limit: int, response: Response) -> list:
    """Rows ``offset`` to ``offset + limit``; the total goes in the ``X-Total-Count`` header."""
    response.headers[TOTAL] = str(len(rows))
    return rows[offset : offset + limit]


def _raw(body: bytes, total: int | None = None) -> Response:
    """A JSON answer already rendered (the read tables keep JSON), with its total if it is a page."""
    headers = {TOTAL: str(total)} if total is not None else None
    return Response(body, media_type="application/json", headers=headers)


@dataclass(frozen=True, slots=True)
class Page:
    """The ``offset`` and ``limit`` of a list endpoint; calling it on the rows cuts them and
    puts their total in ``X-Total-Count``."""

    response: Response
    offset: int
    limit: int

    def __call__(self, rows: list) -> list:
        return _page(rows, self.offset, self.limit, self.response)


async def _paged(response: Response, offset: Offset = 0, limit: Limit = MAX_PAGE) -> Page:
    return Page(response, offset, limit)


Paged = Annotated[Page, Depends(_paged)]


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """The task filters shared by ``GET /api/tasks`` and its tracking sheets; calling it on an
    index gives the tasks they select."""

    q: str | None
    department: str | None
    role: departments.RoleFilter
    district: str | None
    report: str | None
    year: int | None
    jurisdiction: str | None

    def __call__(self, index: GraphIndex) -> list:
        return sheet.filter_tasks(
            index, self.q, self.department, self.role, self.district, self.report, self.year, self.jurisdiction
        )

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> TaskFilter:
        """The filters among an endpoint's parameters by name (``api.table_route``)."""
        return cls(*(values[f.name] for f in fields(cls)))

    @property
    def only_words(self) -> bool:
        """True when nothing but ``q`` (if anything) filters: the read tables answer it."""
        return self == TaskFilter(self.q, None, departments.RoleFilter.ANY, None, None, None, None)


def _task_filter(
    q: Annotated[str | None, Query(description="Words the task text must contain (jieba tokens).")] = None,
    department: Annotated[str | None, Query(description="A unit holding the task (any name).")] = None,
    role: departments.RoleFilter = departments.RoleFilter.ANY,
    district: Annotated[str | None, Query(description="A district the task concerns.")] = None,
    report: ReportQ = None,
    year: YearQ = None,
    jurisdiction: JurisdictionQ = None,
) -> TaskFilter:
    return TaskFilter(q, department, role, district, report, year, jurisdiction)


TaskFilters = Annotated[TaskFilter, Depends(_task_filter)]


WRITE_ERRORS = {code: {"model": m.Problem} for code in (401, 403, 413, 422, 503)}
QUEUED_PER_WORKER = 32  # uploads admitted per parse worker; more answer 503
UPLOADS = ".govkg-uploads"  # beside the stored graph; emptied at start-up


class ExportFormat(StrEnum):
    gexf = "gexf"
    graphml = "graphml"
    cytoscape = "cytoscape"
    csv = "csv"


MEDIA = {
    ExportFormat.gexf: ("application/gexf+xml", "gexf"),
    ExportFormat.graphml: ("application/graphml+xml", "graphml"),
    ExportFormat.cytoscape: ("application/json", "cyjs.json"),
    ExportFormat.csv: ("text/csv; charset=utf-8", "csv"),
}


def _unknown(_: Request, e: Exception) -> JSONResponse:
    assert isinstance(e, UnknownName)
    return JSONResponse(status_code=404, content={"detail": str(e), "suggestions": list(e.suggestions)})


def _ambiguous(_: Request, e: Exception) -> JSONResponse:
    assert isinstance(e, AmbiguousName)
    candidates = [{"id": c.id, "label": c.label, "detail": c.detail, "name": c.pick} for c in e.candidates]
    return JSONResponse(status_code=409, content={"detail": str(e), "candidates": candidates})


def _invalid(_: Request, e: Exception) -> JSONResponse:
    assert isinstance(e, RequestValidationError)
    errors = [
        {"loc": [str(x) for x in err.get("loc", ())], "msg": str(err.get("msg", "")), "type": str(err.get("type", ""))}
        for err in e.errors()
    ]
    detail = "; ".join(f"{'.'.join(x['loc'])}: {x['msg']}" for x in errors) or "invalid request"
    return JSONResponse(status_code=422, content={"detail": detail, "errors": errors})


def _warm() -> None:
    """Load jieba's dictionary (~1 s) now, not in the first search request; then keep everything
    loaded so far out of later garbage collections (each full collection would walk it: a pause
    that shows in the latency of every request waiting meanwhile)."""
    query_tokens("预热")
    gc.freeze()


def create_app(
    store_path: str | Path,
    policy: Policy | None = None,
    limits: Limits | None = None,
    answer_cache_mb: float | None = None,
) -> FastAPI:
    """The API over the store at ``store_path`` (see the module docstring).

    ``policy`` says who may write (default: loopback only, ``govkg.api.security``); ``limits``
    bound each uploaded document (default: ``Limits.from_env()``); ``answer_cache_mb`` bounds
    the answers kept per generation (``govkg.api.answers``; default ``GOVKG_ANSWER_CACHE_MB`` or
    64, 0: none kept)."""
    app = FastAPI(
        title="govkg",
        summary="Government responsibility documents as a knowledge graph.",
        version="0.1.0",
        docs_url=None,  # served below from the vendored Swagger UI (no CDN at run time)
        redoc_url=None,
    )
    app.state.govkg = GraphState.load(store_path)
    threading.Thread(target=_warm, name="govkg-warm", daemon=True).start()
    limits = limits or Limits.from_env()
    policy = policy or Policy.from_env("127.0.0.1", max_file_bytes=limits.max_file_bytes)
    state = app.state.govkg
    answers = Source(state.generation, state.stale_answers)
    kept = cache_bytes(answer_cache_mb)
    app.add_middleware(AnswerCache, source=answers, max_bytes=kept, skip=frozenset({"/api/health"}))  # the probe reaches the app
    app.add_middleware(Guard, policy=policy)
    app.add_exception_handler(UnknownName, _unknown)
    app.add_exception_handler(AmbiguousName, _ambiguous)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.include_router(_api_router())
    app.include_router(sources.router())
    _add_upload(app, ParsePool(limits, prepare), _uploads_folder(Path(store_path)))
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="govkg API",
            swagger_js_url=f"/static/{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"/static/{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"/static/{SWAGGER}/favicon-32x32.png",
        )

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        if not (STATIC / "index.html").is_file():
            raise HTTPException(404, "the page is not installed")
        return FileResponse(STATIC / "index.html")

    return app


def app_from_env() -> FastAPI:
    """The app of one ``govkg serve --workers N`` process: store and host from the environment."""
    limits = Limits.from_env()
    policy = Policy.from_env(os.environ.get(SERVE_HOST, "127.0.0.1"), max_file_bytes=limits.max_file_bytes)
    return create_app(os.environ[SERVE_STORE], policy, limits)


# -- answers from the read tables (``api.table_route``): None leaves the question to the endpoint --


def _reports(tables: Tables, v: Mapping[str, Any]) -> Response:
    found = tables.reports(v["offset"], v["limit"])
    return _raw(found.json(), found.total)


def _tasks(tables: Tables, v: Mapping[str, Any]) -> Response | None:
    chosen = TaskFilter.of(v)
    if not chosen.only_words:
        return None
    offset, limit = v["offset"], v["limit"]
    hits = tables.search(chosen.q, offset, limit) if chosen.q else tables.tasks(offset, limit)
    return _raw(b'{"total":%d,"offset":%d,"limit":%d,"items":%s}' % (hits.total, offset, limit, hits.json()))


def _task(tables: Tables, v: Mapping[str, Any]) -> Response:
    if (found := tables.task(v["task_id"])) is None:
        raise HTTPException(404, f"no task {v['task_id']!r}")
    return _raw(found)


def _named_unit(tables: Tables, v: Mapping[str, Any]) -> Found | None:
    """The unit the path names by its key, for a question without a ``report`` filter; else None."""
    return tables.unit(v["name"]) if v["report"] is None else None


def _department_tasks(tables: Tables, v: Mapping[str, Any]) -> Response | None:
    if (department := _named_unit(tables, v)) is None:
        return None
    role = v["role"]
    wanted = None if role is departments.RoleFilter.ANY else role.value
    held = tables.unit_tasks(department.key, wanted, v["year"], v["offset"], v["limit"])
    return _raw(b'{"department":%s,"tasks":%s}' % (department.json, held.json()), held.total)


def _co_owned(tables: Tables, v: Mapping[str, Any]) -> Response | None:
    if (department := _named_unit(tables, v)) is None:
        return None
    other = v["other"]
    partner = tables.unit(other) if other else None
    if other and partner is None:
        return None
    shared = tables.co_owned(department.key, partner.key if partner else None, v["year"], v["offset"], v["limit"])
    other_json = partner.json if partner else b"null"
    body = b'{"department":%s,"other":%s,"tasks":%s}' % (department.json, other_json, shared.json())
    return _raw(body, shared.total)


def _network(tables: Tables, v: Mapping[str, Any]) -> Response | None:
    if not v["jurisdiction"] or (v["report"], v["year"], v["min_weight"]) != (None, None, 1):
        return None
    found = tables.network(v["jurisdiction"])  # None: no task of it, whose network is empty
    return _raw(found if found is not None else m.Network(nodes=[], links=[]).model_dump_json().encode())


def _api_router() -> APIRouter:  # noqa: C901
    """The read-only endpoints under ``/api``. Routes are matched in the order they are made (about
    1.5 µs each, twice per request), so the questions the read tables answer come first."""
    api = APIRouter(prefix="/api", responses=ERRORS, route_class=TableRoute)  # type: ignore[arg-type]

    @api.get("/health", tags=["reports"])
    async def health() -> dict[str, str]:
        """A trivial answer (no data read): the server is up."""
        return {"status": "ok"}

    @api.get("/reports", response_model=list[m.Report], tags=["reports"])
    @from_tables(_reports)
    async def reports(state: State, page: Paged) -> list[m.Report]:
        """The reports in the graph, oldest first."""

        def answer(index: GraphIndex) -> list[m.Report]:
            rows = [m.Report.of_node(k, d) for k, d in index.reports.items()]
            return page(sorted(rows, key=lambda r: (r.year or 0, r.id)))

        return await from_graph(state, answer)

    @api.get("/tasks", response_model=m.TaskPage, tags=["tasks"])
    @from_tables(_tasks)
    async def tasks(
        state: State,
        chosen: TaskFilters,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> m.TaskPage:
        """Tasks with their source span and unit mentions; full-text search with ``q``."""

        def answer(index: GraphIndex) -> m.TaskPage:
            found = chosen(index)
            return m.TaskPage(total=len(found), offset=offset, limit=limit, items=found[offset : offset + limit])

        return await from_graph(state, answer)

    def tracking_sheet(fmt: str):  # noqa: ANN202 - a route function
        def download(index: Index, chosen: TaskFilters) -> Response:
            """The tasks of ``GET /api/tasks`` (same filters) as a tracking sheet, one row per task."""
            rows = sheet.sheet_rows(index, chosen(index))
            data, media = (
                (sheet.to_xlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                if fmt == "xlsx"
                else (sheet.to_csv(rows), "text/csv; charset=utf-8")
            )
            headers = {"Content-Disposition": f'attachment; filename="govkg-tasks.{fmt}"'}
            return Response(data, media_type=media, headers=headers)

        return download

    for fmt in ("xlsx", "csv"):
        api.add_api_route(
            f"/tasks.{fmt}",
            tracking_sheet(fmt),
            methods=["GET"],
            tags=["tasks"],
            responses={200: {"description": f"The tracking sheet ({fmt})"}, **ERRORS},
            response_class=Response,
            name=f"tasks_{fmt}",
        )

    @api.get("/tasks/without-lead", response_model=list[m.Task], tags=["tasks"])
    def without_lead(
        index: Index,
        page: Paged,
        report: ReportQ = None,
        year: YearQ = None,
    ) -> list[m.Task]:
        """Tasks that no unit leads."""
        rows = overview.tasks_without_lead(index, report, year)
        return m.Task.each(page(list(rows)))

    @api.get("/tasks/{task_id}", response_model=m.Task, tags=["tasks"])
    @from_tables(_task)
    async def task(state: State, task_id: str) -> m.Task:
        """One task by its key."""

        def answer(index: GraphIndex) -> m.Task:
            if task_id not in index.tasks:
                raise HTTPException(404, f"no task {task_id!r}")
            return m.Task.model_validate(index.tasks[task_id])

        return await from_graph(state, answer)

    @api.get("/departments/{name}/tasks", response_model=m.DepartmentTasks, tags=["departments"])
    @from_tables(_department_tasks)
    async def department_tasks(
        state: State,
        page: Paged,
        name: str,
        role: departments.RoleFilter = departments.RoleFilter.ANY,
        report: ReportQ = None,
        year: YearQ = None,
    ) -> m.DepartmentTasks:
        """The tasks a department leads, assists, or holds in any role (``limit`` of them)."""

        def answer(index: GraphIndex) -> m.DepartmentTasks:
            unit = resolve_unit(index, name)
            rows = departments.unit_tasks(index, unit.id, role, report, year)
            return m.DepartmentTasks(department=unit, tasks=page(list(rows)))

        return await from_graph(state, answer)

    @api.get("/departments/{name}/co-owned", response_model=m.CoOwnedTasks, tags=["departments"])
    @from_tables(_co_owned)
    async def co_owned(
        state: State,
        page: Paged,
        name: str,
        other: Annotated[
            str | None, Query(alias="with", description="Only tasks shared with this unit.")
        ] = None,
        report: ReportQ = None,
        year: YearQ = None,
    ) -> m.CoOwnedTasks:
        """Tasks the department shares with another unit, and who leads each (``limit`` of them)."""

        def answer(index: GraphIndex) -> m.CoOwnedTasks:
            unit = resolve_unit(index, name)
            partner = resolve_unit(index, other) if other else None
            rows = departments.co_owned(index, unit.id, partner.id if partner else None, report, year)
            return m.CoOwnedTasks(department=unit, other=partner, tasks=page(list(rows)))

        return await from_graph(state, answer)

    @api.get("/network", response_model=m.Network, tags=["network"])
    @from_tables(_network)
    async def network_json(
        state: State,
        report: ReportQ = None,
        year: YearQ = None,
        jurisdiction: JurisdictionQ = None,
        min_weight: Annotated[int, Query(ge=1)] = 1,
    ) -> m.Network:
        """The collaboration network: nodes with measures and fixed positions, weighted links.

        One jurisdiction's network is computed when the store is written, not on request."""

        def answer(index: GraphIndex) -> m.Network:
            return m.Network.model_validate(network.network_view(index, report, year, jurisdiction, min_weight))

        return await from_graph(state, answer)

    @api.get("/departments", response_model=list[m.UnitListItem], tags=["departments"])
    def department_list(
        index: Index,
        response: Response,
        q: Annotated[str | None, Query(description="Part of a name, label or alias.")] = None,
        jurisdiction: JurisdictionQ = None,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    ) -> list[m.UnitListItem]:
        """Departments and collectives; with ``q``, those whose names contain it (exact matches first)."""
        rows = []
        for u in index.units.values():
            names = (u.label, u.name, *u.aliases)
            if jurisdiction is not None and u.jurisdiction != jurisdiction:
                continue
            if q and not any(q in n for n in names):
                continue
            held = index.unit_tasks.get(u.id, ())
            lead = sum(rt.role == "lead" for rt in held)
            rows.append((q in names if q else False, lead, len(held), u))
        rows.sort(key=lambda r: (not r[0], -r[1], -r[2], r[3].id))
        return [
            m.UnitListItem(**asdict(u), lead_count=lead, assist_count=total - lead)
            for _, lead, total, u in _page(rows, offset, limit, response)
        ]

    @api.get("/departments/top-leads", response_model=list[m.LeadCount], tags=["departments"])
    def top_leads(
        index: Index,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 10,
        report: ReportQ = None,
        year: YearQ = None,
    ) -> list[m.LeadCount]:
        """The units leading the most tasks."""
        return m.LeadCount.each(overview.top_leads(index, limit, report, year))

    @api.get("/departments/{name}", response_model=m.ProfileOut, tags=["departments"])
    def profile(index: Index, name: str) -> m.ProfileOut:
        """A department's names, jurisdiction, load per report and top topics."""
        return m.ProfileOut.model_validate(departments.profile(index, name))

    @api.get("/departments/{name}/collaborators", response_model=m.Collaborators, tags=["departments"])
    def collaborators(
        index: Index,
        page: Paged,
        name: str,
        report: ReportQ = None,
        year: YearQ = None,
    ) -> m.Collaborators:
        """Units sharing tasks with the department, most shared first (``limit`` of them)."""
        unit = resolve_unit(index, name)
        rows = departments.collaborators(index, unit.id, report, year)
        return m.Collaborators(department=unit, collaborators=page(list(rows)))

    @api.get("/departments/{name}/change", response_model=m.Change, tags=["departments"])
    def change(
        index: Index,
        name: str,
        before: Annotated[str, Query(alias="from", description="The earlier report.")],
        after: Annotated[str, Query(alias="to", description="The later report.")],
    ) -> m.Change:
        """Tasks gained and lost and the lead/assist load between two reports."""
        return m.Change.model_validate(diff.report_change(index, name, before, after))

    @api.get("/network/export/{fmt}", tags=["network"], response_class=Response)
    def network_export(index: Index, fmt: ExportFormat) -> Response:
        """Download: GEXF (network), GraphML (whole graph), Cytoscape.js JSON (whole graph), CSV edges."""
        media, suffix = MEDIA[fmt]
        return Response(
            exporters.render(index.graph, fmt.value),
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="govkg.{suffix}"'},
        )

    @api.get("/districts", response_model=list[m.District], tags=["districts"])
    def districts(
        index: Index,
        page: Paged,
        report: ReportQ = None,
        year: YearQ = None,
    ) -> list[m.District]:
        """Districts and the number of tasks concerning each, most first."""
        rows = list(overview.tasks_per_district(index, report, year))
        return m.District.each(page(rows))

    @api.get("/targets", response_model=list[m.TargetOut], tags=["targets"])
    def targets(
        index: Index,
        page: Paged,
        indicator: Annotated[str | None, Query(description="Part of the indicator, e.g. 生产总值.")] = None,
        report: ReportQ = None,
        year: YearQ = None,
    ) -> list[m.TargetOut]:
        """Quantitative targets."""
        rows = list(overview.targets(index, indicator, report, year))
        return m.TargetOut.each(page(rows))

    return api


def _uploads_folder(graph_path: Path) -> Path:
    """The folder for upload temp files, emptied (left-overs of a killed server removed)."""
    folder = graph_path.parent / UPLOADS
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _add_upload(app: FastAPI, pool: ParsePool[Prepared], folder: Path) -> None:
    """``POST /api/documents`` (the one upload path): add a document to the served graph."""
    parsing = anyio.CapacityLimiter(pool.limits.workers)
    admitted = anyio.Semaphore(pool.limits.workers * QUEUED_PER_WORKER)  # parsing or waiting to

    async def upload(
        request: Request,
        state: State,
        response: Response,
        file: Annotated[UploadFile, File(description="A .txt, .html, .docx or .pdf document.")],
        jurisdiction: Annotated[
            str | None, Form(description="Its jurisdiction when the text does not say it, e.g. 黄石市下陆区.")
        ] = None,
    ) -> m.Upload:
        """Parse a document and merge it into the graph (idempotent by content hash).

        201 when added, 200 when the same content is already there; 422 with the reason
        for a file that cannot be parsed or has no tasks (nothing changes); 413 for a file
        over the size limit; 401/403 for a write that is not allowed (see README, Security);
        503 when too many uploads are already waiting to be parsed.
        The parse runs in a worker process, killed when the client goes away.
        """
        name = safe_filename(file.filename)
        if jurisdiction:
            try:
                resolve_jurisdiction(jurisdiction)
            except UnknownJurisdiction as e:
                raise HTTPException(422, f"{name}: {e}") from None
        try:
            admitted.acquire_nowait()
        except anyio.WouldBlock:
            raise HTTPException(503, f"{name}: too many uploads being parsed; try again later",
                                headers={"Retry-After": "10"}) from None
        try:
            return await _parse_and_add(request, state, response, file, name, jurisdiction or None)
        finally:
            admitted.release()

    async def _parse_and_add(
        request: Request, state: GraphState, response: Response, file: UploadFile, name: str, jurisdiction: str | None
    ) -> m.Upload:
        cancel = threading.Event()
        with tempfile.TemporaryDirectory(prefix="upload-", dir=folder) as tmp:
            path = Path(tmp) / ("document" + Path(name).suffix.lower())
            size = await anyio.to_thread.run_sync(_save_upload, file, path, pool.limits.max_file_bytes)
            if size > pool.limits.max_file_bytes:
                raise HTTPException(413, f"{name}: file too large (the limit is {pool.limits.max_file_bytes / 2**20:g} MB, GOVKG_MAX_FILE_MB)")
            watcher = asyncio.ensure_future(_watch_disconnect(request, cancel))
            try:
                doc = await anyio.to_thread.run_sync(pool.load, path, name, cancel, jurisdiction, limiter=parsing)
            except LoadError as e:
                raise HTTPException(413 if e.reason.startswith("file too large") else 422, f"{name}: {e.reason}") from None
            finally:
                watcher.cancel()
        if not doc.task_count:
            raise HTTPException(422, f"{name}: no tasks found; nothing was added")
        added = await anyio.to_thread.run_sync(state.add_document, doc)
        response.status_code = 201 if added.status == "added" else 200
        return m.Upload.model_validate(added)

    def remove(state: State, report_id: str) -> m.Report | JSONResponse:
        """Remove a report with all its tasks, sections, targets and unit mentions (one transaction).

        ``report_id`` is the report key, a sha256 prefix, the source file name or the title;
        404 if it names none, 409 with the candidates if it names several.
        """
        try:
            r = state.remove_report(report_id)
        except NoSuchReport as e:
            if e.candidates:
                candidates = [{"id": c.key, "label": c.title or c.source, "detail": c.source} for c in e.candidates]
                return JSONResponse(status_code=409, content={"detail": str(e), "candidates": candidates})
            raise HTTPException(404, str(e)) from None
        except StoreError as e:  # removed by someone else meanwhile
            raise HTTPException(404, str(e)) from None
        return m.Report(
            id=r.key, title=r.title, year=r.year, jurisdiction=r.jurisdiction, source=r.source, task_count=r.task_count
        )

    app.add_api_route(
        "/api/reports/{report_id}",
        remove,
        methods=["DELETE"],
        response_model=m.Report,
        tags=["reports"],
        responses={**ERRORS, **WRITE_ERRORS},
    )

    app.add_api_route(
        "/api/documents",
        upload,
        methods=["POST"],
        response_model=m.Upload,
        status_code=201,
        tags=["documents"],
        responses={
            200: {"model": m.Upload, "description": "Already in the graph"},
            **WRITE_ERRORS,
        },
    )


def _save_upload(file: UploadFile, path: Path, limit: int) -> int:
    """Copy the upload to ``path`` in chunks, stopping past ``limit`` bytes; its size."""
    size = 0
    file.file.seek(0)
    with path.open("wb") as out:
        while chunk := file.file.read(1 << 20):
            size += len(chunk)
            if size > limit:
                break
            out.write(chunk)
    return size


async def _watch_disconnect(request: Request, cancel: threading.Event) -> None:
    """Set ``cancel`` when the client disconnects."""
    while not cancel.is_set():
        if await request.is_disconnected():
            cancel.set()
            return
        await asyncio.sleep(0.25)
