"""``govkg query …``: the named questions over the stored graph, as tables or JSON.

Mounted by ``govkg.api.cli`` as the ``query`` sub-command; reads the graph like the other
commands (``govkg.api.cli._read_graph``). ``--json`` prints machine-readable JSON.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any

import typer

from govkg.api.cli import DEFAULT_DATA_DIR, DataDir, _read_graph
from govkg.queries.departments import RoleFilter

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Report = Annotated[str | None, typer.Option(help="Report: key, sha256 prefix, source file name or title.")]
Year = Annotated[int | None, typer.Option(help="Only reports for this year.")]
Name = Annotated[str, typer.Argument(help="Department: full or short name, alias or node key.")]
Column = tuple[str, Callable[[Any], Any]]


def _index(data_dir):  # noqa: ANN001, ANN202
    from govkg.queries.index import GraphIndex

    return GraphIndex(_read_graph(data_dir))


def _emit(
    result: Any, as_json: bool, rows: Iterable[Any] = (), columns: Sequence[Column] = (), title: str = ""
) -> None:
    """Print ``result`` as JSON, or ``rows`` as a rich table of ``columns``."""
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=dataclasses.asdict))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title or None, show_lines=False)
    for header, _ in columns:
        table.add_column(header, overflow="fold")
    count = 0
    for row in rows:
        table.add_row(*("" if (v := fn(row)) is None else str(v) for _, fn in columns))
        count += 1
    console = Console(width=max(100, Console().width))
    console.print(table)
    if count == 0:
        console.print("(nothing found)")


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _through(get: Callable[[Any], Any], columns: Sequence[Column]) -> list[Column]:
    """``columns`` read from ``get(row)`` instead of the row."""
    return [(header, lambda row, fn=fn: fn(get(row))) for header, fn in columns]


TASK_COLUMNS: list[Column] = [
    ("report", lambda rt: rt.task.report_title and _short(rt.task.report_title, 24)),
    ("year", lambda rt: rt.task.year),
    ("no.", lambda rt: rt.task.number),
    ("role", lambda rt: rt.role),
    ("task", lambda rt: _short(rt.task.text)),
]


@app.command()
def tasks(
    name: Name,
    role: Annotated[RoleFilter, typer.Option(help="lead, assist or any.")] = RoleFilter.ANY,
    report: Report = None,
    year: Year = None,
    as_json: Json = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Tasks a department leads, assists or holds in any role."""
    from govkg.queries.departments import tasks_of

    rows = tasks_of(_index(data_dir), name, role, report, year)
    _emit(rows, as_json, rows, TASK_COLUMNS, f"{name}: {len(rows)} tasks ({role.value})")


