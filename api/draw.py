"""A static picture (PNG or SVG) of the department collaboration network, drawn with matplotlib.

Node size follows the number of tasks a unit leads, edge width the number of tasks two units
share, node colour the Louvain community (``govkg.queries.network.communities``, as on the page); the
units with the most lead tasks are labelled.
Chinese labels use a CJK font when one is installed (Noto Sans CJK, WenQuanYi, Droid Sans
Fallback); without one the picture is still drawn. Figures are rendered off screen (Agg / SVG
canvases, no pyplot state).

>>> draw_network(graph, Path("network.svg"), min_weight=2)  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import io
import warnings
from pathlib import Path

import matplotlib
import networkx as nx
from matplotlib import font_manager, patheffects
from matplotlib.figure import Figure

from govkg.graph.files import write_atomic
from govkg.graph.layout import packed_layout
from govkg.graph.network import collaboration_network
from govkg.queries.network import communities

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
)
# The page's palette (api/static/app.js), so both pictures colour communities alike.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#7f8c8d", "#1b9e77", "#d95f02",
)
NODE_GID = "nodes"
EDGE_GID = "edges"
LABELLED = 30
LABEL_POINTS = 9


@functools.cache
def cjk_font() -> str | None:
    """The first installed font family of ``CJK_FONTS``, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is None:  # a font installed after matplotlib cached its list: add the system's CJK files
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name.lower() for k in ("cjk", "wqy", "droidsansfallback")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        installed = {f.name for f in font_manager.fontManager.ttflist}
        found = next((name for name in CJK_FONTS if name in installed), None)
    return found


def draw_network(graph: nx.MultiDiGraph, out: Path, min_weight: int = 1) -> None:
    """Draw the collaboration network of ``graph`` to ``out`` (.png or .svg, by suffix).

    Only edges of at least ``min_weight`` shared tasks are drawn. The file is replaced
    atomically. In the SVG, the node markers are in ``<g id="nodes">`` and the edges in
    ``<g id="edges">``.
    """
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"{out}: the picture must be .png or .svg")
    network = collaboration_network(graph, min_weight=min_weight)
    labels = {v: network.nodes[v].get("label") or graph.nodes[v].get("label", str(v)) for v in network}
    figure = _figure(network, labels, min_weight)
    buffer = io.BytesIO()
    # A fixed salt makes the SVG's element ids, and so the file, the same from run to run.
    with warnings.catch_warnings(), matplotlib.rc_context({"svg.hashsalt": "govkg"}):
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        figure.savefig(buffer, format=fmt, dpi=150, facecolor="white", metadata=_metadata(fmt))
    write_atomic(out, buffer.getvalue())


def _metadata(fmt: str) -> dict[str, str | None]:
    # Without a date the SVG is byte-identical from run to run.
    return {"Date": None} if fmt == "svg" else {}


def _crowding(n: int) -> float:
    """Shrink factor for marks as the network grows (1 up to ~60 nodes)."""
    return min(1.0, max(0.25, (60 / max(1, n)) ** 0.5))


def _figure(network: nx.Graph, labels: dict[str, str], min_weight: int) -> Figure:
    font = cjk_font()
    figure = Figure(figsize=(12, 9), layout="constrained")
    ax = figure.add_subplot()
    ax.set_axis_off()
    n, m = network.number_of_nodes(), network.number_of_edges()
    shared = "" if min_weight <= 1 else f" (≥{min_weight} shared tasks)"
    ax.set_title(f"Department collaboration network: {n} units, {m} links{shared}", fontsize=13, loc="left")
    if n == 0:
        ax.text(0.5, 0.5, "No collaboration to draw", ha="center", va="center", transform=ax.transAxes)
        return figure

    nodes = list(network.nodes)
    pos = packed_layout(network)
    community = communities(network)
    crowd = _crowding(n)
    leads = [network.nodes[v].get("lead_count", 0) for v in nodes]
    top_lead = max(1, *leads)
    sizes = [(20 + 700 * (lead / top_lead) ** 0.5) * crowd**2 for lead in leads]
    colours = [PALETTE[community[v] % len(PALETTE)] for v in nodes]

    edges = list(network.edges(data="weight", default=1))
    if edges:
        top_weight = max(w for _, _, w in edges)
        widths = [(0.4 + 4 * ((w - 1) / max(1, top_weight - 1)) ** 0.5) * crowd for _, _, w in edges]
        drawn = nx.draw_networkx_edges(
            network, pos, ax=ax, edgelist=[(u, v) for u, v, _ in edges], width=widths,
            edge_color="#9aa5b1", alpha=0.55,
        )
        drawn.set_gid(EDGE_GID)
    markers = nx.draw_networkx_nodes(
        network, pos, ax=ax, nodelist=nodes, node_size=sizes, node_color=colours,
        edgecolors="white", linewidths=0.6,
    )
    markers.set_gid(NODE_GID)
    ax.set_xlim(-1.08, 1.08)
    ax.set_ylim(-1.08, 1.08)

    ranked = sorted(nodes, key=lambda v: (-network.nodes[v].get("lead_count", 0), -network.degree(v, "weight")))
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    size_of = dict(zip(nodes, sizes, strict=True))
    for v in _unclipped(ranked, pos, labels, size_of):
        above = size_of[v] ** 0.5 / 2 + 1  # marker radius in points, plus a gap
        ax.annotate(
            labels[v], pos[v], xytext=(0, above), textcoords="offset points",
            ha="center", va="bottom", fontsize=LABEL_POINTS, family=font or "sans-serif", path_effects=halo,
        )
    ax.text(
        0, 0, "node size: tasks led · edge width: tasks shared · colour: community",
        transform=ax.transAxes, fontsize=9, color="#66717f",
    )
    return figure


def _unclipped(
    ranked: list[str], pos: dict[str, tuple[float, float]], labels: dict[str, str], sizes: dict[str, float]
) -> list[str]:
    """The first ``LABELLED`` nodes of ``ranked`` whose labels don't overlap a label already kept."""
    # Points per layout unit on the 12x9 in figure, axes spanning about 11.4 x 8.2 in over 2.16 units.
    sx, sy = 11.4 * 72 / 2.16, 8.2 * 72 / 2.16
    kept: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    for v in ranked:
        if len(kept) == LABELLED:
            break
        x, y = pos[v][0] * sx, pos[v][1] * sy + sizes[v] ** 0.5 / 2 + 1
        half = len(labels[v]) * LABEL_POINTS * 0.55 + 2
        box = (x - half, y, x + half, y + LABEL_POINTS + 5)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        kept.append(v)
        boxes.append(box)
    return kept
