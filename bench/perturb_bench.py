"""Extraction on the dev documents rewritten in the forms real copies take, each scored against
the unchanged documents' gold.

Run from the repository root (needs ``../shared`` beside the repo)::

    .venv/bin/python bench/perturb_bench.py            # every form
    .venv/bin/python bench/perturb_bench.py wrap38 one_line

Each form is a pure function of a document's text (traditional script, hard wraps at a width,
the whole text on one line, an empty line after every line, tabs for bars, commas for 、 in
unit lists, 1、 for 1., …). The rewritten documents are extracted as ``govkg extract`` does and
scored by ``../shared/eval/score.py`` against ``../shared/dev/gold.json``; the unchanged
documents are the baseline of the same run. A form that loses much shows a stage that holds
for the dev files as they are, not for the kind of document. Some forms break what no copy
would (a table's rows on one line); read the per-file output of score.py (``-v``) before
changing a rule.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _wrapped(width: int) -> Callable[[str], str]:
    def wrap(text: str) -> str:
        out: list[str] = []
        for line in text.split("\n"):
            out.extend([line[i : i + width] for i in range(0, len(line), width)] or [""])
        return "\n".join(out)

    return wrap


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


_UNIT_DUN = re.compile(r"(?<=[局委办厅府会室队部处])、")

FORMS: dict[str, Callable[[str], str]] = {
    "as_is": lambda t: t,
    "traditional": _traditional,
    "wrap30": _wrapped(30),
    "wrap38": _wrapped(38),
    "wrap45": _wrapped(45),
    "one_line": lambda t: " ".join(ln.strip() for ln in t.split("\n") if ln.strip()),
    "empty_line_after_each": lambda t: "\n\n".join(t.split("\n")),
    "tabs_for_bars": lambda t: re.sub(r" *\| *", "\t", t),
    "spaces_for_bars": lambda t: re.sub(r" *\| *", "   ", t),
    "commas_in_unit_lists": lambda t: _UNIT_DUN.sub(",", t),
    "dun_numbering": lambda t: re.sub(r"(?m)^(\s*)(\d{1,2})\.(?=\S)", r"\1\2、", t),
    "ideographic_indent": lambda t: "\n".join("\u3000\u3000" + ln.strip() if ln.strip() else ln for ln in t.split("\n")),
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "full_width_digits": lambda t: t.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
}


def score(form: Callable[[str], str], docs: list[Path], gold: Path) -> str:
    """score.py's overall line for ``docs`` rewritten by ``form``."""
    from govkg.loaders import load_document

    with tempfile.TemporaryDirectory(prefix="govkg-perturb-") as tmp:
        out = Path(tmp) / "extracted.jsonl"
        with out.open("w", encoding="utf-8") as f:
            for doc in docs:
                path = Path(tmp) / doc.name
                path.write_bytes(form(doc.read_text(encoding="utf-8")).encode("utf-8"))
                try:
                    extracted = load_document(path)
                except Exception as e:  # noqa: BLE001 - a form may make a file unreadable: counted as no tasks
                    print(f"  {doc.name}: {type(e).__name__}: {e}", file=sys.stderr)
                    continue
                f.write(json.dumps(extracted.to_dict(), ensure_ascii=False) + "\n")
        run = [sys.executable, str(SHARED / "eval" / "score.py"), str(out), "--gold", str(gold)]
        lines = subprocess.run(run, capture_output=True, text=True, check=True).stdout.strip().splitlines()
    return lines[-1].removeprefix("overall: ").split(" (gold")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("forms", nargs="*", help=f"some of: {', '.join(FORMS)} (default: all)")
    args = parser.parse_args()
    if not (SHARED / "dev" / "docs").is_dir():
        raise SystemExit(f"{SHARED / 'dev'}: not found (this bench reads the dev documents beside the repo)")
    unknown = [f for f in args.forms if f not in FORMS]
    if unknown:
        raise SystemExit(f"unknown forms: {', '.join(unknown)}; known: {', '.join(FORMS)}")
    docs = sorted((SHARED / "dev" / "docs").glob("*.txt"))
    gold = SHARED / "dev" / "gold.json"
    for name in ["as_is", *(f for f in args.forms or FORMS if f != "as_is")]:
        print(f"{name:24s} {score(FORMS[name], docs, gold)}", flush=True)


if __name__ == "__main__":
    main()
