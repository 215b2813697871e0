"""Extraction scores on the seeds and on ../shared/dev, from one batch run each, against floors.

The floors sit at what the parser reaches; raise them as it improves, so that any
regression fails CI. Skipped only without ../shared beside the repo.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOVKG = Path(sys.executable).with_name("govkg")

FLOORS = {
    "seeds": {"task_f1": 0.99, "unit_f1": 0.99, "role_f1": 0.99},
    "dev": {"task_f1": 0.915, "unit_f1": 0.92, "role_f1": 0.915},
}


def _batch(files: list[Path], tmp_path: Path) -> Path:
    run = subprocess.run(
        [str(GOVKG), "extract", *map(str, files)], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    pred = tmp_path / "pred.jsonl"
    pred.write_text(run.stdout, encoding="utf-8")
    return pred


def _score(shared: Path, pred: Path, gold: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(shared / "eval" / "score.py"), str(pred), "--gold", str(gold)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    last = out.strip().splitlines()[-1]
    return {k: float(v) for k, v in re.findall(r"(\w+_f1)=([\d.]+)", last)}


@pytest.mark.parametrize("corpus", ["seeds", "dev"])
def test_batch_scores_stay_above_the_floors(corpus: str, shared_dir: Path, tmp_path: Path) -> None:
    if corpus == "seeds":
        files = sorted((shared_dir / "seeds").glob("*.txt"))
        gold = shared_dir / "gold" / "seeds.json"
    else:
        files = sorted((shared_dir / "dev" / "docs").glob("*.txt"))
        gold = shared_dir / "dev" / "gold.json"
    pred = _batch(files, tmp_path)
    emitted = [json.loads(line)["source"] for line in pred.read_text(encoding="utf-8").splitlines()]
    assert len(emitted) == len(files)  # one batch run emits every document
    got = _score(shared_dir, pred, gold)
    for key, floor in FLOORS[corpus].items():
        assert got[key] >= floor, f"{corpus} {key} {got[key]:.3f} < floor {floor}"
