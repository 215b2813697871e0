"""Shared fixtures: paths, the bundled samples parsed once, and their graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bolt_server import neo4j_server  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "samples"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo; tests that need it are skipped without it."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared is not beside the repo")
    return SHARED


@pytest.fixture(scope="session")
def sample_documents():
    """The bundled sample documents, parsed once per session."""
    from govkg.loaders import SUPPORTED_SUFFIXES, load_document

    return [load_document(p) for p in sorted(SAMPLES.iterdir()) if p.suffix in SUPPORTED_SUFFIXES]


@pytest.fixture(scope="session")
def dev_documents(shared_dir):
    """The 51 real documents of ``../shared/dev`` (other governments), parsed once per session."""
    from govkg.loaders import load_document

    return [load_document(p) for p in sorted((shared_dir / "dev" / "docs").glob("*.txt"))]


@pytest.fixture(scope="session")
def sample_graph(sample_documents):
    """The graph built from the bundled samples (do not mutate; copy first)."""
    from govkg.graph.build import build_graph

    return build_graph(sample_documents)


def unplaced_department(documents, source: str, name: str) -> str:
    """Key of department ``name`` in document ``source``: under its jurisdiction, or its own
    scope when the jurisdiction is unknown."""
    from govkg.graph.schema import department_key, unplaced_scope

    doc = next(d for d in documents if d.source == source)
    return department_key(doc.metadata.jurisdiction or unplaced_scope(doc.metadata.sha256), name)



# -- the page tests (tests/test_page.py, tests/test_page_work.py): each module serves its own
# store at ``base_url``; these fixtures are the same for both


@pytest.fixture(scope="module")
def api(base_url):  # noqa: ANN001, ANN201
    """An HTTP client for the module's server."""
    import httpx

    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    """Debian's Chromium, headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    from tests.test_page import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
