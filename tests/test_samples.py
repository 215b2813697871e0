"""The committed samples in other formats (samples/formats/, written by scripts/make_samples.py)
give the same tasks, units, jurisdiction and normalised text as the .txt they were made from."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from govkg.graph.store import text_sha256
from govkg.loaders import SUPPORTED_SUFFIXES, load_document
from govkg.loaders.readers import read_text
from tests.conftest import REPO, SAMPLES

FORMATS_DIR = SAMPLES / "formats"


def _script():
    spec = importlib.util.spec_from_file_location("make_samples", REPO / "scripts" / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _original(path: Path) -> Path:
    stem = path.stem
    for suffix in ("_gb18030", "_utf16"):
        stem = stem.removesuffix(suffix)
    return SAMPLES / f"{stem}.txt"


def _tasks(doc) -> list[tuple]:  # noqa: ANN001
    return [(t.id, t.section_path, t.text, t.lead, t.assist, t.responsible, t.deadline) for t in doc.tasks]


def test_the_committed_files_are_the_scripts_set():
    made = _script().FORMATS
    names = {f"{stem}.{fmt}" if fmt in ("docx", "html", "pdf") else f"{stem}_{fmt.replace('-', '')}.txt" for stem, fmt in made}
    assert {p.name for p in FORMATS_DIR.iterdir()} == names
    assert {p.suffix for p in FORMATS_DIR.iterdir()} == set(SUPPORTED_SUFFIXES) - {".htm"}
    real = {p.stem for p in SAMPLES.glob("0*.txt")}
    assert real <= {_original(p).stem for p in FORMATS_DIR.iterdir()}  # every real notice in another format


@pytest.mark.parametrize("path", sorted(FORMATS_DIR.iterdir()), ids=lambda p: p.name)
def test_a_committed_file_parses_to_the_tasks_of_its_txt(path: Path):
    want, got = load_document(_original(path)), load_document(path)
    assert got.tasks and _tasks(got) == _tasks(want)
    assert [[(u.name, u.role) for u in t.units] for t in got.tasks] == [[(u.name, u.role) for u in t.units] for t in want.tasks]
    assert (got.metadata.jurisdiction, got.metadata.division_code) == (want.metadata.jurisdiction, want.metadata.division_code)
    assert text_sha256(got) == text_sha256(want)  # one report: `govkg build samples` finds it unchanged
    if path.suffix == ".txt":  # another encoding of the same text
        assert path.read_bytes() != _original(path).read_bytes()
        assert read_text(path) == read_text(_original(path))
