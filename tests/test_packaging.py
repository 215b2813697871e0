"""The wheel installs one ``govkg`` package (govkg.loaders, govkg.api, ...) and nothing bare.

The wheel is built by pip from the repository, as ``pip install .`` would, and imported from
where it was unpacked, not from the repository.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "000_5acdb013471bb0aa.txt"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        pytest.skip(f"pip could not build the wheel (no package index?): {run.stderr[-300:]}")
    assert "Warning" not in run.stderr, run.stderr
    (path,) = out.glob("govkg-*.whl")
    return path


def test_wheel_holds_only_the_govkg_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"govkg", next(t for t in tops if t.endswith(".dist-info"))}
    for data in (
        "govkg/loaders/data/cues.json",
        "govkg/ontology/govkg.ttl",
        "govkg/queries/sparql/co_owned.rq",
        "govkg/api/static/index.html",
        "govkg/api/static/vendor/sigma.min.js",
    ):
        assert data in names, data
    entry = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))
    ).decode()
    assert "govkg = govkg.api.cli:main" in entry


def test_unpacked_wheel_imports_and_parses(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys, govkg.loaders, govkg.api.app; "
        "from govkg.loaders import load_document; "
        "print(govkg.loaders.__file__); print(len(load_document(sys.argv[1]).tasks))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    where, tasks = run.stdout.split()
    assert Path(where).is_relative_to(site)
    assert int(tasks) > 10