@app.command("co-owned")
def co_owned(
    name: Name,
    other: Annotated[str | None, typer.Option("--with", help="Only tasks shared with this unit.")] = None,
    report: Report = None,
    year: Year = None,
    as_json: Json = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Tasks a department shares with another unit (or with the unit given by --with)."""
    from govkg.queries.departments import co_owned as ask

    index = _index(data_dir)
    rows = ask(index, name, other, report, year)
    columns: list[Column] = [
        *TASK_COLUMNS[1:4],
        ("leads", lambda c: "、".join(index.units[u].label for u in c.task.leads)),
        ("others", lambda c: "、".join(h.label for h in c.others)),
        ("task", lambda c: _short(c.task.text, 40)),
    ]
    _emit(rows, as_json, rows, columns, f"{name}: {len(rows)} co-owned tasks")


@app.command()
def collaborators(
    name: Name,
    report: Report = None,
    year: Year = None,
    as_json: Json = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Units sharing tasks with a department, most shared tasks first."""
    from govkg.queries.departments import collaborators as ask

    rows = ask(_index(data_dir), name, report, year)
    columns: list[Column] = [
        ("collaborator", lambda c: c.unit.label),
        ("shared", lambda c: c.shared),
        ("it leads", lambda c: c.department_leads),
        ("partner leads", lambda c: c.partner_leads),
        ("neither", lambda c: c.neither_leads),
        ("id", lambda c: c.unit.id),
    ]
    _emit(rows, as_json, rows, columns, f"collaborators of {name}")


@app.command()
def network(
    min_weight: Annotated[
        int, typer.Option(min=1, help="Only links of at least this many shared tasks.")
    ] = 1,
    report: Report = None,
    year: Year = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Issuing jurisdiction, e.g. 下陆区.")] = None,
    as_json: Json = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """The collaboration network: nodes by weighted degree (JSON: nodes and links)."""
    from govkg.queries.network import network_view

    view = network_view(_index(data_dir), report, year, jurisdiction, min_weight)
    rows = sorted(view.nodes, key=lambda n: (-n.weighted_degree, n.id))
    columns: list[Column] = [
        ("unit", lambda n: n.label),
        ("jurisdiction", lambda n: n.jurisdiction),
        ("degree", lambda n: n.degree),
        ("weighted", lambda n: n.weighted_degree),
        ("betweenness", lambda n: f"{n.betweenness:.3f}"),
        ("community", lambda n: n.community),
        ("lead", lambda n: n.lead_count),
        ("assist", lambda n: n.assist_count),
    ]
    _emit(view, as_json, rows, columns, f"{len(view.nodes)} units, {len(view.links)} links")


@app.command()
def profile(name: Name, as_json: Json = False, data_dir: DataDir = DEFAULT_DATA_DIR) -> None:
    """A department's names, jurisdiction, load per report and most frequent topics."""
    from govkg.queries.departments import profile as ask

    p = ask(_index(data_dir), name)
    if as_json:
        _emit(p, True)
        return
    u = p.unit
    typer.echo(f"{u.label}  ({u.id})")
    typer.echo(f"name: {u.name}   jurisdiction: {u.jurisdiction or '?'}   aliases: {'、'.join(u.aliases)}")
    for label, refs in (("replaced", p.predecessors), ("replaced by", p.successors)):
        if refs:
            typer.echo(f"{label}: {'、'.join(r.label for r in refs)}")
    typer.echo(f"topics: {' '.join(p.topics)}")
    columns: list[Column] = [
        ("report", lambda r: _short(r.title, 40)),
        ("year", lambda r: r.year),
        ("lead", lambda r: r.lead),
        ("assist", lambda r: r.assist),
    ]
    _emit(p, False, p.loads, columns, f"{p.lead_count} lead, {p.assist_count} assist")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words the task must contain (Chinese, jieba-tokenised).")],
    department: Annotated[str | None, typer.Option(help="A unit holding the task.")] = None,
    district: Annotated[str | None, typer.Option(help="A district the task concerns.")] = None,
    report: Report = None,
    year: Year = None,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    as_json: Json = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Full-text task search."""
    from govkg.queries.search import search_tasks

    found = search_tasks(_index(data_dir), text, department, district, report, year)
    hits = found[:limit]
    columns: list[Column] = [
        ("year", lambda h: h.task.year),
        ("no.", lambda h: h.task.number),
        ("leads", lambda h: "、".join(x.label for x in h.task.holders if x.role == "lead")),
        ("task", lambda h: _short(h.task.text)),
        ("id", lambda h: h.task.id),
    ]
    _emit(hits, as_json, hits, columns, f"{len(hits)} of {len(found)} tasks for {text!r}")


@app.command("no-lead")
def no_lead(
    report: Report = None, year: Year = None, as_json: Json = False, data_dir: DataDir = DEFAULT_DATA_DIR
) -> None:
    """Tasks that no unit leads."""
    from govkg.queries.overview import tasks_without_lead

    rows = tasks_without_lead(_index(data_dir), report, year)
    columns: list[Column] = [
        ("year", lambda t: t.year),
        ("no.", lambda t: t.number),
        ("units", lambda t: "、".join(h.label for h in t.holders)),
        ("task", lambda t: _short(t.text)),
    ]
    _emit(rows, as_json, rows, columns, f"{len(rows)} tasks without a lead")


@app.command("top-leads")
def top_leads(
    limit: Annotated[int, typer.Option(min=1)] = 10,
    report: Report = None,
    year: Year = None,
    as_json: Json = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Units leading the most tasks."""
    from govkg.queries.overview import top_leads as ask

    rows = ask(_index(data_dir), limit, report, year)
    columns: list[Column] = [
        ("unit", lambda r: r.unit.label),
        ("jurisdiction", lambda r: r.unit.jurisdiction),
        ("lead", lambda r: r.lead),
        ("assist", lambda r: r.assist),
    ]
    _emit(rows, as_json, rows, columns, "top leads")


@app.command()
def districts(
    report: Report = None, year: Year = None, as_json: Json = False, data_dir: DataDir = DEFAULT_DATA_DIR
) -> None:
    """Districts and the number of tasks concerning each."""
    from govkg.queries.overview import tasks_per_district

    rows = tasks_per_district(_index(data_dir), report, year)
    columns: list[Column] = [
        ("district", lambda d: d.name),
        ("in", lambda d: d.jurisdiction),
        ("tasks", lambda d: d.tasks),
        ("via unit", lambda d: d.by_unit),
        ("via text", lambda d: d.by_text),
    ]
    _emit(rows, as_json, rows, columns, "tasks per district")


@app.command()
def targets(
    indicator: Annotated[str | None, typer.Option(help="Part of the indicator, e.g. 生产总值.")] = None,
    report: Report = None,
    year: Year = None,
    as_json: Json = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Quantitative targets."""
    from govkg.queries.overview import targets as ask

    rows = ask(_index(data_dir), indicator, report, year)
    columns: list[Column] = [
        ("year", lambda t: t.year),
        ("indicator", lambda t: t.indicator),
        ("measure", lambda t: t.measure),
        ("value", lambda t: f"{t.comparator} {t.value:g}{t.unit}"),
        ("text", lambda t: _short(t.text, 40)),
    ]
    _emit(rows, as_json, rows, columns, f"{len(rows)} targets")


@app.command()
def diff(
    name: Name,
    before: Annotated[str, typer.Option("--from", help="The earlier report.")],
    after: Annotated[str, typer.Option("--to", help="The later report.")],
    as_json: Json = False,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """A department's tasks gained and lost, and its load, between two reports."""
    from govkg.queries.diff import report_change

    c = report_change(_index(data_dir), name, before, after)
    if as_json:
        _emit(c, True)
        return
    typer.echo(f"{c.unit.label}: lineage {' -> '.join(u.label for u in c.lineage)}")
    typer.echo(f"load: lead {c.before.lead} -> {c.after.lead}, assist {c.before.assist} -> {c.after.assist}")
    rows = [("gained", rt) for rt in c.gained] + [("lost", rt) for rt in c.lost]
    rows += [("kept", m.after) for m in c.kept]
    columns: list[Column] = [("change", lambda r: r[0]), *_through(lambda r: r[1], TASK_COLUMNS[1:])]
    _emit(c, False, rows, columns, f"{len(c.gained)} gained, {len(c.lost)} lost, {len(c.kept)} kept")
