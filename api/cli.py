"""The ``govkg`` command line.

Errors are one line on stderr and a non-zero exit; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from loaders.model import Document

app = typer.Typer(
    name="govkg",
    help="Turn Chinese government responsibility documents into a knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_DATA_DIR = Path(os.environ.get("GOVKG_DATA", "govkg-data"))
GRAPH_FILE = "graph.json"

DataDir = Annotated[
    Path, typer.Option("--data-dir", "-d", help="Folder of the stored graph (env GOVKG_DATA).")
]
Paths = Annotated[list[Path], typer.Argument(help="Document files or folders (searched recursively).")]


class CliError(Exception):
    """An error reported as one line and exit code 1."""


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"govkg: error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Files named in ``paths``, folders expanded recursively to supported files, sorted."""
    from loaders import SUPPORTED_SUFFIXES

    for p in paths:
        if p.is_dir():
            yield from sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
            )
        elif p.exists():
            yield p
        else:
            raise CliError(f"{p}: no such file or folder")


def _progress(items: list[Path], label: str) -> Iterator[Path]:
    """Iterate with a progress bar on stderr when it is a terminal and the run is long."""
    if len(items) < 3 or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(items, description=label, console=Console(stderr=True))


def _load_each(files: list[Path]) -> Iterator[Document | None]:
    """Each file's Document, or None after reporting its LoadError on stderr."""
    from loaders import LoadError, load_document

    for f in _progress(files, "Parsing"):
        try:
            yield load_document(f)
        except LoadError as e:
            typer.secho(f"govkg: error: {e}", fg=typer.colors.RED, err=True)
            yield None


def graph_path(data_dir: Path) -> Path:
    return data_dir / GRAPH_FILE


def _read_graph(data_dir: Path):  # noqa: ANN202
    from graph.store import load_graph

    path = graph_path(data_dir)
    if not path.exists():
        raise CliError(f"{path}: no stored graph; run 'govkg build PATH...' first")
    return load_graph(path)


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Global options; ``--debug`` is read by ``main`` so that it covers every error."""


@app.command()
def extract(
    paths: Paths,
    text: Annotated[bool, typer.Option("--text", help="Include the normalised document text.")] = False,
) -> None:
    """Print one JSON object per document (JSON Lines) with its tasks, units and targets.

    Bad files are reported on stderr; the others are still extracted; the exit code is 1
    if any file failed.
    """
    failed = 0
    for doc in _load_each(list(iter_files(paths))):
        if doc is None:
            failed += 1
            continue
        sys.stdout.write(json.dumps(doc.to_dict(include_text=text), ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(1)


@app.command()
def build(
    paths: Paths,
    data_dir: DataDir = DEFAULT_DATA_DIR,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start from an empty graph.")] = False,
) -> None:
    """Parse documents and merge them into the stored graph (all or nothing).

    If any file fails, nothing is written and the stored graph stays as it was.
    """
    from graph.build import build_graph
    from graph.store import load_graph, save_graph

    files = list(iter_files(paths))
    if not files:
        raise CliError("no document files found in " + ", ".join(map(str, paths)))
    loaded = list(_load_each(files))
    docs = [d for d in loaded if d is not None]
    if len(docs) < len(files):
        failed = len(files) - len(docs)
        raise CliError(f"{failed} of {len(files)} files failed; the stored graph is unchanged")
    path = graph_path(data_dir)
    g = None if fresh or not path.exists() else load_graph(path)
    g = build_graph(docs, g)
    save_graph(g, path)
    typer.echo(f"{path}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges from {len(docs)} documents")


@app.command()
def serve(
    data_dir: DataDir = DEFAULT_DATA_DIR,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the REST API and the collaboration network page."""
    import uvicorn

    from api.app import create_app

    path = graph_path(data_dir)
    if not path.exists():
        raise CliError(f"{path}: no stored graph; run 'govkg build PATH...' first")
    typer.echo(f"govkg: serving {path} on http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(create_app(path), host=host, port=port, log_level="info")


class ExportFormat(StrEnum):
    ttl = "ttl"
    jsonld = "jsonld"
    gexf = "gexf"
    graphml = "graphml"
    cytoscape = "cytoscape"
    csv = "csv"
    neo4j_import = "neo4j-import"


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file (a folder for neo4j-import).")],
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Export the stored graph: RDF (Turtle, JSON-LD), GEXF, GraphML, Cytoscape JSON, CSV edges, neo4j-admin CSV."""
    from graph import export as exporters

    g = _read_graph(data_dir)
    if fmt is ExportFormat.neo4j_import:
        from graph.neo4j_import import write_import_files

        if out.exists() and not out.is_dir():
            raise CliError(f"{out}: the neo4j-import export is a folder, and this is a file")
        files = write_import_files(g, out)
        typer.echo(f"{out}: written ({fmt.value}, {len(files)} files; see import.args)")
        return
    if fmt in (ExportFormat.ttl, ExportFormat.jsonld):
        from ontology.rdf import to_rdf

        rdf = to_rdf(g)
        if fmt is ExportFormat.ttl:
            data = rdf.serialize(format="turtle")
        else:
            data = rdf.serialize(format="json-ld", auto_compact=True)
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
    from graph.neo4j_store import sync

    summary = sync(_read_graph(data_dir), uri=uri, user=user, password=password, database=database)
    typer.echo(f"{uri} ({database}): {summary}")


@app.command()
def draw(
    out: Annotated[Path, typer.Option("--out", "-o", help="PNG or SVG file.")],
    data_dir: DataDir = DEFAULT_DATA_DIR,
    min_weight: Annotated[int, typer.Option(help="Only edges with at least this many shared tasks.")] = 1,
) -> None:
    """Draw the department collaboration network to a static PNG or SVG (matplotlib)."""
    from api.draw import draw_network

    if out.suffix.lower() not in (".png", ".svg"):
        raise CliError(f"{out}: the picture must be .png or .svg")
    draw_network(_read_graph(data_dir), out, min_weight=min_weight)
    typer.echo(f"{out}: written")


def main() -> None:
    """Entry point of the ``govkg`` console script."""
    from api.cli_query import app as query_app

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
