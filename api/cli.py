"""The ``govkg`` command line.

Errors are one line on stderr and a non-zero exit; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from govkg.loaders.model import Document

T = TypeVar("T")

app = typer.Typer(
    name="govkg",
    help="Turn Chinese government responsibility documents into a knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_DATA_DIR = Path(os.environ.get("GOVKG_DATA", "govkg-data"))

DataDir = Annotated[
    Path, typer.Option("--data-dir", "-d", help="Folder of the store, govkg.sqlite (env GOVKG_DATA).")
]
Paths = Annotated[list[Path], typer.Argument(help="Document files or folders (searched recursively).")]
JurisdictionOpt = Annotated[
    str | None,
    typer.Option(
        "--jurisdiction", help="Jurisdiction of the documents, when their text does not say it (黄石市下陆区)."
    ),
]


class CliError(Exception):
    """An error reported as one line and exit code 1."""


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"govkg: error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Files named in ``paths``, folders expanded recursively to supported files, sorted."""
    from govkg.api.bulk import LEGACY_SUFFIXES
    from govkg.loaders import SUPPORTED_SUFFIXES

    suffixes = (*SUPPORTED_SUFFIXES, *LEGACY_SUFFIXES)
    for p in paths:
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in suffixes)
        elif p.exists():
            yield p
        else:
            raise CliError(f"{p}: no such file or folder")


def _progress(items: Iterable[T], label: str, total: int) -> Iterator[T]:
    """Iterate with a progress bar on stderr when it is a terminal and the run is long."""
    if total < 3 or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(items, description=label, total=total, console=Console(stderr=True))


def _check_jurisdiction(jurisdiction: str | None) -> None:
    """A one-line error for a ``--jurisdiction`` that names no division, with suggestions."""
    from govkg.loaders.metadata import UnknownJurisdiction, resolve_jurisdiction

    if jurisdiction:
        try:
            resolve_jurisdiction(jurisdiction)
        except UnknownJurisdiction as e:
            raise CliError(str(e)) from None


def _limits():  # noqa: ANN202
    from govkg.loaders.limits import Limits

    try:
        return Limits.from_env()
    except ValueError as e:
        raise CliError(str(e)) from None


def _show_traceback(path: Path, jurisdiction: str | None) -> None:
    """With ``--debug``: parse a file that failed inside a worker once more in this process,
    printing the traceback of the failure."""
    from govkg.loaders import LoadError, load_document

    try:
        load_document(path, jurisdiction)
    except LoadError as e:
        if e.__cause__ is not None:
            traceback.print_exception(e.__cause__, file=sys.stderr)


def _load_each(files: list[Path], jurisdiction: str | None = None) -> Iterator[Document | None]:
    """Each file's Document, or None after reporting its LoadError on stderr; parsed in
    worker processes under the limits of ``govkg.loaders.limits`` (``GOVKG_*`` variables)."""
    from govkg.loaders import LoadError
    from govkg.loaders.isolate import ParsePool

    _check_jurisdiction(jurisdiction)
    parsed = ParsePool(_limits()).map(files, jurisdiction)
    for _, doc in zip(_progress(files, "Parsing", len(files)), parsed, strict=True):
        if isinstance(doc, LoadError):
            if "--debug" in sys.argv[1:] and "internal error" in doc.reason:
                _show_traceback(Path(doc.path), jurisdiction)
            typer.secho(f"govkg: error: {doc}", fg=typer.colors.RED, err=True)
            yield None
        else:
            yield doc


def graph_path(data_dir: Path) -> Path:
    """The store file in ``data_dir``."""
    from govkg.graph.store import store_path

    return store_path(data_dir)


def _open_store(data_dir: Path):  # noqa: ANN202
    """The existing store in ``data_dir`` (an error if there is none)."""
    from govkg.graph.store import Store

    path = graph_path(data_dir)
    if not path.exists():
        raise CliError(f"{path}: no stored graph; run 'govkg build PATH...' first")
    return Store.open(path)


