"""Every command of the README's command-line block runs as written, from a folder holding the
repo's samples: ``govkg`` lines in one process through typer's runner (globs and ``>`` as the
shell does them), the others through bash in the venv."""

from __future__ import annotations

import glob
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import REPO


def _commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("### Command line", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [re.sub(r"\s+#\s.*$", "", ln).strip() for ln in block.splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("govkg serve")]


def _govkg_app():
    from govkg.api.cli import app
    from govkg.api.cli_query import app as query_app

    if not any(g.name == "query" for g in app.registered_groups):
        app.add_typer(query_app, name="query")
    return app


def test_readme_commands_run_as_written(tmp_path: Path, monkeypatch):
    for name in ("samples", "scripts", "api"):  # make_samples imports api.draw
        (tmp_path / name).symlink_to(REPO / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVKG_DATA", str(tmp_path / "data"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    commands = _commands()
    assert len(commands) >= 20 and not any(" | " in c for c in commands)  # one command a line
    app, runner = _govkg_app(), CliRunner()
    for command in commands:
        if not command.startswith("govkg "):
            r = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=180)
            assert r.returncode == 0, f"{command}\n{r.stderr}"
            continue
        words, out = shlex.split(command)[1:], None
        if ">" in words:
            out = Path(words[words.index(">") + 1])
            words = words[: words.index(">")]
        args = [m for w in words for m in (sorted(glob.glob(w)) if "*" in w else [w])]
        args = ["--data-dir" if a == "-d" else a for a in args]
        result = runner.invoke(app, args, env={"GOVKG_DATA": str(tmp_path / "data")})
        assert result.exit_code == 0, f"{command}\n{result.output}"
        if out:
            out.write_text(result.stdout, encoding="utf-8")
    assert Path("out.jsonl").read_text(encoding="utf-8").count("\n") == 6
    assert Path("tasks.xlsx").stat().st_size > 0 and Path("network.png").exists()
    made = sorted(Path("formats").iterdir())  # what make_samples wrote: the set kept in samples/formats
    assert [p.name for p in made] == sorted(p.name for p in (REPO / "samples" / "formats").iterdir())
    from govkg.loaders import load_document
    from tests.test_samples import _original, _tasks

    for path in made:  # each gives the tasks of the .txt it was made from
        assert _tasks(load_document(path)) == _tasks(load_document(_original(path))), path.name