def _read_graph(data_dir: Path):  # noqa: ANN202
    with _open_store(data_dir) as store:
        return store.load_graph()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Global options; ``--debug`` is read by ``main`` so that it covers every error."""


@app.command()
def extract(
    paths: Paths,
    text: Annotated[bool, typer.Option("--text", help="Include the normalised document text.")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print what was found and which rules found it, not JSON.")
    ] = False,
    jurisdiction: JurisdictionOpt = None,
) -> None:
    """Print one JSON object per document (JSON Lines) with its tasks, units and targets.

    Bad files are reported on stderr; the others are still extracted; the exit code is 1
    if any file failed.
    """
    from govkg.api.explain import explain as explain_document

    failed = 0
    for doc in _load_each(list(iter_files(paths)), jurisdiction):
        if doc is None:
            failed += 1
            continue
        if explain:
            sys.stdout.write(explain_document(doc) + "\n")
            continue
        sys.stdout.write(json.dumps(doc.to_dict(include_text=text), ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(1)


@app.command()
def build(
    paths: Paths,
    data_dir: DataDir = DEFAULT_DATA_DIR,
    fresh: Annotated[bool, typer.Option("--fresh", help="Remove every stored report first.")] = False,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Add nothing if the store already holds reports.")
    ] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Parsing processes (0: all cores).")] = 0,
    jurisdiction: JurisdictionOpt = None,
) -> None:
    """Parse documents and add each to the store (one transaction per document).

    A file already stored (same content, or the same text in another format) is left
    as it is; bad files, files without tasks and .doc/.wps without LibreOffice are
    reported and the others added. Ends with a summary; the exit code is 1 if any failed.
    """
    from govkg.api.bulk import default_jobs, load_files, summary
    from govkg.graph.store import Store

    files = list(iter_files(paths))
    if not files:
        raise CliError("no document files found in " + ", ".join(map(str, paths)))
    _check_jurisdiction(jurisdiction)
    with Store.open(graph_path(data_dir)) as store:
        if fresh:
            store.clear()
        elif if_empty and store.counts()[0]:
            reports, tasks = store.counts()
            typer.echo(f"{store.path}: holds {reports} reports, {tasks} tasks; nothing added (--if-empty)")
            return
        outcomes = list(
            load_files(
                store,
                files,
                jobs or default_jobs(),
                lambda it: _progress(it, "Loading", len(files)),
                jurisdiction=jurisdiction,
            )
        )
        lines = summary(outcomes, store)
        if fresh or any(o.status == "added" for o in outcomes):
            from govkg.api.tables import refresh

            # derive the graph and write the server's read tables once, now (the groups that changed)
            refresh(store, jobs or default_jobs(), track=lambda groups, n: _progress(groups, "Deriving", n))
    typer.echo("\n".join(lines))
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)


@app.command()
def reports(
    data_dir: DataDir = DEFAULT_DATA_DIR,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the stored reports: key, title, jurisdiction, year, tasks, source file."""
    import dataclasses

    with _open_store(data_dir) as store:
        rows = store.reports()
    if as_json:
        typer.echo(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("key", "title", "jurisdiction", "year", "tasks", "source", title=f"{len(rows)} reports")
    for r in rows:
        table.add_row(r.key, r.title or "", r.jurisdiction or "", str(r.year or ""), str(r.task_count), r.source)
    Console(width=200).print(table)


@app.command()
def remove(
    report: Annotated[str, typer.Argument(help="Report key, sha256 prefix, source file name or title.")],
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Remove one report with its sections, tasks, targets and unit mentions (one transaction)."""
    with _open_store(data_dir) as store:
        found = store.find(report)
        if not found:
            raise CliError(f"no report {report!r} in {store.path} (see 'govkg reports')")
        if len(found) > 1:
            keys = ", ".join(f"{r.key} ({r.source})" for r in found)
            raise CliError(f"{report!r} names {len(found)} reports: {keys}; give the key")
        r = store.remove(found[0].key)
        left, tasks = store.counts()
        from govkg.api.bulk import default_jobs
        from govkg.api.tables import refresh

        # cache the derived graph and the server's read tables of the groups that changed
        refresh(store, default_jobs(), track=lambda groups, n: _progress(groups, "Deriving", n))
    typer.echo(f"{store.path}: removed {r.key} ({r.source}, {r.task_count} tasks); {left} reports, {tasks} tasks left")


@app.command()
def serve(
    data_dir: DataDir = DEFAULT_DATA_DIR,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes (each answers from the store; start-up reads no graph).")
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request (one line each, on stderr).")] = False,
) -> None:
    """Serve the REST API and the collaboration network page."""
    import socket

    import uvicorn

    from govkg.api.http import serve_workers, uvicorn_options

    path = graph_path(data_dir)
    if not path.exists():
        raise CliError(f"{path}: no stored graph; run 'govkg build PATH...' first")
    with socket.socket() as probe:  # a port in use is one line, not uvicorn's traceback
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as e:
            raise CliError(f"{host}:{port}: {e.strerror or 'cannot listen'}; pick another with --port") from None
    from govkg.api.security import Policy

    limits = _limits()
    policy = Policy.from_env(host, max_file_bytes=limits.max_file_bytes)
    typer.echo(f"govkg: serving {path} on http://{host}:{port}/ (API docs at /docs)")
    if not policy.loopback_only and policy.token is None:
        typer.echo("govkg: listening beyond loopback without GOVKG_TOKEN: uploads are refused", err=True)
    if workers == 1:
        from govkg.api.app import create_app

        uvicorn.run(
            create_app(path, policy, limits), host=host, port=port, **uvicorn_options(log_level="info", access_log=access_log)
        )
        return
    from govkg.api.serving import SERVE_HOST, SERVE_STORE  # not the app: each worker imports it

    os.environ[SERVE_STORE], os.environ[SERVE_HOST] = str(path), host  # read by each worker's app_from_env
    code = serve_workers("govkg.api.app:app_from_env", host, port, workers, log_level="info", access_log=access_log)
    if code:
        raise typer.Exit(code)


class ExportFormat(StrEnum):
    json = "json"
    ttl = "ttl"
    jsonld = "jsonld"
    gexf = "gexf"
    graphml = "graphml"
    cytoscape = "cytoscape"
    csv = "csv"
    xlsx = "xlsx"
    neo4j_import = "neo4j-import"


class ExportWhat(StrEnum):
    graph = "graph"
    tasks = "tasks"


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file (a folder for neo4j-import).")],
    data_dir: DataDir = DEFAULT_DATA_DIR,
    what: Annotated[
        ExportWhat, typer.Option("--what", help="graph, or tasks: a tracking sheet, one row per task (csv, xlsx).")
    ] = ExportWhat.graph,
    department: Annotated[str | None, typer.Option(help="Tasks held by this unit (any name).")] = None,
    role: Annotated[str, typer.Option(help="With --department: any, lead or assist.")] = "any",
    district: Annotated[str | None, typer.Option(help="Tasks concerning this district.")] = None,
    report: Annotated[str | None, typer.Option(help="Tasks of this report (key, file name or title).")] = None,
    year: Annotated[int | None, typer.Option(help="Tasks of reports for this year.")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Tasks of this jurisdiction.")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Words the task text must contain.")] = None,
) -> None:
    """Export the stored graph: node-link JSON, RDF (Turtle, JSON-LD), GEXF, GraphML, Cytoscape JSON,
    CSV edges, neo4j-admin import CSV; or, with ``--what tasks``, a tracking sheet (csv, xlsx) with
    the filters of ``GET /api/tasks``."""
    from govkg.graph import export as exporters

    g = _read_graph(data_dir)
    if fmt is ExportFormat.neo4j_import:
        from govkg.graph.neo4j_import import write_import_files

        if out.exists() and not out.is_dir():
            raise CliError(f"{out}: the neo4j-import export is a folder, and this is a file")
        files = write_import_files(g, out)
        typer.echo(f"{out}: written ({fmt.value}, {len(files)} files; see import.args)")
        return
    if what is ExportWhat.tasks or fmt is ExportFormat.xlsx:
        if what is not ExportWhat.tasks or fmt not in (ExportFormat.csv, ExportFormat.xlsx):
            raise CliError("a tracking sheet is --what tasks with -f csv or -f xlsx")
        from govkg.queries import sheet
        from govkg.queries.departments import RoleFilter
        from govkg.queries.index import GraphIndex

        if role not in {r.value for r in RoleFilter}:
            raise CliError(f"--role {role!r}: use any, lead or assist")
        index = GraphIndex(g)
        rows = sheet.sheet_rows(
            index, sheet.filter_tasks(index, q, department, role, district, report, year, jurisdiction)
        )
        exporters.write_atomic(out, sheet.to_xlsx(rows) if fmt is ExportFormat.xlsx else sheet.to_csv(rows))
        typer.echo(f"{out}: {len(rows)} tasks written ({fmt.value})")
        return
    if fmt is ExportFormat.json:
        from govkg.graph.store import dumps

        exporters.write_atomic(out, dumps(g))
    elif fmt is ExportFormat.ttl:
        import io

        from govkg.ontology.rdf import write_ntriples

        buf = io.BytesIO()  # streamed triples, one line each (Turtle without pretty-printing)
        write_ntriples(g, buf)
        exporters.write_atomic(out, buf.getvalue())
    elif fmt is ExportFormat.jsonld:
        from govkg.ontology.rdf import to_rdf

        data = to_rdf(g).serialize(format="json-ld", auto_compact=True)
        exporters.write_atomic(out, data.encode("utf-8"))
    else:
        exporters.write_atomic(out, exporters.render(g, fmt.value))
    typer.echo(f"{out}: written ({fmt.value})")


@app.command()
def neo4j(
    uri: Annotated[str, typer.Option(help="Bolt URI, e.g. bolt://127.0.0.1:7687.")] = "bolt://127.0.0.1:7687",
    user: Annotated[str, typer.Option(help="User name.")] = "neo4j",
    password: Annotated[str, typer.Option(help="Password (env NEO4J_PASSWORD).", envvar="NEO4J_PASSWORD")] = "",
    database: Annotated[str, typer.Option(help="Database name.")] = "neo4j",
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Load the stored graph into Neo4j (idempotent: a second run changes nothing)."""
    from govkg.graph.neo4j_store import sync

    summary = sync(_read_graph(data_dir), uri=uri, user=user, password=password, database=database)
    typer.echo(f"{uri} ({database}): {summary}")


@app.command()
def draw(
    out: Annotated[Path, typer.Option("--out", "-o", help="PNG or SVG file.")],
    data_dir: DataDir = DEFAULT_DATA_DIR,
    min_weight: Annotated[int, typer.Option(help="Only edges with at least this many shared tasks.")] = 1,
) -> None:
    """Draw the department collaboration network to a static PNG or SVG (matplotlib)."""
    from govkg.api.draw import cjk_font, draw_network

    if out.suffix.lower() not in (".png", ".svg"):
        raise CliError(f"{out}: the picture must be .png or .svg")
    if cjk_font() is None:
        typer.secho(
            "govkg: warning: no Chinese font installed (e.g. apt-get install fonts-noto-cjk); labels will show as boxes",
            fg=typer.colors.YELLOW,
            err=True,
        )
    draw_network(_read_graph(data_dir), out, min_weight=min_weight)
    typer.echo(f"{out}: written")


def main() -> None:
    """Entry point of the ``govkg`` console script."""
    from govkg.api.cli_query import app as query_app

    app.add_typer(query_app, name="query", help="Ask the named questions of the stored graph.")
    try:
        rc = app(standalone_mode=False)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except Exception as e:  # one line, unless --debug
        import click

        if isinstance(e, click.exceptions.Abort):
            sys.exit(130)
        if isinstance(e, click.ClickException):
            e.show()
            sys.exit(e.exit_code)
        if "--debug" in sys.argv[1:]:
            raise
        typer.secho(f"govkg: error: {e}", fg=typer.colors.RED, err=True)
        sys.exit(1)
    sys.exit(rc if isinstance(rc, int) else 0)


if __name__ == "__main__":
    main()
